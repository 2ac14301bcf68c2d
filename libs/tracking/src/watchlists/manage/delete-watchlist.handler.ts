import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WatchlistScheduler } from '../schedules/watchlist-scheduler.js';
import { WatchlistStore } from '../watchlist-store.js';
import { WatchlistInUseError } from '../watchlist.js';
import { DeleteWatchlistCommand } from './delete-watchlist.command.js';

@CommandHandler(DeleteWatchlistCommand)
export class DeleteWatchlistHandler implements ICommandHandler<DeleteWatchlistCommand> {
  constructor(
    private readonly store: WatchlistStore,
    private readonly scheduler: WatchlistScheduler,
  ) {}

  async execute({ idOrName }: DeleteWatchlistCommand): Promise<void> {
    const watchlist = await this.store.get(idOrName);
    // Refused while a subscription listens to it, its schedule untouched.
    await this.store.assertUnused(watchlist.id);
    await this.scheduler.unschedule(watchlist.id);
    try {
      await this.store.delete(watchlist.id);
    } catch (error) {
      // A subscription came to name it meanwhile: it stays, with its schedule.
      if (error instanceof WatchlistInUseError) await this.scheduler.schedule(watchlist);
      throw error;
    }
  }
}
