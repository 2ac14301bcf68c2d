import { Controller, Get, Query, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Clock } from '@app/infrastructure';
import { allPages, GetResultsDueReportQuery, RESULTS_DUE_COLUMNS } from '../../read-models/index.js';
import { streamCsv } from '../../shared/csv-export.js';
import { HtmlErrorFilter } from '../error-page/html-error.filter.js';
import { HtmlPage } from '../html-page.decorator.js';
import { ResultsDueReportParams } from './results-due-report.params.js';
import { resultsDueReportPage } from './results-due-report.view.js';

const PAGE_SIZE = 50;
const CSV_PAGE_SIZE = 1000;

/** The results-due report as a page, and its CSV under /ui so that the pages' key cookie reaches it. */
@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui/reports')
export class ResultsDueReportController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get('results-due')
  @HtmlPage()
  async show(@Query() params: ResultsDueReportParams): Promise<string> {
    const report = await this.queryBus.execute(this.queryOf(params, params.cursor, PAGE_SIZE));
    return resultsDueReportPage(report, params);
  }

  @Get('results-due.csv')
  async csv(@Query() params: ResultsDueReportParams, @Res() response: Response): Promise<void> {
    const on = params.on ?? this.today();
    await streamCsv(
      response,
      `results-due-${on}.csv`,
      RESULTS_DUE_COLUMNS,
      allPages(
        (cursor) => this.queryBus.execute(this.queryOf({ ...params, on }, cursor ?? undefined, CSV_PAGE_SIZE)),
        (page) => page.trials,
      ),
    );
  }

  private queryOf(params: ResultsDueReportParams, cursor: string | undefined, limit: number) {
    return new GetResultsDueReportQuery({
      on: params.on ?? this.today(),
      states: params.state ? [params.state] : undefined,
      sponsor: params.sponsor,
      cursor,
      limit,
    });
  }

  private today(): string {
    return this.clock.nowIso().slice(0, 10);
  }
}
