import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { WatchlistStore } from '../watchlist-store.js';
import { FindRegistryAbsencesQuery } from './find-registry-absences.query.js';

@QueryHandler(FindRegistryAbsencesQuery)
export class FindRegistryAbsencesHandler implements IQueryHandler<FindRegistryAbsencesQuery> {
  constructor(private readonly store: WatchlistStore) {}

  execute({ nctIds }: FindRegistryAbsencesQuery): Promise<Map<string, string>> {
    return this.store.registryAbsences(nctIds);
  }
}
