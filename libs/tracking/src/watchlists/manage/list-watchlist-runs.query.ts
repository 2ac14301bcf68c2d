import { Query } from '@nestjs/cqrs';
import type { WatchlistRun } from '../watchlist.js';

export class ListWatchlistRunsQuery extends Query<WatchlistRun[]> {
  constructor(
    readonly idOrName: string,
    readonly limit = 50,
  ) {
    super();
  }
}
