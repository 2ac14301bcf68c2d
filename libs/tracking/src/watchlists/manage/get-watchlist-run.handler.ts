import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type WatchlistRun } from '../watchlist.js';
import { WatchlistStore } from '../watchlist-store.js';
import { GetWatchlistRunQuery } from './get-watchlist-run.query.js';

@QueryHandler(GetWatchlistRunQuery)
export class GetWatchlistRunHandler implements IQueryHandler<GetWatchlistRunQuery> {
  constructor(private readonly store: WatchlistStore) {}

  execute({ runId }: GetWatchlistRunQuery): Promise<WatchlistRun | null> {
    return this.store.getRun(runId);
  }
}
