import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type WatchlistRun } from '../watchlist.js';
import { WatchlistStore } from '../watchlist-store.js';
import { ListWatchlistRunsQuery } from './list-watchlist-runs.query.js';

@QueryHandler(ListWatchlistRunsQuery)
export class ListWatchlistRunsHandler implements IQueryHandler<ListWatchlistRunsQuery> {
  constructor(private readonly store: WatchlistStore) {}

  async execute({ idOrName, limit }: ListWatchlistRunsQuery): Promise<WatchlistRun[]> {
    const watchlist = await this.store.get(idOrName);
    return this.store.runs(watchlist.id, limit);
  }
}
