import { Controller, Get, Param, Query, Redirect, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { parseNctId } from '@app/domain';
import { Clock } from '@app/infrastructure';
import { GetStatusHistoryQuery, GetTrialEventsQuery, GetTrialQuery } from '../../read-models/index.js';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { HtmlErrorFilter } from '../error-page/html-error.filter.js';
import { HtmlPage } from '../html-page.decorator.js';
import { toRecordedChanges, trialPagePath } from '../recorded-change.js';
import { trialPage } from './trial-page.view.js';

@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui/trials')
export class TrialPageController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  /** Where the NCT ID search box goes: on to the trial's page; a malformed ID is a 400 page. */
  @Get()
  @Redirect('/ui', 303)
  find(@Query('nctId') nctId: unknown): { url: string } | undefined {
    return typeof nctId === 'string' && nctId.trim() ? { url: trialPagePath(parseNctId(nctId)) } : undefined;
  }

  @Get(':nctId')
  @HtmlPage()
  async show(@Param('nctId', NctIdPipe) nctId: string): Promise<string> {
    const [trial, statusHistory, { events }] = await Promise.all([
      this.queryBus.execute(new GetTrialQuery(nctId)),
      this.queryBus.execute(new GetStatusHistoryQuery(nctId)),
      this.queryBus.execute(new GetTrialEventsQuery(nctId)),
    ]);
    return trialPage({ trial, statusHistory, changes: toRecordedChanges(events), now: this.clock.now() });
  }
}
