import { Controller, Get, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { SearchTrialsQuery } from './search-trials.query.js';

export class SearchTrialsParams {
  @IsOptional()
  @Matches(/^[A-Z_]+$/i, { message: 'status must be an API v2 status such as RECRUITING' })
  status?: string;

  @IsOptional()
  @Matches(/^(EARLY_PHASE1|PHASE[1-4]|NA)$/i, { message: 'phase must be EARLY_PHASE1, PHASE1 to PHASE4, or NA' })
  phase?: string;

  @IsOptional()
  @IsString()
  sponsor?: string;

  @IsOptional()
  @IsString()
  condition?: string;

  @IsOptional()
  @IsISO8601({}, { message: 'changedSince must be an ISO date or timestamp' })
  changedSince?: string;

  @IsOptional()
  @IsString()
  @Length(1, 100, { message: 'secondaryId must be 1 to 100 characters' })
  secondaryId?: string;

  @IsOptional()
  @Matches(/^NCT\d{8}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

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
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Search current trial states by status, phase, sponsor, condition, other identifier, last change',
  })
  search(@QueryParam() params: SearchTrialsParams) {
    return this.queryBus.execute(
      new SearchTrialsQuery({
        ...params,
        status: params.status?.toUpperCase(),
        phase: params.phase?.toUpperCase(),
        limit: params.limit ?? 50,
      }),
    );
  }
}
