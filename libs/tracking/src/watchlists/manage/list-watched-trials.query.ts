import { Query } from '@nestjs/cqrs';
import type { WatchedTrial } from '../watchlist.js';

/** The trials a watchlist names, each with what the watchlist knows of it (fetched in full, in the registry, its backfill). */
export class ListWatchedTrialsQuery extends Query<WatchedTrial[]> {
  constructor(readonly idOrName: string) {
    super();
  }
}
