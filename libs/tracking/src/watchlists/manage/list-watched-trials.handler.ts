import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type WatchedTrial } from '../watchlist.js';
import { WatchlistStore } from '../watchlist-store.js';
import { ListWatchedTrialsQuery } from './list-watched-trials.query.js';

@QueryHandler(ListWatchedTrialsQuery)
export class ListWatchedTrialsHandler implements IQueryHandler<ListWatchedTrialsQuery> {
  constructor(private readonly store: WatchlistStore) {}

  async execute({ idOrName }: ListWatchedTrialsQuery): Promise<WatchedTrial[]> {
    const watchlist = await this.store.get(idOrName);
    return this.store.watchedTrials(watchlist.id, watchlist.nctIds);
  }
}
