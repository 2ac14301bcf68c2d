import { Controller, Get, Query as QueryParam, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsInstant } from '../../shared/query-params.js';
import type { Response } from 'express';
import { allPages, streamCsv } from '../../shared/csv-export.js';
import { OUTCOME_SWITCHING_COLUMNS, switchRowsOf } from './outcome-switching.columns.js';
import { GetOutcomeSwitchingReportQuery } from './get-outcome-switching-report.query.js';

/** What the outcome-switching report and its CSV are filtered by; the CSV holds every page. */
export class OutcomeSwitchingFilterParams {
  @ApiPropertyOptional({ description: 'Only switches at or after this ISO 8601 date or time' })
  @IsOptional()
  @IsInstant('since must be an ISO 8601 date or time of a real day, such as 2024-01-15 or 2024-01-15T10:00:00Z')
  since?: string;

  @ApiPropertyOptional({ description: 'Lead sponsor text, in any letter case' })
  @IsOptional()
  @IsString()
  sponsor?: string;

  @ApiPropertyOptional({ description: 'Condition text, in any letter case' })
  @IsOptional()
  @IsString()
  condition?: string;
}

/** A page of the report: its filters, where the page starts and how long it is. */
export class OutcomeSwitchingParams extends OutcomeSwitchingFilterParams {
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

@ApiTags('reports')
@Controller('reports')
export class GetOutcomeSwitchingReportController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('outcome-switching')
  @ApiOperation({
    summary:
      'Outcome switching: trials whose primary outcomes changed after the study started (or after primary completion), ' +
      'with each change, the outcomes before and after, by NCT ID',
  })
  report(@QueryParam() params: OutcomeSwitchingParams) {
    return this.queryBus.execute(new GetOutcomeSwitchingReportQuery({ ...params, limit: params.limit ?? 50 }));
  }

  @Get('outcome-switching.csv')
  @ApiOperation({ summary: 'The outcome-switching report as CSV, one row per switch, streamed' })
  async csv(@QueryParam() params: OutcomeSwitchingFilterParams, @Res() response: Response): Promise<void> {
    await streamCsv(
      response,
      'outcome-switching.csv',
      OUTCOME_SWITCHING_COLUMNS,
      allPages(
        (cursor) =>
          this.queryBus.execute(
            new GetOutcomeSwitchingReportQuery({ ...params, cursor: cursor ?? undefined, limit: 200 }),
          ),
        (page) => switchRowsOf(page.trials),
      ),
    );
  }
}
