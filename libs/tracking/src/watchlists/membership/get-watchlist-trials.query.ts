import { Query } from '@nestjs/cqrs';

/**
 * The trials each watchlist watches: those it names by NCT ID and those its runs brought in (search
 * results, pages, backfills). With `nctIds`, only those trials are looked for.
 */
export class GetWatchlistTrialsQuery extends Query<Map<string, Set<string>>> {
  constructor(
    readonly watchlistIds: readonly string[],
    readonly nctIds?: readonly string[],
  ) {
    super();
  }
}
