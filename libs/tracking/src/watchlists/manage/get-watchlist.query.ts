import { Query } from '@nestjs/cqrs';
import type { Watchlist } from '../watchlist.js';

export class GetWatchlistQuery extends Query<Watchlist> {
  constructor(readonly idOrName: string) {
    super();
  }
}
