import { Controller, Get, Query, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { parseNctId } from '@app/domain';
import { Clock } from '@app/infrastructure';
import { GetLastMaterialChangesQuery, SearchTrialsQuery } from '../../read-models/index.js';
import { HtmlErrorFilter } from '../error-page/html-error.filter.js';
import { HTML_PAGE_HEADERS } from '../layout.js';
import { trialPagePath } from '../recorded-change.js';
import { TrialSearchParams } from './trial-search.params.js';
import { trialSearchPage } from './trial-search.view.js';

const PAGE_SIZE = 50;

@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui/trials')
export class TrialSearchController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  /** The search page; the header's NCT ID box comes here too and goes on to the trial (a malformed ID is a 400 page). */
  @Get()
  async search(@Query() params: TrialSearchParams, @Res() response: Response): Promise<void> {
    if (params.nctId?.trim()) {
      response.redirect(303, trialPagePath(parseNctId(params.nctId)));
      return;
    }
    const on = params.on ?? this.clock.nowIso().slice(0, 10);
    const result = await this.queryBus.execute(
      new SearchTrialsQuery({
        text: params.q,
        status: params.status,
        phase: params.phase,
        sponsor: params.sponsor,
        condition: params.condition,
        secondaryId: params.secondaryId,
        resultsDueState: params.resultsDue,
        hygieneFlag: params.hygiene,
        on,
        cursor: params.cursor,
        limit: PAGE_SIZE,
        countTotal: true,
      }),
    );
    const lastMaterialChanges = await this.queryBus.execute(
      new GetLastMaterialChangesQuery(result.trials.map((trial) => trial.nctId)),
    );
    response
      .status(200)
      .set(HTML_PAGE_HEADERS)
      .send(trialSearchPage({ result, lastMaterialChanges, filters: params, on }));
  }
}
