import { Controller, Get, Query as QueryParam, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { HYGIENE_FLAGS, type HygieneFlag } from '@app/domain';
import { Clock } from '@app/infrastructure';
import { allPages, streamCsv } from '../../shared/csv-export.js';
import { HYGIENE_COLUMNS } from './hygiene.columns.js';
import { commaList, IsCalendarDay } from '../../shared/query-params.js';
import { GetHygieneReportQuery } from './get-hygiene-report.query.js';

/** What the hygiene report and its CSV are filtered by; the CSV holds every page. */
export class HygieneFilterParams {
  @ApiPropertyOptional({ description: 'Hygiene flags, comma-separated', type: String })
  @IsOptional()
  @Transform(commaList)
  @IsIn(HYGIENE_FLAGS as unknown as string[], {
    each: true,
    message: `flag must be hygiene flags: ${HYGIENE_FLAGS.join(', ')}`,
  })
  flag?: HygieneFlag[];

  @ApiPropertyOptional({ description: 'Lead sponsor text, in any letter case' })
  @IsOptional()
  @IsString()
  sponsor?: string;

  @ApiPropertyOptional({ description: 'The day, YYYY-MM-DD (default: today)' })
  @IsOptional()
  @IsCalendarDay('on must be a day of the calendar as YYYY-MM-DD')
  on?: string;
}

/** A page of the report: its filters, where the page starts and how long it is. */
export class HygieneParams extends HygieneFilterParams {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^NCT\d{8}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ description: 'How many per page', minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

@ApiTags('reports')
@Controller('reports')
export class GetHygieneReportController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get('hygiene')
  @ApiOperation({
    summary:
      'Registry hygiene: trials with a flag holding on a day (status-verification-stale, completion-past-while-recruiting, ' +
      'gone-from-registry, merged-into-another), each flag with the day it started to hold',
  })
  report(@QueryParam() params: HygieneParams) {
    return this.queryBus.execute(this.queryOf(params, params.limit ?? 100));
  }

  @Get('hygiene.csv')
  @ApiOperation({ summary: 'The hygiene report as CSV, every page, streamed' })
  async csv(@QueryParam() params: HygieneFilterParams, @Res() response: Response): Promise<void> {
    const on = params.on ?? this.clock.nowIso().slice(0, 10);
    await streamCsv(
      response,
      `hygiene-${on}.csv`,
      HYGIENE_COLUMNS,
      allPages(
        (cursor) => this.queryBus.execute(this.queryOf({ ...params, on, cursor: cursor ?? undefined }, 1000)),
        (page) => page.trials,
      ),
    );
  }

  private queryOf(params: HygieneParams, limit: number): GetHygieneReportQuery {
    return new GetHygieneReportQuery({
      on: params.on ?? this.clock.nowIso().slice(0, 10),
      flags: params.flag,
      sponsor: params.sponsor,
      cursor: params.cursor,
      limit,
    });
  }
}
