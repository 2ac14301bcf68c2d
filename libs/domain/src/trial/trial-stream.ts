import { decodeEvent, type RecordedEvent } from '../events/event-codec.js';
import type { DomainEvent } from '../events/index.js';
import { streamIdOf } from '../shared/nct-id.js';
import { FACT_FIELDS, type FactField } from '../snapshot/trial-snapshot.js';
import { evolve, type TrialState } from './evolve.js';

/** A recorded event with its place in the trial's stream and its effective date. */
export interface RecordedTrialEvent extends RecordedEvent {
  streamVersion: number;
  occurredAt: Date;
  /** Where the event came from: the events one snapshot's decision appended share its `snapshotId`. */
  metadata?: Readonly<Record<string, unknown>>;
}

/** A trial's stream folded: the state, the stream's version and the effective date of its newest event. */
export interface LoadedTrial {
  streamId: string;
  state: TrialState | null;
  version: number;
  /** The effective date of the newest event: no event appended later may occur before it. */
  effectiveDate: string | null;
  /**
   * When the trial was last observed through an undated snapshot, even one that changed nothing (kept
   * beside the stream); an undated snapshot observed before this is stale.
   */
  lastObservedAt: string | null;
  /**
   * The fields that events after the state's newest registry version changed or taught: what undated
   * snapshots (pages, `fields=` search results) showed since. A newer version's difference in any other
   * field is the registry's change, whatever was observed in between (see `decide`).
   */
  shownSinceVersion: readonly FactField[];
}

/** Whether an event is a registry version's own: a version move, or a registration the registry dated. */
const isVersionEvent = (event: DomainEvent): boolean =>
  event.type === 'trial.last-update-posted-date-moved' ||
  (event.type === 'trial.registered' &&
    ((event.data.facts.lastUpdatePostDate ?? null) !== null ||
      (event.data.facts.lastUpdateSubmitDate ?? null) !== null));

/**
 * `shownSinceVersion` after one decision's events: none when they are a registry version's, else what
 * they changed or taught added to what was shown before (every field an undated registration shows).
 */
export const shownAfter = (
  shown: readonly FactField[],
  before: TrialState | null,
  events: readonly DomainEvent[],
): readonly FactField[] => {
  if (events.some(isVersionEvent)) return [];
  const fields = new Set(shown);
  let state = before;
  for (const event of events) {
    const next = evolve(state, event);
    if (event.type === 'trial.registered') {
      for (const field of Object.keys(event.data.facts)) if (field !== 'nctId') fields.add(field as FactField);
    } else {
      for (const field of FACT_FIELDS) if (state === null || next[field] !== state[field]) fields.add(field);
    }
    state = next;
  }
  return fields.size === shown.length ? shown : [...fields];
};

/** Events in stream order, in the runs one decision appended (one snapshot, one effective date). */
const decisionsOf = (events: readonly RecordedTrialEvent[]): RecordedTrialEvent[][] => {
  const runs: RecordedTrialEvent[][] = [];
  let key: string | null = null;
  for (const recorded of events) {
    const next = `${String(recorded.metadata?.['snapshotId'] ?? '')}|${recorded.occurredAt.toISOString()}`;
    if (next === key) runs[runs.length - 1]!.push(recorded);
    else runs.push([recorded]);
    key = next;
  }
  return runs;
};

/** A state and what was shown since its version, after events read strictly (an unknown type is an error). */
const foldForDeciding = (
  from: { state: TrialState | null; shown: readonly FactField[] },
  events: readonly RecordedTrialEvent[],
): { state: TrialState | null; shown: readonly FactField[] } => {
  let { state, shown } = from;
  for (const run of decisionsOf(events)) {
    const decoded = run.map((recorded) => decodeEvent(recorded, { strict: true })!);
    shown = shownAfter(shown, state, decoded);
    state = decoded.reduce<TrialState | null>(evolve, state);
  }
  return { state, shown };
};

/**
 * The state after each recorded event, folded in stream order from `initial` (the state before the
 * first of them). Read models skip events of types this version does not know; with `strict` (deciding
 * what a snapshot changes) such an event stops the fold.
 */
export const foldRecorded = (
  events: readonly RecordedEvent[],
  onEach?: (state: TrialState | null, index: number) => void,
  { strict = false, initial = null }: { strict?: boolean; initial?: TrialState | null } = {},
): TrialState | null => {
  let state: TrialState | null = initial;
  events.forEach((recorded, index) => {
    const event = decodeEvent(recorded, { strict });
    if (event) state = evolve(state, event);
    onEach?.(state, index);
  });
  return state;
};

/** A trial's stream folded for deciding on a snapshot: an event it cannot read is an error, never skipped. */
export const loadTrial = (
  nctId: string,
  events: readonly RecordedTrialEvent[],
  lastObservedAt: Date | null = null,
): LoadedTrial => {
  const last = events[events.length - 1];
  const { state, shown } = foldForDeciding({ state: null, shown: [] }, events);
  return {
    streamId: streamIdOf(nctId),
    state,
    version: last?.streamVersion ?? 0,
    effectiveDate: last ? last.occurredAt.toISOString() : null,
    lastObservedAt: lastObservedAt?.toISOString() ?? null,
    shownSinceVersion: shown,
  };
};

/**
 * The format of a trial's kept state (see `keptStateOf`). Raise it whenever `TrialState` or the fold
 * changes meaning: states kept in another format are ignored, the stream is folded from its start,
 * and the next append keeps the state anew.
 */
export const TRIAL_STATE_SCHEMA_VERSION = 3;

/** What is kept beside a trial's stream to fold only the events after it. */
export interface KeptTrialState {
  state: TrialState | null;
  effectiveDate: string | null;
  shownSinceVersion: readonly FactField[];
}

export const keptStateOf = (trial: LoadedTrial): KeptTrialState => ({
  state: trial.state,
  effectiveDate: trial.effectiveDate,
  shownSinceVersion: trial.shownSinceVersion,
});

/**
 * A trial's state from its kept state (null when none is kept) and the events after it, skipping events
 * it cannot read as every read model does.
 */
export const stateAfterKept = (
  kept: { data: unknown } | null,
  events: readonly RecordedTrialEvent[],
): TrialState | null => {
  let state: TrialState | null = (kept?.data as KeptTrialState | undefined)?.state ?? null;
  for (const recorded of events) {
    const event = decodeEvent(recorded);
    if (event) state = evolve(state, event);
  }
  return state;
};

/**
 * A trial loaded from its kept state (at `kept.version`; null when none is kept) and the events
 * after it: the same as `loadTrial` over the whole stream.
 */
export const loadTrialAfter = (
  nctId: string,
  kept: { version: number; data: unknown } | null,
  events: readonly RecordedTrialEvent[],
  lastObservedAt: Date | null = null,
): LoadedTrial => {
  const from = kept?.data as KeptTrialState | undefined;
  const { state, shown } = foldForDeciding(
    { state: from?.state ?? null, shown: from?.shownSinceVersion ?? [] },
    events,
  );
  const last = events[events.length - 1];
  return {
    streamId: streamIdOf(nctId),
    state,
    version: last?.streamVersion ?? kept?.version ?? 0,
    effectiveDate: last ? last.occurredAt.toISOString() : (from?.effectiveDate ?? null),
    lastObservedAt: lastObservedAt?.toISOString() ?? null,
    shownSinceVersion: shown,
  };
};
