import { Command } from '@nestjs/cqrs';
import type { Watchlist } from '../watchlist.js';
import type { WatchlistInput } from './watchlist-input.js';

export class CreateWatchlistCommand extends Command<Watchlist> {
  constructor(readonly input: WatchlistInput) {
    super();
  }
}
