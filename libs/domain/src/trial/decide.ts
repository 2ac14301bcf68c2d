import {
  type Change,
  designChanged,
  type DomainEvent,
  eligibilityChanged,
  enrollmentUpdated,
  factsLearned,
  type FactsLearned,
  lastKnownStatusChanged,
  lastUpdatePostedDateMoved,
  leadSponsorChanged,
  startDateChanged,
  primaryCompletionDateChanged,
  completionDateChanged,
  resultsSubmitted,
  studyTypeChanged,
  summaryChanged,
  titleChanged,
  trialRegistered,
  whyStoppedChanged,
} from '../events/index.js';
import { comparePartialDates } from '../shared/partial-date.js';
import {
  effectiveDateOf,
  FACT_FIELDS,
  type FactField,
  ITEM_LIST_FIELDS,
  type NoneParts,
  registryDateOf,
  type TrialFacts,
  type TrialSnapshot,
} from '../snapshot/trial-snapshot.js';
import { alikeBut, diffList, type Matcher } from './comparison.js';
import { diff } from './diff.js';
import { evolve, isKnown, nonePartsOf, nullPartsOf, type TrialState } from './evolve.js';
import { fieldChangesOf } from './field-changes.js';
import { covers, withDetailsOf } from './knowledge.js';
import {
  DETAILS_OF,
  type DetailedListField,
  evolveShown,
  ITEM_MATCHERS,
  itemShownKey,
  type LoadedTrial,
  type ShownKey,
} from './trial-stream.js';

/*
 * What a snapshot does to a trial, decided from the trial's state and the snapshot alone:
 *
 * - stale: it shows an older registry version than the state holds, or (a snapshot without a registry
 *   date: a Veeva page, a `fields=` search result) it was observed before the newest thing the stream
 *   records. Nothing is appended.
 * - unchanged: it shows nothing the state does not already hold.
 * - learned: it shows facts the state did not know (fields no earlier source showed, details of known
 *   items, the same registry version in full) but no registry change: one `trial.facts-learned` event.
 * - changed: it shows a newer registry version (or, undated, a later observation) that differs from
 *   what was known: change events (with a `trial.facts-learned` first if it also taught something).
 *
 * Registry versions are compared by their last-update dates only, never against when a snapshot was
 * observed: an undated snapshot never makes a dated record stale.
 */

export type SnapshotOutcome = 'stale' | 'unchanged' | 'learned' | 'changed';

interface DecisionBase {
  reason: string;
  /** For an undated snapshot that is not stale: when it was observed, to keep beside the stream. */
  observedAt: string | null;
  /** Whether the snapshot is a complete record: what it shows of its registry version is all there is. */
  complete: boolean;
}

export type SnapshotDecision =
  | (DecisionBase & { outcome: 'stale' | 'unchanged'; events: [] })
  | (DecisionBase & { outcome: 'learned' | 'changed'; events: DomainEvent[]; occurredAt: string });

/** How a snapshot relates to the state's registry version. */
type Relation = 'stale' | 'same-version' | 'possibly-same-version' | 'newer-version' | 'later-observation';

const VERSION_FIELDS: readonly FactField[] = ['lastUpdatePostDate', 'lastUpdateSubmitDate'];

const instant = (iso: string): number => Date.parse(iso);

const isDated = (facts: Pick<TrialFacts, 'lastUpdatePostDate' | 'lastUpdateSubmitDate'>): boolean =>
  facts.lastUpdateSubmitDate !== null || facts.lastUpdatePostDate !== null;

/**
 * Orders two registry versions: by the date the registry posted them where both show it (the public
 * version), else by the sponsor's submission date, else by whichever date each shows.
 */
const compareVersions = (a: TrialFacts, b: TrialFacts): number => {
  if (a.lastUpdatePostDate !== null && b.lastUpdatePostDate !== null) {
    return comparePartialDates(a.lastUpdatePostDate.date, b.lastUpdatePostDate.date);
  }
  if (a.lastUpdateSubmitDate !== null && b.lastUpdateSubmitDate !== null) {
    return comparePartialDates(a.lastUpdateSubmitDate, b.lastUpdateSubmitDate);
  }
  return instant(registryDateOf(a)!) - instant(registryDateOf(b)!);
};

/** The newest time the trial's record holds: its newest event, or a later undated observation. */
const newestRecordedOf = (trial: LoadedTrial): number =>
  Math.max(
    trial.effectiveDate === null ? Number.NEGATIVE_INFINITY : instant(trial.effectiveDate),
    trial.lastObservedAt === null ? Number.NEGATIVE_INFINITY : instant(trial.lastObservedAt),
  );

const relationOf = (trial: LoadedTrial, state: TrialState, snapshot: TrialSnapshot): Relation => {
  const newestRecorded = newestRecordedOf(trial);
  if (!isDated(snapshot)) {
    return instant(snapshot.source.observedAt) < newestRecorded ? 'stale' : 'later-observation';
  }
  if (isDated(state)) {
    const order = compareVersions(snapshot, state);
    if (order < 0) return 'stale';
    if (order === 0) return 'same-version';
  }
  // A newer version than the state holds, or the first dated one. If the stream already records an
  // observation made after the state's own version and no earlier than this one was published, that
  // observation may have shown this very version: what differs is learned, not changed.
  const observedAfterVersion = newestRecorded > instant(registryDateOf(state) ?? '0000-01-01T00:00:00.000Z');
  return observedAfterVersion && instant(registryDateOf(snapshot)!) <= newestRecorded
    ? 'possibly-same-version'
    : 'newer-version';
};

/**
 * What `trial.registered` carries: every value the snapshot shows, `null` for what it states as none,
 * and the parts of the design and eligibility it states as none.
 */
const registeredData = (snapshot: TrialSnapshot): Parameters<typeof trialRegistered>[0] => {
  const facts: Partial<TrialFacts> & Pick<TrialFacts, 'nctId'> = { nctId: snapshot.nctId };
  for (const field of FACT_FIELDS) {
    const value = snapshot[field];
    if (value !== null || snapshot.source.definitive.includes(field)) Object.assign(facts, { [field]: value });
  }
  const noneParts: Partial<NoneParts> = {};
  if (snapshot.source.definitive.length > 0) {
    for (const field of PART_FIELDS) {
      const none = nullPartsOf(snapshot[field]);
      if (none.length > 0) Object.assign(noneParts, { [field]: none });
    }
  }
  return Object.keys(noneParts).length > 0 ? { facts, noneParts } : { facts };
};

/**
 * `items` with the details `hiddenOf` names for each item and its counterpart in `from` (the same item,
 * those details aside), as the counterpart gives them, where the item has them too. A detail the item
 * leaves unknown stays so. Items the same in every detail pair first, so that items alike but for them
 * (sites of one facility in several cities) each keep their own.
 */
const withItemDetails = <T extends object>(
  items: T[] | null,
  from: T[] | null,
  details: readonly string[],
  matcher: Matcher<object>,
  hiddenOf: (item: object, counterpart: object) => readonly string[],
): T[] | null => {
  if (items === null || from === null || details.length === 0) return items;
  const detailOf = (item: object, detail: string) => (item as Record<string, unknown>)[detail] ?? null;
  const result = [...items];
  for (const [item, counterpart] of diffList<object>(items, from, alikeBut(matcher, details)).matched) {
    const index = items.indexOf(item as T);
    const given = hiddenOf(item, counterpart).filter(
      (detail) => detailOf(item, detail) !== null && detailOf(counterpart, detail) !== null,
    );
    if (given.length > 0) {
      result[index] = {
        ...result[index]!,
        ...Object.fromEntries(given.map((detail) => [detail, detailOf(counterpart, detail)])),
      };
    }
  }
  return result;
};

/** The fields stated part by part: a complete record showing one states the parts it leaves out as none. */
const PART_FIELDS = ['design', 'eligibility'] as const;

type Learned = FactsLearned['data'];

/**
 * `value` of a field without the parts of the design or eligibility the state knows to be none: a
 * source showing one of them does not teach it (a complete record said none), it changed it.
 */
const withoutNoneParts = (state: TrialState, field: FactField, value: TrialFacts[FactField]): TrialFacts[FactField] => {
  if ((field !== 'design' && field !== 'eligibility') || value === null) return value;
  const none: string[] = nonePartsOf(state)[field];
  const parts = value as unknown as Record<string, unknown>;
  if (!none.some((part) => parts[part] !== null)) return value;
  return { ...parts, ...Object.fromEntries(none.map((part) => [part, null])) } as unknown as TrialFacts[FactField];
};

/**
 * What the snapshot teaches the state without the registry changing: fields the state does not know,
 * details of known values (a time frame, a date's type, a site's city, a part of the eligibility no
 * source showed), the parts of the design and eligibility a complete record states as none where the
 * state did not know them, and with `override` (a complete record of the same registry version)
 * whatever it states differently, a part of the design or eligibility it leaves out included. A part
 * the state knows to be none is not a detail: a snapshot showing one shows a change.
 */
const learnedFrom = (
  state: TrialState,
  snapshot: TrialSnapshot,
  { override, skip = [] }: { override: boolean; skip?: readonly FactField[] },
): Learned => {
  const learned: Partial<Omit<TrialFacts, 'nctId'>> = {};
  for (const field of FACT_FIELDS) {
    if (skip.includes(field)) continue;
    const value = snapshot[field];
    const shown = value !== null || snapshot.source.definitive.includes(field);
    if (!shown) continue;
    if (!isKnown(state, field)) {
      Object.assign(learned, { [field]: value });
    } else if (override && !covers(field, state[field], value)) {
      // The record's value, with what the trial knew that it leaves out (a part of the eligibility, a site's status).
      Object.assign(learned, { [field]: withDetailsOf(field, value, state[field]) ?? value });
    } else {
      const detailed = withDetailsOf(field, state[field], withoutNoneParts(state, field, value));
      if (detailed !== undefined) Object.assign(learned, { [field]: detailed });
    }
  }
  const noneParts: Partial<NoneParts> = {};
  if (snapshot.source.definitive.length > 0) {
    for (const field of PART_FIELDS) {
      const held = learned[field] ?? state[field];
      if (skip.includes(field) || snapshot[field] === null || held === null) continue;
      const known: string[] = nonePartsOf(state)[field];
      // With `override`, a part the record leaves out is none whatever the trial held (a page's reading).
      const none = nullPartsOf(snapshot[field]).filter(
        (part) => (override || (held as unknown as Record<string, unknown>)[part] === null) && !known.includes(part),
      );
      if (none.length === 0) continue;
      // The design (eligibility) as now known, with the parts the record states as none.
      Object.assign(learned, { [field]: { ...held, ...Object.fromEntries(none.map((part) => [part, null])) } });
      Object.assign(noneParts, { [field]: none });
    }
  }
  return Object.keys(noneParts).length > 0 ? { facts: learned, noneParts } : { facts: learned };
};

/** A complete record's "none" for a value the state holds: the registry removed it. */
const clearsOf = (state: TrialState, snapshot: TrialSnapshot): DomainEvent[] => {
  const cleared = (field: FactField) =>
    snapshot.source.definitive.includes(field) && snapshot[field] === null && state[field] !== null;
  const events: DomainEvent[] = [];
  if (cleared('lastKnownStatus')) events.push(lastKnownStatusChanged({ from: state.lastKnownStatus, to: null }));
  if (cleared('whyStopped')) events.push(whyStoppedChanged({ from: state.whyStopped, to: null }));
  if (cleared('enrollment')) events.push(enrollmentUpdated({ from: state.enrollment, to: null }));
  if (cleared('startDate')) events.push(startDateChanged({ from: state.startDate, to: null }));
  if (cleared('primaryCompletionDate')) {
    events.push(primaryCompletionDateChanged({ from: state.primaryCompletionDate, to: null }));
  }
  if (cleared('completionDate')) events.push(completionDateChanged({ from: state.completionDate, to: null }));
  if (cleared('resultsFirstSubmitDate')) {
    events.push(resultsSubmitted({ from: state.resultsFirstSubmitDate, to: null, posted: false }));
  }
  if (cleared('studyType')) events.push(studyTypeChanged({ from: state.studyType, to: null }));
  for (const field of ['briefTitle', 'officialTitle', 'acronym'] as const) {
    if (cleared(field)) events.push(titleChanged({ field, from: state[field], to: null }));
  }
  if (cleared('briefSummary')) events.push(summaryChanged({ from: state.briefSummary, to: null }));
  if (cleared('leadSponsor')) events.push(leadSponsorChanged({ from: state.leadSponsor, to: null }));
  // The design and eligibility a complete record shows are stated part by part: a part it leaves out
  // (an upper age limit dropped, the masking of a study no longer interventional) is none.
  if (snapshot.source.definitive.length > 0) {
    const design = clearedParts(state.design, snapshot.design);
    if (design) events.push(designChanged(design));
    const eligibility = clearedParts(state.eligibility, snapshot.eligibility);
    if (eligibility) events.push(eligibilityChanged(eligibility));
  }
  return events;
};

/** The parts `held` has a value for that `shown` leaves out, as changes to none; null when there are none. */
const clearedParts = <T extends object>(
  held: T | null,
  shown: T | null,
): { [K in keyof T]?: Change<NonNullable<T[K]>> } | null => {
  if (held === null || shown === null) return null;
  const changes: { [K in keyof T]?: Change<NonNullable<T[K]>> } = {};
  for (const key of Object.keys(shown) as (keyof T)[]) {
    if (shown[key] === null && held[key] !== null) {
      changes[key] = { from: held[key] as NonNullable<T[typeof key]>, to: null };
    }
  }
  return Object.keys(changes).length > 0 ? changes : null;
};

/** The changes with the parts a complete record cleared: one design or eligibility event holds both. */
const withClears = (changes: DomainEvent[], clears: DomainEvent[]): DomainEvent[] => {
  const merged = [...changes];
  for (const clear of clears) {
    const index =
      clear.type === 'trial.design-changed' || clear.type === 'trial.eligibility-changed'
        ? merged.findIndex((event) => event.type === clear.type)
        : -1;
    if (index < 0) merged.push(clear);
    else merged[index] = { ...merged[index]!, data: { ...merged[index]!.data, ...clear.data } } as DomainEvent;
  }
  return merged;
};

const learnedEvents = (learned: Learned): DomainEvent[] =>
  Object.keys(learned.facts).length > 0 ? [factsLearned(learned)] : [];

/** Two lessons of one snapshot as one: `later`'s facts over `earlier`'s, the parts either states as none. */
const bothLearned = (earlier: Learned, later: Learned): Learned => {
  const noneParts: Partial<NoneParts> = {};
  for (const field of PART_FIELDS) {
    const none = [...new Set([...(earlier.noneParts?.[field] ?? []), ...(later.noneParts?.[field] ?? [])])];
    if (none.length > 0) Object.assign(noneParts, { [field]: none });
  }
  const facts = { ...earlier.facts, ...later.facts };
  return Object.keys(noneParts).length > 0 ? { facts, noneParts } : { facts };
};

/**
 * What a newer registry version (or a later observation) does to the state: what it teaches, as one
 * `trial.facts-learned` first (with `learned`, taught already), then the changes.
 */
const changesTo = (
  state: TrialState,
  snapshot: TrialSnapshot,
  alreadyLearned: Learned = { facts: {} },
): DomainEvent[] => {
  // A registry version moves by its own event; only the first one a trial gets is learned.
  const learned = bothLearned(
    alreadyLearned,
    learnedFrom(state, snapshot, { override: false, skip: isDated(state) ? VERSION_FIELDS : [] }),
  );
  const known = evolveLearned(state, learned);
  const changes = withClears(diff(known, snapshot), clearsOf(known, snapshot));
  // What the snapshot shows and no change event carries (a registration date an older generation
  // of the record did not state, a corrected results date) is knowledge too: nothing shown is dropped.
  const after = changes.reduce<TrialState>(evolve, known);
  for (const field of FACT_FIELDS) {
    const value = snapshot[field];
    if (value !== null && !VERSION_FIELDS.includes(field) && !covers(field, after[field], value)) {
      Object.assign(learned.facts, {
        [field]: ITEM_LIST_FIELDS.includes(field) ? beforeChanges(field, value, changes) : value,
      });
    }
  }
  return [...learnedEvents(learned), ...changes];
};

/**
 * What a list held before `changes` made it `value`: its items but those they add, with those they
 * remove, and sites with the status they had. Learned ahead of the changes, it folds to `value` with
 * them, never holding an added item twice nor moving another site's status.
 */
const beforeChanges = (field: FactField, value: TrialFacts[FactField], changes: readonly DomainEvent[]) => {
  let items = value as unknown[];
  for (const change of changes.flatMap(fieldChangesOf)) {
    if (change.field !== field) continue;
    const [removed, added] = [change.from as unknown[], change.to as unknown[]];
    items = [...items.filter((item) => !added.includes(item)), ...removed];
  }
  for (const event of changes) {
    if (field !== 'locations' || event.type !== 'trial.locations-changed') continue;
    for (const { location, from } of event.data.statusChanged) {
      items = items.map((item) => (item === location ? { ...location, status: from } : item));
    }
  }
  return items;
};

/** Whether an undated snapshot observed since `snapshot`'s registry version was posted showed `key`. */
const shownSince = (trial: LoadedTrial, key: ShownKey, snapshot: TrialSnapshot): boolean => {
  const at = trial.shownAt[key];
  return at !== undefined && instant(at) >= instant(registryDateOf(snapshot)!);
};

/**
 * What a dated snapshot does to a trial whose current values it may have been shown already, in part:
 * where `wasShown` says a field (a part of the design or eligibility, a detail of list items) was
 * shown, what differs is learned; elsewhere the state's value is an older version's, so a difference
 * is the registry's change. With `moved`, the snapshot is a newer version than the state's: its version
 * fields are left to the caller's event.
 */
const changesBeyondSeen = (
  trial: LoadedTrial,
  snapshot: TrialSnapshot,
  wasShown: (key: ShownKey) => boolean,
  moved: boolean,
): DomainEvent[] => {
  const state = trial.state!;
  const complete = snapshot.source.definitive.length > 0;
  const versionFields = moved ? VERSION_FIELDS : [];
  const seen = new Set(FACT_FIELDS.filter((field) => wasShown(field) && !versionFields.includes(field)));
  // The design and eligibility are shown part by part (a page showing the criteria shows no age
  // limits): a part not shown, which the state holds or knows to be none, could not have been seen
  // changing either, so what the record gives it (none included) is the registry's change.
  const hiddenParts = (field: (typeof PART_FIELDS)[number]): string[] => {
    const [shown, held] = [snapshot[field], state[field]];
    if (!seen.has(field) || shown === null || held === null) return [];
    return Object.keys(shown).filter(
      (part) =>
        !wasShown(`${field}.${part}` as ShownKey) &&
        ((held as unknown as Record<string, unknown>)[part] !== null ||
          (nonePartsOf(state)[field] as string[]).includes(part)),
    );
  };
  const hidden = { design: hiddenParts('design'), eligibility: hiddenParts('eligibility') };
  /** `value` with the hidden parts of `field` as `from` holds them. */
  const withHidden = <F extends (typeof PART_FIELDS)[number]>(field: F, value: TrialFacts[F], from: TrialFacts[F]) =>
    value === null || from === null || hidden[field].length === 0
      ? value
      : ({
          ...value,
          ...Object.fromEntries(hidden[field].map((part) => [part, from[part as never]])),
        } as TrialFacts[F]);
  // A page listing the sites without their statuses or places (the outcomes without their time frames,
  // the interventions without their types), or with them for some sites only, could not have shown one
  // change of a site it showed none of: where the state knows one, the record's is the registry's change.
  const detailed = [...DETAILS_OF.keys()].filter((field) => seen.has(field));
  /** Per item of the snapshot, the details shown of none of its counterpart held. */
  const hiddenOfShown = new Map<object, readonly string[]>();
  const hiddenOfHeld = (field: DetailedListField) => (item: object, held: object) => {
    const hidden = DETAILS_OF.get(field)!.filter((detail) => !wasShown(itemShownKey(field, detail, held)));
    hiddenOfShown.set(item, hidden);
    return hidden;
  };
  /** The snapshot's lists with the hidden details as the state holds them. */
  const withHeldDetails = (): Partial<TrialFacts> =>
    Object.fromEntries(
      detailed.map((field) => [
        field,
        withItemDetails<object>(
          snapshot[field],
          state[field],
          DETAILS_OF.get(field)!,
          ITEM_MATCHERS[field],
          hiddenOfHeld(field),
        ),
      ]),
    );
  /** `known`'s lists with the hidden details as the snapshot shows them. */
  const withShownDetails = (known: TrialState): Partial<TrialFacts> =>
    Object.fromEntries(
      detailed.map((field) => [
        field,
        withItemDetails<object>(
          known[field],
          snapshot[field],
          DETAILS_OF.get(field)!,
          ITEM_MATCHERS[field],
          (_item, shown) => hiddenOfShown.get(shown) ?? [],
        ),
      ]),
    );
  const learned = learnedFrom(
    state,
    {
      ...snapshot,
      design: withHidden('design', snapshot.design, state.design),
      eligibility: withHidden('eligibility', snapshot.eligibility, state.eligibility),
      ...withHeldDetails(),
    },
    { override: complete, skip: FACT_FIELDS.filter((field) => !seen.has(field)) },
  );
  const known = evolveLearned(state, learned);
  const unseen: TrialSnapshot = { ...snapshot };
  for (const field of [...seen, ...versionFields]) Object.assign(unseen, { [field]: known[field] });
  for (const field of PART_FIELDS)
    if (seen.has(field)) Object.assign(unseen, { [field]: withHidden(field, known[field], snapshot[field]) });
  Object.assign(unseen, withShownDetails(known));
  return changesTo(known, unseen, learned);
};

/**
 * Decides what a snapshot does to a trial. `effectiveAt` dates a past version (a history backfill).
 * Events occur at the snapshot's effective date (its registry date, else when it was observed), but
 * never before the newest event of the stream: stream order and `occurredAt` agree.
 */
export const decide = (
  trial: LoadedTrial,
  snapshot: TrialSnapshot,
  effectiveAt: string | null = null,
): SnapshotDecision => {
  const effective = new Date(effectiveAt ?? effectiveDateOf(snapshot)).toISOString();
  const state = trial.state;
  const observedAt = isDated(snapshot) ? null : new Date(snapshot.source.observedAt).toISOString();
  const complete = snapshot.source.definitive.length > 0;
  if (state === null) {
    return {
      outcome: 'changed',
      events: [trialRegistered(registeredData(snapshot))],
      occurredAt: effective,
      reason: 'the first snapshot of the trial',
      observedAt,
      complete,
    };
  }
  const occurredAt =
    trial.effectiveDate !== null && instant(trial.effectiveDate) > instant(effective) ? trial.effectiveDate : effective;
  const relation = relationOf(trial, state, snapshot);

  if (relation === 'stale') {
    return {
      outcome: 'stale',
      events: [],
      observedAt: null,
      complete,
      reason: isDated(snapshot)
        ? 'it shows an older registry version than the trial holds'
        : 'it was observed before the newest thing the trial records',
    };
  }

  let events: DomainEvent[];
  let reason: string;
  if (relation === 'same-version' && complete && trial.versionShown !== 'all') {
    // A page moved the trial to this version showing part of it: the fields it did not show (nor a
    // snapshot observed since the version was posted) still hold an older version's values, so the
    // record's differences there are the registry's changes in this version.
    const shownOfVersion = new Set(trial.versionShown);
    events = changesBeyondSeen(
      trial,
      snapshot,
      (key) => VERSION_FIELDS.includes(key as FactField) || shownOfVersion.has(key) || shownSince(trial, key, snapshot),
      false,
    );
    reason = events.some((event) => event.type !== 'trial.facts-learned')
      ? 'it shows the registry version the trial holds in full, where a page showed it in part'
      : 'it shows the registry version the trial holds';
  } else if (relation === 'same-version') {
    events = learnedEvents(learnedFrom(state, snapshot, { override: complete }));
    reason = 'it shows the registry version the trial holds';
  } else if (relation === 'possibly-same-version') {
    // An undated snapshot observed since this version was posted may have shown it, in part or in
    // another form: where one showed something, what differs is learned. A field none showed since then
    // could not have been seen changing, so a difference there is the registry's change.
    const moved = isDated(state);
    events = changesBeyondSeen(trial, snapshot, (key) => shownSince(trial, key, snapshot), moved);
    if (moved) {
      events.push(
        lastUpdatePostedDateMoved({
          from: state.lastUpdatePostDate,
          to: snapshot.lastUpdatePostDate,
          submitDate: { from: state.lastUpdateSubmitDate, to: snapshot.lastUpdateSubmitDate },
        }),
      );
    }
    reason = events.some(
      (event) => event.type !== 'trial.facts-learned' && event.type !== 'trial.last-update-posted-date-moved',
    )
      ? 'it shows a newer registry version, which a snapshot observed since may have shown in part'
      : 'a snapshot observed after this registry version was published may already have shown it';
  } else {
    events = changesTo(state, snapshot);
    reason = relation === 'newer-version' ? 'it shows a newer registry version' : 'it is a later observation';
  }

  if (events.length === 0) {
    return { outcome: 'unchanged', events: [], reason: `${reason}, with nothing new`, observedAt, complete };
  }
  const changed = events.some((event) => event.type !== 'trial.facts-learned');
  return { outcome: changed ? 'changed' : 'learned', events, occurredAt, reason, observedAt, complete };
};

const evolveLearned = (state: TrialState, learned: Learned): TrialState =>
  Object.keys(learned.facts).length > 0 ? evolve(state, factsLearned(learned)) : state;

/** The trial after the decided events, for a later snapshot of the same trial in the same document. */
export const advance = (trial: LoadedTrial, decision: SnapshotDecision): LoadedTrial => {
  const observed =
    decision.observedAt !== null &&
    (trial.lastObservedAt === null || instant(decision.observedAt) > instant(trial.lastObservedAt))
      ? decision.observedAt
      : trial.lastObservedAt;
  if (!('occurredAt' in decision)) return { ...trial, lastObservedAt: observed };
  const { state, shown, versionShown } = evolveShown(
    { state: trial.state, shown: trial.shownAt, versionShown: trial.versionShown },
    decision.events,
    { observedAt: decision.observedAt, complete: decision.complete },
  );
  return {
    ...trial,
    state,
    version: trial.version + decision.events.length,
    effectiveDate: decision.occurredAt,
    lastObservedAt: observed,
    shownAt: shown,
    versionShown,
  };
};
