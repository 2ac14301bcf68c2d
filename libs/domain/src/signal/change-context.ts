import type { RecordedEvent } from '../events/event-codec.js';
import { decodeEvent } from '../events/event-codec.js';
import { FACTS_LEARNED } from '../events/facts-learned.event.js';
import { PRIMARY_COMPLETION_DATE_CHANGED } from '../events/primary-completion-date-changed.event.js';
import { START_DATE_CHANGED } from '../events/start-date-changed.event.js';
import { TRIAL_REGISTERED } from '../events/trial-registered.event.js';
import type { TrialState } from '../trial/evolve.js';
import { FILTER_FACT_EVENT_TYPES, type FilterFacts, filterFactsOf } from '../trial/filter-facts.js';
import { foldRecorded } from '../trial/trial-stream.js';
import { type Materiality, materialityOf } from './materiality.js';

/** The only events that change what grading a change looks at (the start and primary completion dates). */
export const MATERIALITY_CONTEXT_EVENT_TYPES: readonly string[] = [
  TRIAL_REGISTERED,
  FACTS_LEARNED,
  START_DATE_CHANGED,
  PRIMARY_COMPLETION_DATE_CHANGED,
];

/**
 * The facts a change's context is folded from (filter facts and the dates grading looks at): of a
 * registration or of learned facts, a reader loads only these (`change-context.spec.ts` checks the
 * contexts come out the same).
 */
export const CHANGE_CONTEXT_FACTS: readonly string[] = [
  'nctId',
  'conditions',
  'leadSponsor',
  'phases',
  'startDate',
  'primaryCompletionDate',
];

/** The events a change-feed entry's facts and grade depend on: folding these alone is enough. */
export const CHANGE_CONTEXT_EVENT_TYPES: readonly string[] = [
  ...new Set([...FILTER_FACT_EVENT_TYPES, ...MATERIALITY_CONTEXT_EVENT_TYPES]),
];

/** A stored event as the store gives it: what the fold reads, and where it stands in its stream. */
export type PositionedEvent = RecordedEvent & { eventId: string; streamVersion: number; occurredAt: Date };

export interface ChangeContext {
  /** The trial's filter facts once the change applied. */
  facts: FilterFacts;
  /** How much the change matters; null for an event this version cannot read. */
  materiality: Materiality | null;
}

/** What the contexts of a trial's later changes can be folded from: its context state after a stream version. */
export interface ContextStart {
  /** The stream version every context event at or below which is folded into `state`. */
  version: number;
  state: TrialState | null;
}

/**
 * For one trial: its context events (of CHANGE_CONTEXT_EVENT_TYPES, in stream order, up to the
 * changes), and the changes to describe; gives each change its filter facts and grade, judged by the
 * trial as it stood before the change. Pure.
 */
export const changeContextsOf = (
  contextEvents: readonly PositionedEvent[],
  changes: readonly PositionedEvent[],
): Map<string, ChangeContext> => changeContextsFrom({ version: 0, state: null }, contextEvents, changes).contexts;

/**
 * As `changeContextsOf`, from a known context state: `contextEvents` are those after `start.version`.
 * Also gives the context state after the last change, to start from next time.
 */
export const changeContextsFrom = (
  start: ContextStart,
  contextEvents: readonly PositionedEvent[],
  changes: readonly PositionedEvent[],
): { contexts: Map<string, ChangeContext>; end: ContextStart } => {
  const versions = [start.version, ...contextEvents.map((event) => event.streamVersion)];
  const states: (TrialState | null)[] = [start.state];
  foldRecorded(contextEvents, (state) => states.push(state), { initial: start.state });
  /** The state after the last context event at or below `version`. */
  const stateAt = (version: number): TrialState | null => {
    let found = -1;
    for (let low = 0, high = versions.length - 1; low <= high;) {
      const middle = (low + high) >> 1;
      if (versions[middle]! <= version) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found >= 0 ? states[found]! : null;
  };
  const contexts = new Map<string, ChangeContext>();
  for (const change of changes) {
    const event = decodeEvent(change);
    const before = stateAt(change.streamVersion - 1);
    contexts.set(change.eventId, {
      facts: filterFactsOf(stateAt(change.streamVersion)),
      materiality: event
        ? materialityOf(event, {
            before: before
              ? { startDate: before.startDate, primaryCompletionDate: before.primaryCompletionDate }
              : null,
            occurredAt: change.occurredAt.toISOString(),
          })
        : null,
    });
  }
  const last = Math.max(start.version, ...changes.map((change) => change.streamVersion));
  return { contexts, end: { version: last, state: stateAt(last) } };
};
