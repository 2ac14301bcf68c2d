import type { QueryBus } from '@nestjs/cqrs';
import { DomainError } from '@app/domain';
import { GetWatchlistQuery } from '../../watchlists/index.js';

export class UnknownWatchlistError extends DomainError {
  readonly code = 'request.unknown-watchlist';
  readonly kind = 'invalid' as const;
  constructor(missing: readonly string[]) {
    super(`watchlist: no watchlist with id ${missing.join(', ')}`, { parameter: 'watchlist', watchlistIds: missing });
  }
}

/**
 * Refuses a `watchlist=` filter naming a watchlist that does not exist (a mistyped or copied id, one
 * deleted): it would match nothing, ever, and never say so. Subscriptions refuse one the same way.
 */
export const assertWatchlistsExist = async (
  queryBus: QueryBus,
  watchlistIds: readonly string[] = [],
): Promise<void> => {
  const missing: string[] = [];
  for (const id of new Set(watchlistIds)) {
    await queryBus.execute(new GetWatchlistQuery(id)).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== 'watchlist.not-found') throw error;
      missing.push(id);
    });
  }
  if (missing.length > 0) throw new UnknownWatchlistError(missing);
};
