import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@app/infrastructure';
import { WatchlistSync } from '../sync/watchlist-sync.js';
import { WatchlistDeletedDuringRunError, type WatchlistRun } from '../watchlist.js';
import { WatchlistScheduler } from '../schedules/watchlist-scheduler.js';
import { WatchlistStore } from '../watchlist-store.js';
import { RequestWatchlistSyncCommand } from './request-watchlist-sync.command.js';

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
    if (runInline) {
      // No run when it ends: the watchlist was deleted meanwhile, and the run's record with it.
      const finished = await this.sync.run(run.id);
      if (!finished) throw new WatchlistDeletedDuringRunError(watchlist.name, { id: run.id, status: 'running' });
      return finished;
    }
    await this.scheduler.enqueue({ watchlistId: watchlist.id, runId: run.id });
    return run;
  }
}
