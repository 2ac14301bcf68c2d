import { Controller, Get, Param, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Clock } from '@app/infrastructure';
import {
  GetBaselineQuery,
  GetRecentChangesQuery,
  GetStatusHistoryQuery,
  GetTrialEventsQuery,
  GetTrialQuery,
  GetTrialSignalsQuery,
} from '../../read-models/index.js';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { HtmlErrorFilter } from '../error-page/html-error.filter.js';
import { HtmlPage } from '../html-page.decorator.js';
import { type ChangeMateriality, toRecordedChanges } from '../recorded-change.js';
import { trialPage } from './trial-page.view.js';

const GRADES_PER_READ = 500;

@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui/trials')
export class TrialPageController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get(':nctId')
  @HtmlPage()
  async show(@Param('nctId', NctIdPipe) nctId: string): Promise<string> {
    const [trial, statusHistory, { events }, baseline, signals] = await Promise.all([
      this.queryBus.execute(new GetTrialQuery(nctId)),
      this.queryBus.execute(new GetStatusHistoryQuery(nctId)),
      this.queryBus.execute(new GetTrialEventsQuery(nctId)),
      this.queryBus.execute(new GetBaselineQuery(nctId)),
      this.queryBus.execute(new GetTrialSignalsQuery(nctId, this.clock.nowIso().slice(0, 10))),
    ]);
    const grades = await this.gradesOf(nctId);
    const graded = events.map((event) => ({ ...event, materiality: grades.get(event.eventId) ?? null }));
    return trialPage({
      trial,
      statusHistory,
      baseline,
      signals,
      changes: toRecordedChanges(graded),
      now: this.clock.now(),
    });
  }

  /** The change feed's grade of each of the trial's changes, by event id. */
  private async gradesOf(nctId: string): Promise<Map<string, ChangeMateriality>> {
    const grades = new Map<string, ChangeMateriality>();
    let before: string | undefined;
    do {
      const page = await this.queryBus.execute(
        new GetRecentChangesQuery({ nctIds: [nctId], before, limit: GRADES_PER_READ }),
      );
      for (const change of page.changes) if (change.materiality) grades.set(change.eventId, change.materiality);
      before = page.olderCursor ?? undefined;
    } while (before);
    return grades;
  }
}
