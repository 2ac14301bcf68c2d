import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock, OutboundPolicy } from '@app/infrastructure';
import { validateWatchlist, type Watchlist } from '../watchlist.js';
import { WatchlistScheduler } from '../schedules/watchlist-scheduler.js';
import { WatchlistStore } from '../watchlist-store.js';
import { UpdateWatchlistCommand } from './update-watchlist.command.js';
import { checkPageUrls } from './check-page-urls.js';

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
