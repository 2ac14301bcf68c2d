import { isAnnounced, type MaterialityTier, tierRank, type TrialFacts } from '@app/domain';
import type { SubscriptionFilter } from '../subscriptions/subscription.js';

/** What a filter is checked against: the event, and the trial as it was once the event applied. */
export interface FilterSubject {
  eventType: string;
  nctId: string;
  facts: Pick<TrialFacts, 'conditions' | 'leadSponsor' | 'phases'> | null;
  /** How much the event matters (materiality), when the matcher graded it. */
  materiality?: MaterialityTier | null;
  /** Watchlists the trial belongs to. */
  watchlistIds: ReadonlySet<string>;
}

/**
 * Lower case one character at a time, as PostgreSQL's `lower()` does for the change feed's filters, so
 * that webhooks and the feed match the same trials: 'İ' becomes 'i', not 'i' and a combining dot, and
 * a word's last 'Σ' becomes 'σ', not 'ς' (subscription-filter.spec.ts; filter-meaning.int-spec.ts).
 */
const lowerEachCharacter = (text: string): string => {
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  let lowered = '';
  for (const character of text) lowered += String.fromCodePoint(character.toLowerCase().codePointAt(0)!);
  return lowered;
};

const containsAny = (haystack: string | null | undefined, needles: string[]): boolean => {
  const text = lowerEachCharacter(haystack ?? '');
  return needles.some((needle) => text.includes(lowerEachCharacter(needle)));
};

/** True when the subject meets every criterion of the filter. Pure. */
export const matchesFilter = (filter: SubscriptionFilter, subject: FilterSubject): boolean => {
  if (filter.nctIds && !filter.nctIds.includes(subject.nctId)) return false;
  // Learned facts are not registry changes: a subscription hears of them only when it names their type.
  if (filter.eventTypes ? !filter.eventTypes.includes(subject.eventType) : !isAnnounced(subject.eventType)) {
    return false;
  }
  if (filter.watchlistIds && !filter.watchlistIds.some((id) => subject.watchlistIds.has(id))) return false;
  if (
    filter.conditions &&
    !(subject.facts?.conditions ?? []).some((condition) => containsAny(condition, filter.conditions!))
  ) {
    return false;
  }
  if (filter.leadSponsors && !containsAny(subject.facts?.leadSponsor?.name, filter.leadSponsors)) return false;
  if (filter.phases && !(subject.facts?.phases ?? []).some((phase) => filter.phases!.includes(phase))) return false;
  if (filter.minMateriality && tierRank(subject.materiality ?? 'noise') < tierRank(filter.minMateriality)) return false;
  return true;
};

/** Whether matching needs the trial's facts (a fold of its stream) or only the event. */
export const needsFacts = (filter: SubscriptionFilter): boolean =>
  Boolean(filter.conditions || filter.leadSponsors || filter.phases || filter.minMateriality);
