import { Command } from '@nestjs/cqrs';
import type { WatchlistRun } from '../watchlist.js';

/** Queues a run now; the worker (or the caller, with `runInline`) performs it. */
export class RequestWatchlistSyncCommand extends Command<WatchlistRun> {
  constructor(
    readonly idOrName: string,
    readonly runInline = false,
  ) {
    super();
  }
}
