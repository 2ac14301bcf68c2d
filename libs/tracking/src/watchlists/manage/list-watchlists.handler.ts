import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Watchlist } from '../watchlist.js';
import { WatchlistStore } from '../watchlist-store.js';
import { ListWatchlistsQuery } from './list-watchlists.query.js';

@QueryHandler(ListWatchlistsQuery)
export class ListWatchlistsHandler implements IQueryHandler<ListWatchlistsQuery> {
  constructor(private readonly store: WatchlistStore) {}

  execute(): Promise<Watchlist[]> {
    return this.store.list();
  }
}
