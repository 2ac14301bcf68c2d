import {
  DomainError,
  DOMAIN_EVENT_TYPES,
  isMaterialityTier,
  isNctId,
  MATERIALITY_TIERS,
  type MaterialityTier,
} from '@app/domain';

/** Which changes a subscriber hears of. Every given criterion must hold; within a criterion, any value may match. */
export interface SubscriptionFilter {
  nctIds?: string[];
  watchlistIds?: string[];
  eventTypes?: string[];
  /** A condition of the trial contains one of these (case-insensitive). */
  conditions?: string[];
  /** The lead sponsor's name contains one of these (case-insensitive). */
  leadSponsors?: string[];
  /** The trial has one of these phases. */
  phases?: string[];
  /** The change matters at least this much (`noise` < `low` < `medium` < `high`). */
  minMateriality?: MaterialityTier;
}

export interface Subscription {
  id: string;
  name: string | null;
  filter: SubscriptionFilter;
  url: string;
  status: 'active' | 'disabled';
  disabledReason: string | null;
  disabledAt: string | null;
  failingSince: string | null;
  /** The sequence number of the subscription's latest delivery (0: none yet); webhooks carry theirs in `data.sequence`. */
  lastSequence: number;
  createdAt: string;
  updatedAt: string;
}

/** Returned once, when a subscription is created or its secret rotated: the secret is never shown again. */
export interface SubscriptionWithSecret extends Subscription {
  secret: string;
}

export class InvalidSubscriptionError extends DomainError {
  readonly code = 'subscription.invalid';
  readonly kind = 'invalid' as const;
}

export class SubscriptionNotFoundError extends DomainError {
  readonly code = 'subscription.not-found';
  readonly kind = 'not-found' as const;
  constructor(id: string) {
    super(`No subscription with id ${id}`, { id });
  }
}

const PHASES = ['EARLY_PHASE1', 'PHASE1', 'PHASE2', 'PHASE3', 'PHASE4', 'NA'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const LIST_FILTERS = ['nctIds', 'watchlistIds', 'eventTypes', 'conditions', 'leadSponsors', 'phases'] as const;

const cleanList = (
  values: string[] | undefined,
  canonical: (value: string) => string = (value) => value,
): string[] | undefined => {
  const cleaned = [...new Set((values ?? []).map((value) => canonical(value.trim())).filter(Boolean))];
  return cleaned.length > 0 ? cleaned : undefined;
};

/** Canonical filter (upper-case NCT IDs and enums, lower-case watchlist UUIDs, no empty lists); every problem is listed. */
export const validateFilter = (filter: SubscriptionFilter): SubscriptionFilter => {
  const problems: string[] = [];
  // A blank value would be cleaned away, and a list left empty means no restriction: the subscription
  // would receive every change.
  const blankLists = LIST_FILTERS.filter((key) => filter[key]?.some((value) => value.trim() === ''));
  if (blankLists.length) problems.push(`blank values in: ${blankLists.join(', ')}`);
  const nctIds = cleanList(filter.nctIds, (id) => id.toUpperCase());
  const badIds = nctIds?.filter((id) => !isNctId(id)) ?? [];
  if (badIds.length) problems.push(`not NCT IDs: ${badIds.join(', ')}`);
  const eventTypes = cleanList(filter.eventTypes);
  const badTypes = eventTypes?.filter((type) => !(DOMAIN_EVENT_TYPES as readonly string[]).includes(type)) ?? [];
  if (badTypes.length)
    problems.push(`unknown event types: ${badTypes.join(', ')} (known: ${DOMAIN_EVENT_TYPES.join(', ')})`);
  const phases = cleanList(filter.phases, (phase) => phase.toUpperCase());
  const badPhases = phases?.filter((phase) => !PHASES.includes(phase)) ?? [];
  if (badPhases.length) problems.push(`unknown phases: ${badPhases.join(', ')} (known: ${PHASES.join(', ')})`);
  const watchlistIds = cleanList(filter.watchlistIds, (id) => id.toLowerCase());
  const badWatchlists = watchlistIds?.filter((id) => !UUID.test(id)) ?? [];
  if (badWatchlists.length) problems.push(`watchlist ids must be UUIDs: ${badWatchlists.join(', ')}`);
  if (filter.minMateriality !== undefined && !isMaterialityTier(filter.minMateriality)) {
    problems.push(`minMateriality must be one of ${MATERIALITY_TIERS.join(', ')}`);
  }
  if (problems.length > 0) throw new InvalidSubscriptionError(`Invalid filter: ${problems.join('; ')}`, { problems });
  const canonical: SubscriptionFilter = {
    nctIds,
    watchlistIds,
    eventTypes,
    conditions: cleanList(filter.conditions),
    leadSponsors: cleanList(filter.leadSponsors),
    phases,
    minMateriality: filter.minMateriality,
  };
  return Object.fromEntries(Object.entries(canonical).filter(([, value]) => value !== undefined)) as SubscriptionFilter;
};
