import { Command, Query } from '@nestjs/cqrs';
import type { Schedule, Watchlist, WatchlistRun } from '../watchlist.js';

export interface WatchlistInput {
  name: string;
  nctIds?: string[];
  search?: Record<string, string> | null;
  pageUrls?: string[];
  schedule?: Partial<Schedule>;
  backfillHistory?: boolean;
}

export class CreateWatchlistCommand extends Command<Watchlist> {
  constructor(readonly input: WatchlistInput) {
    super();
  }
}

export class UpdateWatchlistCommand extends Command<Watchlist> {
  constructor(
    readonly idOrName: string,
    readonly changes: Partial<WatchlistInput>,
  ) {
    super();
  }
}

export class DeleteWatchlistCommand extends Command<void> {
  constructor(readonly idOrName: string) {
    super();
  }
}

export class GetWatchlistQuery extends Query<Watchlist> {
  constructor(readonly idOrName: string) {
    super();
  }
}

export class ListWatchlistsQuery extends Query<Watchlist[]> {}

/** Queues a run now; the worker (or the caller, with `runInline`) performs it. */
export class RequestWatchlistSyncCommand extends Command<WatchlistRun> {
  constructor(
    readonly idOrName: string,
    readonly runInline = false,
  ) {
    super();
  }
}

export class ListWatchlistRunsQuery extends Query<WatchlistRun[]> {
  constructor(
    readonly idOrName: string,
    readonly limit = 50,
  ) {
    super();
  }
}

export class GetWatchlistRunQuery extends Query<WatchlistRun | null> {
  constructor(readonly runId: string) {
    super();
  }
}
