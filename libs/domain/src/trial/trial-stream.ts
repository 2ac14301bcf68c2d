import { decodeEvent, type RecordedEvent } from '../events/event-codec.js';
import { streamIdOf } from '../shared/nct-id.js';
import { evolve, type TrialState } from './evolve.js';

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
  /** The effective date of the newest event: no event appended later may occur before it. */
  effectiveDate: string | null;
  /**
   * When the trial was last observed through an undated snapshot, even one that changed nothing (kept
   * beside the stream); an undated snapshot observed before this is stale.
   */
  lastObservedAt: string | null;
}

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
  return {
    streamId: streamIdOf(nctId),
    state: foldRecorded(events, undefined, { strict: true }),
    version: last?.streamVersion ?? 0,
    effectiveDate: last ? last.occurredAt.toISOString() : null,
    lastObservedAt: lastObservedAt?.toISOString() ?? null,
  };
};

/**
 * The format of a trial's kept state (see `keptStateOf`). Raise it whenever `TrialState` or the fold
 * changes meaning: states kept in another format are ignored, the stream is folded from its start,
 * and the next append keeps the state anew.
 */
export const TRIAL_STATE_SCHEMA_VERSION = 2;

/** What is kept beside a trial's stream to fold only the events after it. */
export interface KeptTrialState {
  state: TrialState | null;
  effectiveDate: string | null;
}

export const keptStateOf = (trial: LoadedTrial): KeptTrialState => ({
  state: trial.state,
  effectiveDate: trial.effectiveDate,
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
  let state: TrialState | null = from?.state ?? null;
  for (const recorded of events) {
    const event = decodeEvent(recorded, { strict: true });
    if (event) state = evolve(state, event);
  }
  const last = events[events.length - 1];
  return {
    streamId: streamIdOf(nctId),
    state,
    version: last?.streamVersion ?? kept?.version ?? 0,
    effectiveDate: last ? last.occurredAt.toISOString() : (from?.effectiveDate ?? null),
    lastObservedAt: lastObservedAt?.toISOString() ?? null,
  };
};
