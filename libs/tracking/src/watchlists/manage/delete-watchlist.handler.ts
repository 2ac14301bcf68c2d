import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WatchlistScheduler } from '../schedules/watchlist-scheduler.js';
import { WatchlistStore } from '../watchlist-store.js';
import { DeleteWatchlistCommand } from './delete-watchlist.command.js';

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
