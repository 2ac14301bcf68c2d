import type { RecordedEvent } from '../events/event-codec.js';
import { CONDITIONS_CHANGED } from '../events/conditions-changed.event.js';
import { FACTS_LEARNED } from '../events/facts-learned.event.js';
import { LEAD_SPONSOR_CHANGED } from '../events/lead-sponsor-changed.event.js';
import { PHASES_CHANGED } from '../events/phases-changed.event.js';
import { TRIAL_REGISTERED } from '../events/trial-registered.event.js';
import type { TrialFacts } from '../snapshot/trial-snapshot.js';
import { foldRecorded } from './trial-stream.js';

/**
 * What the change filters (`condition`, `sponsor`, `phase`) look at: the trial as it was once an
 * event applied. Webhook subscriptions, the change feed, its live stream, the Atom feeds and the
 * web's recent changes all match these facts as of each event, never the trial's state today.
 */
export interface FilterFacts {
  conditions: string[];
  /** The lead sponsor's name. */
  leadSponsor: string | null;
  phases: string[];
}

/** The only events that can change a trial's filter facts; folding these alone gives the same facts as folding all. */
export const FILTER_FACT_EVENT_TYPES: readonly string[] = [
  TRIAL_REGISTERED,
  CONDITIONS_CHANGED,
  LEAD_SPONSOR_CHANGED,
  PHASES_CHANGED,
  FACTS_LEARNED,
];

/** The filter facts of a trial's state (none before its first event). Pure. */
export const filterFactsOf = (
  state: Pick<TrialFacts, 'conditions' | 'leadSponsor' | 'phases'> | null,
): FilterFacts => ({
  conditions: [...(state?.conditions ?? [])],
  leadSponsor: state?.leadSponsor?.name ?? null,
  phases: [...(state?.phases ?? [])],
});

/**
 * The filter facts after each event of one trial's stream, in stream order (events of a type this
 * version does not know leave them as they were). Pure.
 */
export const filterFactsAlong = (events: readonly RecordedEvent[]): FilterFacts[] => {
  const facts: FilterFacts[] = [];
  foldRecorded(events, (state) => facts.push(filterFactsOf(state)));
  return facts;
};
