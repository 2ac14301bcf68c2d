import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Watchlist } from '../watchlist.js';
import { WatchlistStore } from '../watchlist-store.js';
import { GetWatchlistQuery } from './get-watchlist.query.js';

@QueryHandler(GetWatchlistQuery)
export class GetWatchlistHandler implements IQueryHandler<GetWatchlistQuery> {
  constructor(private readonly store: WatchlistStore) {}

  execute({ idOrName }: GetWatchlistQuery): Promise<Watchlist> {
    return this.store.get(idOrName);
  }
}
