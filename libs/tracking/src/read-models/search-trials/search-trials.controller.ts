import { Controller, Get, Query as QueryParam } from '@nestjs/common';
import { HYGIENE_FLAGS, type HygieneFlag, RESULTS_DUE_STATES, type ResultsDueState } from '@app/domain';
import { Clock } from '@app/infrastructure';
import { OVERALL_STATUSES } from '@app/registry-formats';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsCalendarDay, IsInstant, queryBoolean } from '../../shared/query-params.js';
import { Transform } from 'class-transformer';
import { SearchTrialsQuery } from './search-trials.query.js';

export class SearchTrialsParams {
  @ApiPropertyOptional({
    description: "An overall status as in the registry's API v2, in any letter case",
    enum: OVERALL_STATUSES,
  })
  @IsOptional()
  // A status the registry does not have (a typo) matches nothing: refused, naming the ones it has.
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsIn(OVERALL_STATUSES, { message: `status must be an API v2 overall status: ${OVERALL_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ description: 'A phase: EARLY_PHASE1, PHASE1 to PHASE4, NA' })
  @IsOptional()
  @Matches(/^(EARLY_PHASE1|PHASE[1-4]|NA)$/i, { message: 'phase must be EARLY_PHASE1, PHASE1 to PHASE4, or NA' })
  phase?: string;

  @ApiPropertyOptional({ description: 'Lead sponsor text, in any letter case' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'sponsor must be 1 to 200 characters' })
  sponsor?: string;

  @ApiPropertyOptional({ description: 'Condition text, in any letter case' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'condition must be 1 to 200 characters' })
  condition?: string;

  @ApiPropertyOptional({
    description:
      'Text found, in any letter case and also as part of a word, in the NCT ID, brief or official title, acronym or conditions',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'text must be 1 to 200 characters' })
  text?: string;

  @ApiPropertyOptional({ description: 'Only trials in this results-due state', enum: RESULTS_DUE_STATES })
  @IsOptional()
  @IsIn(RESULTS_DUE_STATES as unknown as string[], {
    message: `resultsDue must be one of ${RESULTS_DUE_STATES.join(', ')}`,
  })
  resultsDue?: ResultsDueState;

  @ApiPropertyOptional({ description: 'Only trials with this hygiene flag', enum: HYGIENE_FLAGS })
  @IsOptional()
  @IsIn(HYGIENE_FLAGS as unknown as string[], { message: `hygieneFlag must be one of ${HYGIENE_FLAGS.join(', ')}` })
  hygieneFlag?: HygieneFlag;

  @ApiPropertyOptional({ description: 'The day, YYYY-MM-DD (default: today)' })
  @IsOptional()
  @IsCalendarDay('on must be a day of the calendar as YYYY-MM-DD')
  on?: string;

  @ApiPropertyOptional({ description: 'Also count every match (slower)' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'total must be true or false (or 1 or 0)' })
  total?: boolean;

  @ApiPropertyOptional({ description: 'Only trials changed at or after this ISO 8601 date or time' })
  @IsOptional()
  @IsInstant('changedSince must be an ISO 8601 date or time of a real day, such as 2024-01-15 or 2024-01-15T10:00:00Z')
  changedSince?: string;

  @ApiPropertyOptional({ description: "A secondary id of the trial (another registry's number)" })
  @IsOptional()
  @IsString()
  @Length(1, 100, { message: 'secondaryId must be 1 to 100 characters' })
  secondaryId?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^NCT\d{8}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ description: 'How many per page', minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

@ApiTags('trials')
@Controller('trials')
export class SearchTrialsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Search current trial states by status, phase, sponsor, condition, words (text), other identifier, last change, ' +
      'results-due state and hygiene flag on a day (on, today by default); total=true counts every match',
  })
  search(@QueryParam() params: SearchTrialsParams) {
    const { resultsDue, total, on, ...criteria } = params;
    return this.queryBus.execute(
      new SearchTrialsQuery({
        ...criteria,
        status: params.status?.toUpperCase(),
        phase: params.phase?.toUpperCase(),
        resultsDueState: resultsDue,
        on: on ?? (resultsDue || params.hygieneFlag ? this.clock.nowIso().slice(0, 10) : undefined),
        countTotal: total === true,
        limit: params.limit ?? 50,
      }),
    );
  }
}
