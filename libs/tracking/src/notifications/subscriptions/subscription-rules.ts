import { randomBytes } from 'node:crypto';
import type { QueryBus } from '@nestjs/cqrs';
import { DomainError } from '@app/domain';
import { GetWatchlistQuery } from '../../watchlists/index.js';
import { InvalidSubscriptionError, type SubscriptionFilter } from './subscription.js';

/** How long a rotated-out secret keeps signing beside the new one. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

export const checkName = (name: string | null | undefined): string | null => {
  if (name == null) return null;
  if (name.trim() === '' || name.length > 200) throw new InvalidSubscriptionError('name must be 1 to 200 characters');
  return name.trim();
};

export class DeliveryNotFoundError extends DomainError {
  readonly code = 'delivery.not-found';
  readonly kind = 'not-found' as const;
}

/**
 * The filter, once every watchlist it names exists: a subscription to a watchlist that does not (a
 * mistyped or copied id) would match nothing, ever, and never say so.
 */
export const checkWatchlists = async (queryBus: QueryBus, filter: SubscriptionFilter): Promise<SubscriptionFilter> => {
  const missing: string[] = [];
  for (const id of filter.watchlistIds ?? []) {
    await queryBus.execute(new GetWatchlistQuery(id)).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== 'watchlist.not-found') throw error;
      missing.push(id);
    });
  }
  if (missing.length > 0) {
    throw new InvalidSubscriptionError(`Invalid filter: no watchlist with id ${missing.join(', ')}`, {
      problems: [`no watchlist with id ${missing.join(', ')}`],
    });
  }
  return filter;
};
