import { decodeEvent, type RecordedEvent } from '../events/event-codec.js';
import type { DomainEvent } from '../events/index.js';
import { streamIdOf } from '../shared/nct-id.js';
import { partialDateStart } from '../shared/partial-date.js';
import {
  type Design,
  type Eligibility,
  FACT_FIELDS,
  type FactField,
  registryDateOf,
} from '../snapshot/trial-snapshot.js';
import {
  alikeBut,
  armGroupMatcher,
  diffList,
  interventionMatcher,
  locationMatcher,
  type Matcher,
  officialMatcher,
  outcomeMatcher,
  referenceMatcher,
  secondaryIdMatcher,
  sponsorMatcher,
} from './comparison.js';
import { evolve, type TrialState } from './evolve.js';

/** A recorded event with its place in the trial's stream and its effective date. */
export interface RecordedTrialEvent extends RecordedEvent {
  streamVersion: number;
  occurredAt: Date;
  /**
   * Where the event came from: the events one snapshot's decision appended share its `snapshotId`,
   * `observedAt` and `snapshotIndex`.
   */
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
  /**
   * What dated snapshots of the trial's registry version showed (changed or taught): `all` once a
   * complete record of it was decided. A page that moves the trial to a newer version shows some fields
   * of it; the others still hold an older version's values, so the version's complete record differing
   * there shows the registry's change (see `decide`).
   */
  versionShown: VersionShown;
}

/** The fields and parts dated snapshots of a registry version showed, or all of them. */
export type VersionShown = 'all' | readonly ShownKey[];

/** How a decision's snapshot showed the trial: undated (observed when), or a registry version, complete or in part. */
export interface Showing {
  observedAt: string | null;
  complete: boolean;
}

/** What one decision's events tell of the trial: its state, and what snapshots showed of it. */
export interface ShownTrial {
  state: TrialState | null;
  shown: ShownAt;
  versionShown: VersionShown;
}

/**
 * A field, or a part of the design or eligibility (`eligibility.maximumAge`): a page showing the
 * eligibility criteria shows nothing of the age limits.
 */
export type ShownKey =
  | FactField
  | `design.${keyof Design}`
  | `eligibility.${keyof Eligibility}`
  /**
   * A site's status or place, an outcome's time frame, an intervention's or arm's type, a collaborator's
   * class, a secondary id's type or issuer, a reference's type, an official's role or affiliation, of
   * one item (`locations.city:<the site's key>`): many pages list the items without them, or give them
   * for some items only.
   */
  | `${ItemDetail}:${string}`;

/** Details of list items a page may leave out, shown apart from the items: the field and the item's detail. */
export const ITEM_DETAILS = [
  ['locations', 'status'],
  ['locations', 'city'],
  ['locations', 'state'],
  ['locations', 'country'],
  ['primaryOutcomes', 'timeFrame'],
  ['secondaryOutcomes', 'timeFrame'],
  ['interventions', 'type'],
  ['armGroups', 'type'],
  ['collaborators', 'class'],
  ['secondaryIds', 'type'],
  ['secondaryIds', 'domain'],
  ['references', 'type'],
  ['overallOfficials', 'role'],
  ['overallOfficials', 'affiliation'],
] as const;

/** A list whose items have details shown apart from them. */
export type DetailedListField = (typeof ITEM_DETAILS)[number][0];

type ItemDetail = `${DetailedListField}.${(typeof ITEM_DETAILS)[number][1]}`;

/** How the items of each list with details are told apart: the same item, by the key its diff pairs it with. */
export const ITEM_MATCHERS = {
  locations: locationMatcher,
  primaryOutcomes: outcomeMatcher,
  secondaryOutcomes: outcomeMatcher,
  interventions: interventionMatcher,
  armGroups: armGroupMatcher,
  collaborators: sponsorMatcher,
  secondaryIds: secondaryIdMatcher,
  references: referenceMatcher,
  overallOfficials: officialMatcher,
} as Record<DetailedListField, Matcher<object>>;

/** Each list with details, and its items' details. */
export const DETAILS_OF: ReadonlyMap<DetailedListField, readonly string[]> = new Map(
  [...new Set(ITEM_DETAILS.map(([field]) => field))].map((field) => [
    field,
    ITEM_DETAILS.filter(([of]) => of === field).map(([, detail]) => detail),
  ]),
);

/** The key saying that `detail` of `item` (as the trial holds it) was shown. */
export const itemShownKey = (field: DetailedListField, detail: string, item: object): ShownKey =>
  `${field}.${detail}:${ITEM_MATCHERS[field].key(item)}` as ShownKey;

/** The field and the item's key of a key saying an item's detail was shown; null for any other key. */
const itemOfShownKey = (key: string): { field: DetailedListField; itemKey: string } | null => {
  const colon = key.indexOf(':');
  return colon < 0
    ? null
    : { field: key.slice(0, key.indexOf('.')) as DetailedListField, itemKey: key.slice(colon + 1) };
};

/** The items of a list before and after an event, each paired with itself whatever its details became. */
const pairedItems = (field: DetailedListField, before: readonly object[] | null, after: readonly object[] | null) =>
  diffList<object>(before ?? [], after ?? [], alikeBut(ITEM_MATCHERS[field], DETAILS_OF.get(field)!));

/**
 * Per field, part of the design and eligibility, and detail of one list item, when an undated snapshot
 * last changed or taught it (an ISO instant).
 */
export type ShownAt = Readonly<Partial<Record<ShownKey, string>>>;

/** The parts of the design or eligibility whose value differs between two of them. */
const partsMoved = (before: object | null, after: object | null): string[] =>
  Object.keys({ ...before, ...after }).filter(
    (part) =>
      ((before as Record<string, unknown> | null)?.[part] ?? null) !==
      ((after as Record<string, unknown> | null)?.[part] ?? null),
  );

/** A trial before its first event. */
export const NOTHING_SHOWN: ShownTrial = { state: null, shown: {}, versionShown: [] };

/**
 * The keys one event changed or taught: fields, parts of the design and eligibility, and each item's
 * details it changed or taught (a site whose place a page taught keeps its status, and shows none).
 */
const keysShownBy = (event: DomainEvent, state: TrialState | null, next: TrialState): ShownKey[] => {
  const keys: ShownKey[] =
    event.type === 'trial.registered'
      ? Object.keys(event.data.facts).filter((field): field is FactField => field !== 'nctId')
      : FACT_FIELDS.filter((field) => state === null || next[field] !== state[field]);
  for (const field of ['design', 'eligibility'] as const) {
    for (const part of partsMoved(state?.[field] ?? null, next[field])) keys.push(`${field}.${part}` as ShownKey);
  }
  for (const [field, details] of DETAILS_OF) {
    const [before, after] = [state?.[field] ?? null, next[field]];
    if (before === after) continue;
    const { added, matched } = pairedItems(field, before, after);
    const detailOf = (item: object | undefined, detail: string) =>
      (item as Record<string, unknown> | undefined)?.[detail] ?? null;
    for (const [item, partner] of [
      ...added.map((item) => [item, undefined] as const),
      ...matched.map(([b, a]) => [a, b] as const),
    ]) {
      for (const detail of details) {
        const value = detailOf(item, detail);
        if (value !== null && value !== detailOf(partner, detail)) keys.push(itemShownKey(field, detail, item));
      }
    }
  }
  return keys;
};

/** Per list, the key of each item an event changed, to the keys of what it became (none: removed). */
type ItemsFollowed = ReadonlyMap<DetailedListField, ReadonlyMap<string, ReadonlySet<string>>>;

/**
 * How the items that `keys` name followed an event: only lists it changed, and some key names an item
 * of, are paired up.
 */
const itemsFollowed = (keys: Iterable<string>, state: TrialState | null, next: TrialState): ItemsFollowed => {
  const followed = new Map<DetailedListField, Map<string, Set<string>>>();
  for (const key of keys) {
    const item = itemOfShownKey(key);
    if (item === null || followed.has(item.field) || next[item.field] === (state?.[item.field] ?? null)) continue;
    const keyOf = ITEM_MATCHERS[item.field].key;
    const became = new Map<string, Set<string>>();
    for (const [before, after] of pairedItems(item.field, state?.[item.field] ?? null, next[item.field]).matched) {
      became.set(keyOf(before), (became.get(keyOf(before)) ?? new Set<string>()).add(keyOf(after)));
    }
    followed.set(item.field, became);
  }
  return followed;
};

/** `key`, or the keys of what the item it names became: none when it was removed. */
const following = (key: ShownKey, followed: ItemsFollowed): ShownKey[] => {
  const item = itemOfShownKey(key);
  const became = item && followed.get(item.field);
  if (!item || !became) return [key];
  const prefix = key.slice(0, key.length - item.itemKey.length);
  return [...(became.get(item.itemKey) ?? [])].map((itemKey) => `${prefix}${itemKey}` as ShownKey);
};

/** Whether the events move the trial to another registry version (or to its first). */
const movesVersion = (events: readonly DomainEvent[], before: TrialState | null, after: TrialState | null): boolean =>
  events.some((event) => event.type === 'trial.registered' || event.type === 'trial.last-update-posted-date-moved') ||
  ((before === null || registryDateOf(before) === null) && after !== null && registryDateOf(after) !== null);

/** `shown` with each key following the items an event changed, at its time. */
const shownFollowing = (shown: ShownAt, followed: ItemsFollowed): ShownAt => {
  const moved: Partial<Record<ShownKey, string>> = {};
  for (const [key, at] of Object.entries(shown) as [ShownKey, string][]) {
    for (const to of following(key, followed)) {
      const previous = moved[to];
      if (previous === undefined || Date.parse(previous) < Date.parse(at)) moved[to] = at;
    }
  }
  return moved;
};

/**
 * `shown` without the items' details shown before the trial's registry version: a snapshot deciding
 * from what was shown since its version was posted is never older than the trial's (else it is stale),
 * so those are never asked of again. The version is taken from the earlier of its dates: a snapshot may
 * be ordered by either.
 */
const withoutItemsShownBefore = (shown: ShownAt, state: TrialState | null): ShownAt => {
  const dates = [state?.lastUpdatePostDate?.date ?? null, state?.lastUpdateSubmitDate ?? null]
    .filter((date) => date !== null)
    .map((date) => Date.parse(partialDateStart(date)));
  if (dates.length === 0) return shown;
  const version = Math.min(...dates);
  const entries = Object.entries(shown) as [ShownKey, string][];
  const kept = entries.filter(([key, at]) => itemOfShownKey(key) === null || Date.parse(at) >= version);
  return kept.length === entries.length ? shown : Object.fromEntries(kept);
};

/**
 * A trial's state and what snapshots showed of it after one decision's events, each event evolved
 * once. An undated snapshot's events mark in `shown` every field they changed or taught (all an undated
 * registration shows), every part of the design and eligibility, and each list item's detail (a site's
 * status, an outcome's time frame) they changed or taught, at the time it was observed. A dated
 * snapshot's events mark the same keys as shown by the registry version it showed: all of them when it
 * was complete, else those it changed or taught (with those shown before when the version did not
 * move). What marks an item's detail follows the item as later events change it (see `following`).
 */
export const evolveShown = (from: ShownTrial, events: readonly DomainEvent[], showing: Showing): ShownTrial => {
  if (events.length === 0) return from;
  const { observedAt, complete } = showing;
  let { state, shown, versionShown } = from;
  let keys: ShownKey[] = [];
  // A complete record shows its version whole: what its events changed need not be worked out.
  const marks = observedAt !== null || !complete;
  for (const event of events) {
    const next = evolve(state, event);
    const held = [...Object.keys(shown), ...(versionShown === 'all' ? [] : versionShown), ...keys];
    const followed = itemsFollowed(held, state, next);
    if (followed.size > 0) {
      shown = shownFollowing(shown, followed);
      if (versionShown !== 'all') versionShown = [...new Set(versionShown.flatMap((key) => following(key, followed)))];
      keys = keys.flatMap((key) => following(key, followed));
    }
    if (marks) keys.push(...keysShownBy(event, state, next));
    state = next;
  }
  if (observedAt === null) {
    versionShown = complete
      ? 'all'
      : movesVersion(events, from.state, state)
        ? [...new Set(keys)]
        : versionShown === 'all'
          ? 'all'
          : [...new Set([...versionShown, ...keys])];
    return { state, shown: withoutItemsShownBefore(shown, state), versionShown };
  }
  const fields: Partial<Record<ShownKey, string>> = { ...shown };
  for (const key of keys) {
    const previous = fields[key];
    if (previous === undefined || Date.parse(previous) < Date.parse(observedAt)) fields[key] = observedAt;
  }
  return { state, shown: withoutItemsShownBefore(fields, state), versionShown };
};

/**
 * How the snapshot behind a stored event showed the trial, as its metadata says (`dated`, `observedAt`,
 * `complete`). An event without them counts as undated, observed when it occurred; a dated one stored
 * before snapshots said whether they were complete counts as complete.
 */
const showingOf = (recorded: RecordedTrialEvent): Showing => {
  if (recorded.metadata?.['dated'] === true)
    return { observedAt: null, complete: recorded.metadata['complete'] !== false };
  const observedAt = recorded.metadata?.['observedAt'];
  return {
    observedAt: typeof observedAt === 'string' ? new Date(observedAt).toISOString() : recorded.occurredAt.toISOString(),
    complete: false,
  };
};

/**
 * The events one decision appended share the snapshot, the time it was observed and the snapshot's
 * place in its document (`snapshotIndex`: a document may show one trial more than once, each decided in
 * turn); an event without a snapshot stands alone. Events stored before the place was stamped are
 * grouped by the snapshot and time alone, as they always were.
 */
const decisionKeyOf = (recorded: RecordedTrialEvent): string | null => {
  const [snapshotId, observedAt, index] = [
    recorded.metadata?.['snapshotId'],
    recorded.metadata?.['observedAt'],
    recorded.metadata?.['snapshotIndex'],
  ];
  if (typeof snapshotId !== 'string') return null;
  return typeof index === 'number'
    ? `${snapshotId}|${String(observedAt)}|${index}`
    : `${snapshotId}|${String(observedAt)}`;
};

/** A state and what snapshots showed, after events read strictly (an unknown type is an error), decision by decision. */
const foldForDeciding = (from: ShownTrial, events: readonly RecordedTrialEvent[]): ShownTrial => {
  let folded = from;
  for (let start = 0; start < events.length;) {
    const key = decisionKeyOf(events[start]!);
    let end = start + 1;
    while (key !== null && end < events.length && decisionKeyOf(events[end]!) === key) end += 1;
    const decided = events
      .slice(start, end)
      .map((recorded) => decodeEvent(recorded, { strict: true }))
      .filter((event): event is DomainEvent => event !== null);
    folded = evolveShown(folded, decided, showingOf(events[start]!));
    start = end;
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

/**
 * A trial's state as its record stood on `day` (YYYY-MM-DD, UTC): each field as the value the first
 * registry change after that day changed it from, else as it is now. Facts trialwatch learned after the
 * day are no changes (the registry showed them all along), as the field history reads them; a trial
 * first recorded after the day stands as first recorded, without `recordedThen`. Null for no events.
 * Events of types this version does not know are skipped, as every read model does.
 */
export const trialAsItStoodOn = (
  events: readonly RecordedTrialEvent[],
  day: string,
): { state: TrialState; recordedThen: boolean } | null => {
  const dayEnds = Date.parse(`${day}T00:00:00.000Z`) + 86_400_000;
  let state: TrialState | null = null;
  const stood: Partial<Record<FactField, unknown>> = {};
  for (const recorded of events) {
    const event = decodeEvent(recorded);
    if (!event) continue;
    const next = evolve(state, event);
    if (state !== null && recorded.occurredAt.getTime() >= dayEnds && event.type !== 'trial.facts-learned') {
      for (const field of FACT_FIELDS)
        if (next[field] !== state[field] && !(field in stood)) stood[field] = state[field];
    }
    state = next;
  }
  if (state === null) return null;
  return {
    state: { ...state, ...stood } as TrialState,
    recordedThen: events[0]!.occurredAt.getTime() < dayEnds,
  };
};

/** A trial's stream folded for deciding on a snapshot: an event it cannot read is an error, never skipped. */
export const loadTrial = (
  nctId: string,
  events: readonly RecordedTrialEvent[],
  lastObservedAt: Date | null = null,
): LoadedTrial => {
  const last = events[events.length - 1];
  const { state, shown, versionShown } = foldForDeciding(NOTHING_SHOWN, events);
  return {
    streamId: streamIdOf(nctId),
    state,
    version: last?.streamVersion ?? 0,
    effectiveDate: last ? last.occurredAt.toISOString() : null,
    lastObservedAt: lastObservedAt?.toISOString() ?? null,
    shownAt: shown,
    versionShown,
  };
};

/**
 * The format of a trial's kept state (see `keptStateOf`). Raise it whenever `TrialState` or the fold
 * changes meaning: states kept in another format are ignored, the stream is folded from its start,
 * and the next append keeps the state anew.
 */
export const TRIAL_STATE_SCHEMA_VERSION = 16;

/** What is kept beside a trial's stream to fold only the events after it. */
export interface KeptTrialState {
  state: TrialState | null;
  effectiveDate: string | null;
  shownAt: ShownAt;
  versionShown: VersionShown;
}

export const keptStateOf = (trial: LoadedTrial): KeptTrialState => ({
  state: trial.state,
  effectiveDate: trial.effectiveDate,
  shownAt: trial.shownAt,
  versionShown: trial.versionShown,
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
  const { state, shown, versionShown } = foldForDeciding(
    from ? { state: from.state, shown: from.shownAt, versionShown: from.versionShown } : NOTHING_SHOWN,
    events,
  );
  const last = events[events.length - 1];
  return {
    streamId: streamIdOf(nctId),
    state,
    version: last?.streamVersion ?? kept?.version ?? 0,
    effectiveDate: last ? last.occurredAt.toISOString() : (from?.effectiveDate ?? null),
    lastObservedAt: lastObservedAt?.toISOString() ?? null,
    shownAt: shown,
    versionShown,
  };
};
