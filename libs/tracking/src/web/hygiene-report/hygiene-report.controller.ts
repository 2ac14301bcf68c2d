import { Controller, Get, Query, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Clock } from '@app/infrastructure';
import { allPages, GetHygieneReportQuery, HYGIENE_COLUMNS } from '../../read-models/index.js';
import { streamCsv } from '../../shared/csv-export.js';
import { HtmlErrorFilter } from '../error-page/html-error.filter.js';
import { HtmlPage } from '../html-page.decorator.js';
import { HygieneReportParams } from './hygiene-report.params.js';
import { hygieneReportPage } from './hygiene-report.view.js';

const PAGE_SIZE = 50;
const CSV_PAGE_SIZE = 1000;

/** The hygiene report as a page, and its CSV under /ui so that the pages' key cookie reaches it. */
@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui/reports')
export class HygieneReportController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get('hygiene')
  @HtmlPage()
  async show(@Query() params: HygieneReportParams): Promise<string> {
    const report = await this.queryBus.execute(this.queryOf(params, params.cursor, PAGE_SIZE));
    return hygieneReportPage(report, params);
  }

  @Get('hygiene.csv')
  async csv(@Query() params: HygieneReportParams, @Res() response: Response): Promise<void> {
    const on = params.on ?? this.today();
    await streamCsv(
      response,
      `hygiene-${on}.csv`,
      HYGIENE_COLUMNS,
      allPages(
        (cursor) => this.queryBus.execute(this.queryOf({ ...params, on }, cursor ?? undefined, CSV_PAGE_SIZE)),
        (page) => page.trials,
      ),
    );
  }

  private queryOf(params: HygieneReportParams, cursor: string | undefined, limit: number) {
    return new GetHygieneReportQuery({
      on: params.on ?? this.today(),
      flags: params.flag ? [params.flag] : undefined,
      sponsor: params.sponsor,
      cursor,
      limit,
    });
  }

  private today(): string {
    return this.clock.nowIso().slice(0, 10);
  }
}
