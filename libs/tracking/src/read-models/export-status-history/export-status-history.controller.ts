import { Controller, Get, Query as QueryParam, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';
import { allPages, streamCsv } from '../../shared/csv-export.js';
import { STATUS_PERIOD_COLUMNS } from './status-periods.columns.js';
import { commaList } from '../../shared/query-params.js';
import { ListStatusPeriodsQuery } from './list-status-periods.query.js';

export class StatusHistoryExportParams {
  @ApiPropertyOptional({ description: 'NCT IDs, comma-separated, in any letter case', type: String })
  @IsOptional()
  @Transform(commaList)
  @Matches(/^NCT\d{8}$/i, { each: true, message: 'nctId must be NCT IDs, comma-separated' })
  nctId?: string[];
}

@ApiTags('exports')
@Controller('exports')
export class ExportStatusHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('status-history.csv')
  @ApiOperation({ summary: "Every trial's status periods (or these trials'), as CSV, streamed" })
  async csv(@QueryParam() params: StatusHistoryExportParams, @Res() response: Response): Promise<void> {
    // No NCT ID named (`?nctId=` left empty, as the change feed reads it): every trial, not none.
    const nctIds = params.nctId?.length ? params.nctId.map((nctId) => nctId.toUpperCase()) : null;
    await streamCsv(
      response,
      'status-history.csv',
      STATUS_PERIOD_COLUMNS,
      allPages(
        (cursor) => this.queryBus.execute(new ListStatusPeriodsQuery(nctIds, cursor, 1000)),
        (page) => page.periods,
      ),
    );
  }
}
