import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Clock } from '@app/infrastructure';
import { GetRecentChangesQuery, type RecentChange } from '../../read-models/index.js';
import {
  GetWatchlistQuery,
  GetWatchlistTrialsQuery,
  ListWatchlistRunsQuery,
  ListWatchlistsQuery,
} from '../../watchlists/index.js';
import { HtmlErrorFilter } from '../error-page/html-error.filter.js';
import { HtmlPage } from '../html-page.decorator.js';
import { toRecordedChanges } from '../recorded-change.js';
import { WatchlistDashboardParams } from './watchlist-dashboard.params.js';
import { watchlistDashboardPage, type WatchedTrialChanges, watchlistsPage } from './watchlist-dashboard.view.js';

const DEFAULT_DAYS_BACK = 30;
const CHANGES_PER_READ = 200;
/** The most changes one dashboard shows; past it the page says so. */
const MAX_CHANGES = 1000;
const RUNS_SHOWN = 10;

@ApiExcludeController()
@UseFilters(HtmlErrorFilter)
@Controller('ui/watchlists')
export class WatchlistDashboardController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @HtmlPage()
  async list(): Promise<string> {
    return watchlistsPage(await this.queryBus.execute(new ListWatchlistsQuery()));
  }

  @Get(':id')
  @HtmlPage()
  async show(@Param('id') idOrName: string, @Query() params: WatchlistDashboardParams): Promise<string> {
    const watchlist = await this.queryBus.execute(new GetWatchlistQuery(idOrName));
    const since =
      params.since ?? new Date(this.clock.now().getTime() - DEFAULT_DAYS_BACK * 86_400_000).toISOString().slice(0, 10);
    const [members, runs] = await Promise.all([
      this.queryBus.execute(new GetWatchlistTrialsQuery([watchlist.id])),
      this.queryBus.execute(new ListWatchlistRunsQuery(watchlist.id, RUNS_SHOWN)),
    ]);
    const nctIds = [...(members.get(watchlist.id) ?? [])].sort();
    const { changes, truncated } = await this.changesSince(nctIds, since, params);
    return watchlistDashboardPage({
      watchlist,
      trialCount: nctIds.length,
      since,
      minMateriality: params.minMateriality,
      trials: byTrial(changes),
      truncated,
      runs,
    });
  }

  /**
   * The trials' changes dated by the registry on or after `since`, newest recorded first. trialwatch records
   * a change after the registry dates it, so the read stops at the first change recorded before `since`.
   */
  private async changesSince(
    nctIds: string[],
    since: string,
    { minMateriality }: WatchlistDashboardParams,
  ): Promise<{ changes: RecentChange[]; truncated: boolean }> {
    const changes: RecentChange[] = [];
    if (nctIds.length === 0) return { changes, truncated: false };
    let before: string | undefined;
    do {
      const page = await this.queryBus.execute(
        new GetRecentChangesQuery({ nctIds, minMateriality, before, limit: CHANGES_PER_READ }),
      );
      changes.push(...page.changes.filter((change) => change.occurredAt.slice(0, 10) >= since));
      const reachedSince = page.changes.some((change) => change.recordedAt.slice(0, 10) < since);
      before = reachedSince ? undefined : (page.olderCursor ?? undefined);
    } while (before && changes.length < MAX_CHANGES);
    return { changes: changes.slice(0, MAX_CHANGES), truncated: Boolean(before) };
  }
}

/** Changes grouped by trial, the trial with the latest registry date first. */
const byTrial = (changes: readonly RecentChange[]): WatchedTrialChanges[] => {
  const trials = new Map<string, WatchedTrialChanges>();
  for (const change of changes) {
    const trial = trials.get(change.nctId) ?? { nctId: change.nctId, briefTitle: change.briefTitle, changes: [] };
    trial.changes.push(...toRecordedChanges([change]));
    trials.set(change.nctId, trial);
  }
  const latest = (trial: WatchedTrialChanges) =>
    trial.changes.reduce((newest, change) => (change.occurredAt > newest ? change.occurredAt : newest), '');
  return [...trials.values()].sort((a, b) => latest(b).localeCompare(latest(a)) || a.nctId.localeCompare(b.nctId));
};
