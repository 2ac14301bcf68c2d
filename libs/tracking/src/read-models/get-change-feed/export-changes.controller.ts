import { Controller, Get, Query as QueryParam, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { streamCsv, streamJsonLines } from '../../shared/csv-export.js';
import { ChangeExportParams, toChangeFeedFilter } from './change-feed-params.js';
import { CHANGE_COLUMNS, changePages } from './change-feed.columns.js';

@ApiTags('exports')
@Controller('exports')
export class ExportChangesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('changes.csv')
  @ApiOperation({ summary: "The change feed as CSV (the feed's filters, from `after`), every page, streamed" })
  async csv(@QueryParam() params: ChangeExportParams, @Res() response: Response): Promise<void> {
    await streamCsv(response, 'changes.csv', CHANGE_COLUMNS, this.pages(params));
  }

  @Get('changes.jsonl')
  @ApiOperation({ summary: "The change feed as JSON Lines, one change per line (the feed's filters), streamed" })
  async jsonl(@QueryParam() params: ChangeExportParams, @Res() response: Response): Promise<void> {
    await streamJsonLines(response, 'changes.jsonl', this.pages(params));
  }

  private pages(params: ChangeExportParams) {
    return changePages((query) => this.queryBus.execute(query), toChangeFeedFilter(params, params.after, 1000));
  }
}
