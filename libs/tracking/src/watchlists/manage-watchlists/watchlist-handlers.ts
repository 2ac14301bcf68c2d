import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler, type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Clock, OutboundPolicy } from '@app/infrastructure';
import { PAGE_URLS } from '../sync-watchlist/registry-page-fetcher.js';
import { WatchlistSync } from '../sync-watchlist/watchlist-sync.js';
import {
  DEFAULT_SCHEDULE,
  validateWatchlist,
  type Watchlist,
  type WatchlistDefinition,
  type WatchlistRun,
} from '../watchlist.js';
import { WatchlistScheduler } from '../watchlist-scheduler.js';
import { WatchlistStore } from '../watchlist-store.js';
import {
  CreateWatchlistCommand,
  DeleteWatchlistCommand,
  GetWatchlistQuery,
  GetWatchlistRunQuery,
  ListWatchlistRunsQuery,
  ListWatchlistsQuery,
  RequestWatchlistSyncCommand,
  UpdateWatchlistCommand,
} from './watchlist-commands.js';

/** Page URLs pass the outbound policy when they are saved, and again before every fetch. */
const checkPageUrls = async (
  policy: OutboundPolicy,
  definition: WatchlistDefinition,
): Promise<WatchlistDefinition> => ({
  ...definition,
  pageUrls: await Promise.all(definition.pageUrls.map(async (url) => (await policy.check(url, PAGE_URLS)).href)),
});

@CommandHandler(CreateWatchlistCommand)
export class CreateWatchlistHandler implements ICommandHandler<CreateWatchlistCommand> {
  constructor(
    private readonly store: WatchlistStore,
    private readonly scheduler: WatchlistScheduler,
    private readonly clock: Clock,
    private readonly policy: OutboundPolicy,
  ) {}

  async execute({ input }: CreateWatchlistCommand): Promise<Watchlist> {
    const valid = validateWatchlist({
      name: input.name,
      nctIds: input.nctIds ?? [],
      search: input.search ?? null,
      pageUrls: input.pageUrls ?? [],
      schedule: { ...DEFAULT_SCHEDULE, ...input.schedule },
      backfillHistory: input.backfillHistory ?? false,
    });
    const definition = await checkPageUrls(this.policy, valid);
    const watchlist = await this.store.insert(randomUUID(), definition, this.clock.nowIso());
    try {
      await this.scheduler.schedule(watchlist);
    } catch (error) {
      // No watchlist without its schedule: undo rather than leave one that never runs.
      await this.store.delete(watchlist.id);
      throw error;
    }
    return watchlist;
  }
}

@CommandHandler(UpdateWatchlistCommand)
export class UpdateWatchlistHandler implements ICommandHandler<UpdateWatchlistCommand> {
  constructor(
    private readonly store: WatchlistStore,
    private readonly scheduler: WatchlistScheduler,
    private readonly clock: Clock,
    private readonly policy: OutboundPolicy,
  ) {}

  async execute({ idOrName, changes }: UpdateWatchlistCommand): Promise<Watchlist> {
    const current = await this.store.get(idOrName);
    const valid = validateWatchlist({
      name: changes.name ?? current.name,
      nctIds: changes.nctIds ?? current.nctIds,
      search: changes.search !== undefined ? changes.search : current.search,
      pageUrls: changes.pageUrls ?? current.pageUrls,
      schedule: { ...current.schedule, ...changes.schedule },
      backfillHistory: changes.backfillHistory ?? current.backfillHistory,
    });
    const definition = changes.pageUrls ? await checkPageUrls(this.policy, valid) : valid;
    const updated = await this.store.update(current.id, definition, this.clock.nowIso());
    await this.scheduler.schedule(updated);
    return updated;
  }
}

@CommandHandler(DeleteWatchlistCommand)
export class DeleteWatchlistHandler implements ICommandHandler<DeleteWatchlistCommand> {
  constructor(
    private readonly store: WatchlistStore,
    private readonly scheduler: WatchlistScheduler,
  ) {}

  async execute({ idOrName }: DeleteWatchlistCommand): Promise<void> {
    const watchlist = await this.store.get(idOrName);
    await this.scheduler.unschedule(watchlist.id);
    await this.store.delete(watchlist.id);
  }
}

@QueryHandler(GetWatchlistQuery)
export class GetWatchlistHandler implements IQueryHandler<GetWatchlistQuery> {
  constructor(private readonly store: WatchlistStore) {}

  execute({ idOrName }: GetWatchlistQuery): Promise<Watchlist> {
    return this.store.get(idOrName);
  }
}

@QueryHandler(ListWatchlistsQuery)
export class ListWatchlistsHandler implements IQueryHandler<ListWatchlistsQuery> {
  constructor(private readonly store: WatchlistStore) {}

  execute(): Promise<Watchlist[]> {
    return this.store.list();
  }
}

@CommandHandler(RequestWatchlistSyncCommand)
export class RequestWatchlistSyncHandler implements ICommandHandler<RequestWatchlistSyncCommand> {
  constructor(
    private readonly store: WatchlistStore,
    private readonly scheduler: WatchlistScheduler,
    private readonly sync: WatchlistSync,
    private readonly clock: Clock,
  ) {}

  async execute({ idOrName, runInline }: RequestWatchlistSyncCommand): Promise<WatchlistRun> {
    const watchlist = await this.store.get(idOrName);
    const run = await this.store.queueRun(randomUUID(), watchlist.id, 'manual', this.clock.nowIso());
    if (runInline) return (await this.sync.run(run.id))!;
    await this.scheduler.enqueue({ watchlistId: watchlist.id, runId: run.id });
    return run;
  }
}

@QueryHandler(ListWatchlistRunsQuery)
export class ListWatchlistRunsHandler implements IQueryHandler<ListWatchlistRunsQuery> {
  constructor(private readonly store: WatchlistStore) {}

  async execute({ idOrName, limit }: ListWatchlistRunsQuery): Promise<WatchlistRun[]> {
    const watchlist = await this.store.get(idOrName);
    return this.store.runs(watchlist.id, limit);
  }
}

@QueryHandler(GetWatchlistRunQuery)
export class GetWatchlistRunHandler implements IQueryHandler<GetWatchlistRunQuery> {
  constructor(private readonly store: WatchlistStore) {}

  execute({ runId }: GetWatchlistRunQuery): Promise<WatchlistRun | null> {
    return this.store.getRun(runId);
  }
}

export const WATCHLIST_COMMAND_HANDLERS = [
  CreateWatchlistHandler,
  UpdateWatchlistHandler,
  DeleteWatchlistHandler,
  RequestWatchlistSyncHandler,
];

export const WATCHLIST_QUERY_HANDLERS = [
  GetWatchlistHandler,
  ListWatchlistsHandler,
  ListWatchlistRunsHandler,
  GetWatchlistRunHandler,
];
