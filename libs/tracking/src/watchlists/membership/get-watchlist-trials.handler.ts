import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { WatchlistStore } from '../watchlist-store.js';
import { GetWatchlistTrialsQuery } from './get-watchlist-trials.query.js';

@QueryHandler(GetWatchlistTrialsQuery)
export class GetWatchlistTrialsHandler implements IQueryHandler<GetWatchlistTrialsQuery> {
  constructor(private readonly store: WatchlistStore) {}

  execute({ watchlistIds, nctIds }: GetWatchlistTrialsQuery): Promise<Map<string, Set<string>>> {
    return this.store.trialsOf(watchlistIds, nctIds);
  }
}
