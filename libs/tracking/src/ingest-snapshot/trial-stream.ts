import {
  diff,
  type DomainEvent,
  effectiveDateOf,
  evolve,
  isStale,
  streamIdOf,
  type TrialSnapshot,
  type TrialState,
} from '@app/domain';
import type { StoredEvent } from '@app/infrastructure';
import { asDomainEvent } from '../projections/projection.js';

/** A trial's stream as the ingestion pipeline sees it: the folded state, its version and effective date. */
export interface LoadedTrial {
  streamId: string;
  state: TrialState | null;
  version: number;
  /** The effective date of the newest event, for staleness when neither side has registry dates. */
  effectiveDate: string | null;
}

export const loadTrial = (nctId: string, events: readonly StoredEvent[]): LoadedTrial => {
  let state: TrialState | null = null;
  for (const stored of events) {
    const event = asDomainEvent(stored);
    if (event) state = evolve(state, event);
  }
  const last = events[events.length - 1];
  return {
    streamId: streamIdOf(nctId),
    state,
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
