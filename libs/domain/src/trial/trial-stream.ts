import { decodeEvent, type RecordedEvent } from '../events/event-codec.js';
import type { DomainEvent } from '../events/index.js';
import { streamIdOf } from '../shared/nct-id.js';
import { effectiveDateOf, type TrialSnapshot } from '../snapshot/trial-snapshot.js';
import { diff } from './diff.js';
import { evolve, type TrialState } from './evolve.js';
import { isStale } from './staleness.js';

/** A recorded event with its place in the trial's stream and its effective date. */
export interface RecordedTrialEvent extends RecordedEvent {
  streamVersion: number;
  occurredAt: Date;
}

/** A trial's stream folded: the state, the stream's version and the effective date of its newest event. */
export interface LoadedTrial {
  streamId: string;
  state: TrialState | null;
  version: number;
  /** The effective date of the newest event, for staleness when neither side has registry dates. */
  effectiveDate: string | null;
}

/** The state after each recorded event, folded in stream order (unknown event types are skipped). */
export const foldRecorded = (
  events: readonly RecordedEvent[],
  onEach?: (state: TrialState | null, index: number) => void,
): TrialState | null => {
  let state: TrialState | null = null;
  events.forEach((recorded, index) => {
    const event = decodeEvent(recorded);
    if (event) state = evolve(state, event);
    onEach?.(state, index);
  });
  return state;
};

export const loadTrial = (nctId: string, events: readonly RecordedTrialEvent[]): LoadedTrial => {
  const last = events[events.length - 1];
  return {
    streamId: streamIdOf(nctId),
    state: foldRecorded(events),
    version: last?.streamVersion ?? 0,
    effectiveDate: last ? last.occurredAt.toISOString() : null,
  };
};

export type SnapshotDecision =
  { outcome: 'stale' | 'unchanged'; events: [] } | { outcome: 'appended'; events: DomainEvent[]; occurredAt: string };

/** What a snapshot does to a trial: nothing (unchanged), nothing because it is older (stale), or events. */
export const decide = (
  trial: LoadedTrial,
  snapshot: TrialSnapshot,
  effectiveAt: string | null = null,
): SnapshotDecision => {
  if (trial.state && isStale(trial.state, snapshot, trial.effectiveDate)) return { outcome: 'stale', events: [] };
  const events = diff(trial.state, snapshot);
  if (events.length === 0) return { outcome: 'unchanged', events: [] };
  return { outcome: 'appended', events, occurredAt: effectiveAt ?? effectiveDateOf(snapshot) };
};

/** The trial after the decided events, for a later snapshot of the same trial in the same document. */
export const advance = (trial: LoadedTrial, decision: SnapshotDecision): LoadedTrial =>
  decision.outcome !== 'appended'
    ? trial
    : {
        ...trial,
        state: decision.events.reduce<TrialState | null>(evolve, trial.state),
        version: trial.version + decision.events.length,
        effectiveDate: decision.occurredAt,
      };
