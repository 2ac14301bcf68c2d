import { Controller, Get, Query, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  allPages,
  GetOutcomeSwitchingReportQuery,
  OUTCOME_SWITCHING_COLUMNS,
  switchRowsOf,
} from '../../read-models/index.js';
import { streamCsv } from '../../shared/csv-export.js';
import { HtmlErrorFilter } from '../error-page/html-error.filter.js';
import { HtmlPage } from '../html-page.decorator.js';
import { OutcomeSwitchingReportParams } from './outcome-switching-report.params.js';
import { outcomeSwitchingReportPage } from './outcome-switching-report.view.js';

const PAGE_SIZE = 50;
const CSV_PAGE_SIZE = 200;

/** The outcome-switching report as a page, and its CSV under /ui so that the pages' key cookie reaches it. */
@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui/reports')
export class OutcomeSwitchingReportController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('outcome-switching')
  @HtmlPage()
  async show(@Query() params: OutcomeSwitchingReportParams): Promise<string> {
    const report = await this.queryBus.execute(this.queryOf(params, params.cursor, PAGE_SIZE));
    return outcomeSwitchingReportPage(report, params);
  }

  @Get('outcome-switching.csv')
  async csv(@Query() params: OutcomeSwitchingReportParams, @Res() response: Response): Promise<void> {
    await streamCsv(
      response,
      'outcome-switching.csv',
      OUTCOME_SWITCHING_COLUMNS,
      allPages(
        (cursor) => this.queryBus.execute(this.queryOf(params, cursor ?? undefined, CSV_PAGE_SIZE)),
        (page) => switchRowsOf(page.trials),
      ),
    );
  }

  private queryOf(params: OutcomeSwitchingReportParams, cursor: string | undefined, limit: number) {
    return new GetOutcomeSwitchingReportQuery({
      since: params.since,
      sponsor: params.sponsor,
      condition: params.condition,
      cursor,
      limit,
    });
  }
}
