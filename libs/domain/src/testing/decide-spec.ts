import { type DomainEvent, type DomainEventType, factsLearned, type FactsLearned } from '../events/index.js';
import {
  COMPLETE_RECORD_FIELDS,
  ITEM_LIST_FIELDS,
  type FactField,
  type SnapshotFormat,
  type TrialFacts,
  type TrialSnapshot,
} from '../snapshot/trial-snapshot.js';
import { advance, decide, type SnapshotOutcome } from '../trial/decide.js';
import type { TrialState } from '../trial/evolve.js';
import { evolveShown, type LoadedTrial, NOTHING_SHOWN } from '../trial/trial-stream.js';
import { streamIdOf } from '../shared/nct-id.js';
import { NCT_ID } from './trial-facts.js';

/*
 * Given/when/then for `decide`, the rules of what a snapshot does to a trial:
 *
 *   givenStream(recorded(event, at), …).when(snapshot).thenLearned(facts)
 *   givenStream(…).when(snapshot).thenChanged(events) / .thenEventTypes(types) / .thenStale() / .thenUnchanged()
 *   ….then(…).andState(facts)          the facts of the state once the decision is applied
 *
 * A stream is the events already recorded, each with the time it occurred. Snapshots come from the
 * builders below: a complete record (a full API v2 study, legacy XML), or a page / limited document
 * that states nothing as none.
 */

export interface RecordedEntry {
  event: DomainEvent;
  /** ISO timestamp the event occurred at. */
  at: string;
}

export const recorded = (event: DomainEvent, at: string): RecordedEntry => ({ event, at });

/** What a complete record states completely, as the formats declare it. */
export const COMPLETE = COMPLETE_RECORD_FIELDS;

/**
 * A complete registry record of `facts` (a full API v2 study), observed when its version was posted.
 * A complete record states every list: one it leaves out is empty.
 */
export const aCompleteRecord = (facts: TrialFacts, observedAt = '2024-06-01T00:00:00.000Z'): TrialSnapshot => ({
  ...facts,
  ...Object.fromEntries(ITEM_LIST_FIELDS.filter((field) => facts[field] === null).map((field) => [field, []])),
  source: { format: 'ctgov-api-v2-json', observedAt, contentSha256: 'a'.repeat(64), definitive: COMPLETE },
});

/** A registry page (or a `fields=`-limited document) showing `facts`: a value it leaves out is not shown. */
export const aPage = (
  facts: TrialFacts,
  observedAt = '2024-06-01T00:00:00.000Z',
  format: SnapshotFormat = 'veeva-text',
): TrialSnapshot => ({
  ...facts,
  source: { format, observedAt, contentSha256: 'b'.repeat(64), definitive: [] },
});

/** Each entry as one decision's event, folded as a stream without metadata is loaded (observed when it occurred). */
const loaded = (entries: readonly RecordedEntry[]): LoadedTrial => {
  let folded = NOTHING_SHOWN;
  for (const { event, at } of entries) {
    folded = evolveShown(folded, [event], { observedAt: new Date(at).toISOString(), complete: false });
  }
  const { state, shown, versionShown } = folded;
  return {
    streamId: streamIdOf(NCT_ID),
    state,
    version: entries.length,
    effectiveDate: entries.length > 0 ? new Date(entries[entries.length - 1]!.at).toISOString() : null,
    lastObservedAt: null,
    shownAt: shown,
    versionShown,
  };
};

const factsOnly = (state: TrialState | null): TrialFacts | null => {
  if (state === null) return null;
  const { unknownFields: _unknown, noneParts: _none, ...facts } = state;
  return facts;
};

export interface DecisionThen {
  decision: ReturnType<typeof decide>;
  thenStale(): DecisionThen;
  thenUnchanged(): DecisionThen;
  /** Learned exactly these facts (and parts of the design and eligibility as none), and nothing else. */
  thenLearned(facts: Partial<Omit<TrialFacts, 'nctId'>>, noneParts?: FactsLearned['data']['noneParts']): DecisionThen;
  /** Changed, with exactly these events. */
  thenChanged(events: readonly DomainEvent[]): DecisionThen;
  thenEventTypes(types: readonly DomainEventType[]): DecisionThen;
  thenOccurredAt(iso: string): DecisionThen;
  /** The facts of the state once the decision is applied (which fields are unknown aside). */
  andState(expected: TrialFacts): DecisionThen;
  /** The fields the state still does not know once the decision is applied. */
  andUnknown(expected: readonly FactField[]): DecisionThen;
}

export const givenStream = (...entries: RecordedEntry[]) => ({
  when: (snapshot: TrialSnapshot, effectiveAt: string | null = null): DecisionThen => {
    const trial = loaded(entries);
    const decision = decide(trial, snapshot, effectiveAt);
    const outcome = (expected: SnapshotOutcome) => expect(decision.outcome).toBe(expected);
    const then: DecisionThen = {
      decision,
      thenStale: () => (outcome('stale'), then),
      thenUnchanged: () => (outcome('unchanged'), then),
      thenLearned: (facts, noneParts) => {
        outcome('learned');
        expect(decision.events).toEqual([factsLearned(noneParts ? { facts, noneParts } : { facts })]);
        return then;
      },
      thenChanged: (events) => {
        outcome('changed');
        expect(decision.events).toEqual(events);
        return then;
      },
      thenEventTypes: (types) => (expect(decision.events.map((event) => event.type)).toEqual(types), then),
      thenOccurredAt: (iso) => (expect('occurredAt' in decision ? decision.occurredAt : null).toBe(iso), then),
      andState: (expected) => (expect(factsOnly(advance(trial, decision).state)).toEqual(expected), then),
      andUnknown: (expected) => (expect(advance(trial, decision).state?.unknownFields).toEqual(expected), then),
    };
    return then;
  },
});
