import { decodeEvent, type RecordedEvent } from '../events/event-codec.js';
import type { DomainEvent } from '../events/index.js';
import { streamIdOf } from '../shared/nct-id.js';
import { type Design, type Eligibility, FACT_FIELDS, type FactField } from '../snapshot/trial-snapshot.js';
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
   * When an undated snapshot (a page, a `fields=` search result) last showed each field: changed or
   * taught it. Such a snapshot may have shown any version posted before it was observed, so a newer
   * version's difference in a field none showed since that version was posted is the registry's change
   * (see `decide`).
   */
  shownAt: ShownAt;
}

/**
 * A field, or a part of the design or eligibility (`eligibility.maximumAge`): a page showing the
 * eligibility criteria shows nothing of the age limits.
 */
export type ShownKey =
  | FactField
  | `design.${keyof Design}`
  | `eligibility.${keyof Eligibility}`
  /** The sites' statuses and the outcomes' time frames: many pages list the items without them. */
  | `${(typeof ITEM_DETAILS)[number][0]}.${(typeof ITEM_DETAILS)[number][1]}`;

/** Details of list items a page may leave out, shown apart from the items: the field and the item's detail. */
export const ITEM_DETAILS = [
  ['locations', 'status'],
  ['primaryOutcomes', 'timeFrame'],
  ['secondaryOutcomes', 'timeFrame'],
] as const;

/** Per field, and per part of the design and eligibility, when an undated snapshot last changed or taught it (an ISO instant). */
export type ShownAt = Readonly<Partial<Record<ShownKey, string>>>;

/** The values a list's items give `detail`, in order: what showing that detail of the list shows. */
const detailsOf = (items: readonly object[] | null, detail: string): string =>
  (items ?? [])
    .map((item) => (item as Record<string, unknown>)[detail])
    .filter((value) => value !== null)
    .map(String)
    .sort()
    .join('\n');

/** The parts of the design or eligibility whose value differs between two of them. */
const partsMoved = (before: object | null, after: object | null): string[] =>
  Object.keys({ ...before, ...after }).filter(
    (part) =>
      ((before as Record<string, unknown> | null)?.[part] ?? null) !==
      ((after as Record<string, unknown> | null)?.[part] ?? null),
  );

/**
 * A trial's state and `shownAt` after one decision's events, each event evolved once. A dated
 * snapshot's events (`observedAt` null) show a registry version and mark nothing; an undated one's mark
 * every field they changed or taught (all an undated registration shows), every part of the design
 * and eligibility, and a detail of list items (a site's status, an outcome's time frame) when an item
 * they changed or taught has one, at the time it was observed.
 */
export const evolveShown = (
  from: { state: TrialState | null; shown: ShownAt },
  events: readonly DomainEvent[],
  observedAt: string | null,
): { state: TrialState | null; shown: ShownAt } => {
  let state = from.state;
  if (observedAt === null) {
    for (const event of events) state = evolve(state, event);
    return { state, shown: from.shown };
  }
  const fields: Partial<Record<ShownKey, string>> = { ...from.shown };
  const mark = (field: ShownKey) => {
    const previous = fields[field];
    if (previous === undefined || Date.parse(previous) < Date.parse(observedAt)) fields[field] = observedAt;
  };
  for (const event of events) {
    const next = evolve(state, event);
    if (event.type === 'trial.registered') {
      for (const field of Object.keys(event.data.facts)) if (field !== 'nctId') mark(field as FactField);
    } else {
      for (const field of FACT_FIELDS) if (state === null || next[field] !== state[field]) mark(field);
    }
    for (const field of ['design', 'eligibility'] as const) {
      for (const part of partsMoved(state?.[field] ?? null, next[field])) mark(`${field}.${part}` as ShownKey);
    }
    // The items' details as a whole: a site whose place a page taught keeps its status, and shows none.
    for (const [field, detail] of ITEM_DETAILS) {
      if (detailsOf(state?.[field] ?? null, detail) !== detailsOf(next[field], detail)) mark(`${field}.${detail}`);
    }
    state = next;
  }
  return { state, shown: events.length > 0 ? fields : from.shown };
};

/**
 * When the snapshot behind a stored event was observed if it was undated, else null. Its metadata says
 * (`dated`, `observedAt`); an event without them counts as undated, observed when it occurred.
 */
const undatedObservationOf = (recorded: RecordedTrialEvent): string | null => {
  if (recorded.metadata?.['dated'] === true) return null;
  const observedAt = recorded.metadata?.['observedAt'];
  return typeof observedAt === 'string' ? new Date(observedAt).toISOString() : recorded.occurredAt.toISOString();
};

/** A state and what undated snapshots showed, after events read strictly (an unknown type is an error). */
const foldForDeciding = (
  from: { state: TrialState | null; shown: ShownAt },
  events: readonly RecordedTrialEvent[],
): { state: TrialState | null; shown: ShownAt } => {
  let folded = from;
  for (const recorded of events) {
    const event = decodeEvent(recorded, { strict: true });
    if (event) folded = evolveShown(folded, [event], undatedObservationOf(recorded));
  }
  return folded;
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
  const { state, shown } = foldForDeciding({ state: null, shown: {} }, events);
  return {
    streamId: streamIdOf(nctId),
    state,
    version: last?.streamVersion ?? 0,
    effectiveDate: last ? last.occurredAt.toISOString() : null,
    lastObservedAt: lastObservedAt?.toISOString() ?? null,
    shownAt: shown,
  };
};

/**
 * The format of a trial's kept state (see `keptStateOf`). Raise it whenever `TrialState` or the fold
 * changes meaning: states kept in another format are ignored, the stream is folded from its start,
 * and the next append keeps the state anew.
 */
export const TRIAL_STATE_SCHEMA_VERSION = 7;

/** What is kept beside a trial's stream to fold only the events after it. */
export interface KeptTrialState {
  state: TrialState | null;
  effectiveDate: string | null;
  shownAt: ShownAt;
}

export const keptStateOf = (trial: LoadedTrial): KeptTrialState => ({
  state: trial.state,
  effectiveDate: trial.effectiveDate,
  shownAt: trial.shownAt,
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
  const { state, shown } = foldForDeciding({ state: from?.state ?? null, shown: from?.shownAt ?? {} }, events);
  const last = events[events.length - 1];
  return {
    streamId: streamIdOf(nctId),
    state,
    version: last?.streamVersion ?? kept?.version ?? 0,
    effectiveDate: last ? last.occurredAt.toISOString() : (from?.effectiveDate ?? null),
    lastObservedAt: lastObservedAt?.toISOString() ?? null,
    shownAt: shown,
  };
};
