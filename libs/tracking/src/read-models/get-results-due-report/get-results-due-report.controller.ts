import { Controller, Get, Query as QueryParam, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { RESULTS_DUE_STATES, type ResultsDueState } from '@app/domain';
import { Clock } from '@app/infrastructure';
import { allPages, streamCsv } from '../../shared/csv-export.js';
import { RESULTS_DUE_COLUMNS } from './results-due.columns.js';
import { commaList, IsCalendarDay } from '../../shared/query-params.js';
import { GetResultsDueReportQuery } from './get-results-due-report.query.js';
import { IsResultsDueCursor } from './results-due-cursor.js';

/** What the results-due report and its CSV are filtered by; the CSV holds every page. */
export class ResultsDueFilterParams {
  @ApiPropertyOptional({ description: 'Results-due states, comma-separated', type: String })
  @IsOptional()
  @Transform(commaList)
  @IsIn(RESULTS_DUE_STATES as unknown as string[], {
    each: true,
    message: `state must be results-due states: ${RESULTS_DUE_STATES.join(', ')}`,
  })
  state?: ResultsDueState[];

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
export class ResultsDueParams extends ResultsDueFilterParams {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsResultsDueCursor('cursor must be the nextCursor of a previous page')
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
export class GetResultsDueReportController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get('results-due')
  @ApiOperation({
    summary:
      'Results due under FDAAA 801 (approximated): probably applicable trials with their due date and state on a day ' +
      '(not-due, due-within-30-days, overdue, reported-on-time, reported-late), by due date, with counts per state',
  })
  report(@QueryParam() params: ResultsDueParams) {
    return this.queryBus.execute(this.queryOf(params, params.limit ?? 100));
  }

  @Get('results-due.csv')
  @ApiOperation({ summary: 'The results-due report as CSV, every page, streamed' })
  async csv(@QueryParam() params: ResultsDueFilterParams, @Res() response: Response): Promise<void> {
    const on = params.on ?? this.clock.nowIso().slice(0, 10);
    await streamCsv(
      response,
      `results-due-${on}.csv`,
      RESULTS_DUE_COLUMNS,
      allPages(
        (cursor) => this.queryBus.execute(this.queryOf({ ...params, on, cursor: cursor ?? undefined }, 1000)),
        (page) => page.trials,
      ),
    );
  }

  private queryOf(params: ResultsDueParams, limit: number): GetResultsDueReportQuery {
    return new GetResultsDueReportQuery({
      on: params.on ?? this.clock.nowIso().slice(0, 10),
      states: params.state,
      sponsor: params.sponsor,
      cursor: params.cursor,
      limit,
    });
  }
}
