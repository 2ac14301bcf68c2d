import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock, OutboundPolicy } from '@app/infrastructure';
import { DEFAULT_SCHEDULE, validateWatchlist, type Watchlist } from '../watchlist.js';
import { WatchlistScheduler } from '../schedules/watchlist-scheduler.js';
import { WatchlistStore } from '../watchlist-store.js';
import { CreateWatchlistCommand } from './create-watchlist.command.js';
import { checkPageUrls } from './check-page-urls.js';

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
