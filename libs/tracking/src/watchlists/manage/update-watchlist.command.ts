import { Command } from '@nestjs/cqrs';
import type { Watchlist } from '../watchlist.js';
import type { WatchlistInput } from './watchlist-input.js';

export class UpdateWatchlistCommand extends Command<Watchlist> {
  constructor(
    readonly idOrName: string,
    readonly changes: Partial<WatchlistInput>,
  ) {
    super();
  }
}
