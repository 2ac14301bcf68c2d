import { Query } from '@nestjs/cqrs';
import type { WatchlistRun } from '../watchlist.js';

export class GetWatchlistRunQuery extends Query<WatchlistRun | null> {
  constructor(readonly runId: string) {
    super();
  }
}
