import { DomainError } from '../shared/domain-error.js';
import {
  type Design,
  type Eligibility,
  emptyFacts,
  FACT_FIELDS,
  type FactField,
  type Location,
  type NoneParts,
  type TrialFacts,
} from '../snapshot/trial-snapshot.js';
import type { Change, DomainEvent, ListChange } from '../events/index.js';
import {
  armGroupMatcher,
  bestLooseMatch,
  identicalItems,
  interventionMatcher,
  locationMatcher,
  type Matcher,
  officialMatcher,
  outcomeMatcher,
  referenceMatcher,
  secondaryIdMatcher,
  sponsorMatcher,
  stringMatcher,
} from './comparison.js';

/**
 * What trialwatch knows of a trial: the facts folded from its events, and the fields no snapshot has
 * shown yet (`null` there means unknown; elsewhere it means known to be none). The design and
 * eligibility are known part by part: a null part is none only where `noneParts` names it.
 */
export interface TrialState extends TrialFacts {
  unknownFields: FactField[];
  /** The null parts of the design and eligibility known to be none. A state kept before this knows none. */
  noneParts?: NoneParts;
}

const NO_NONE_PARTS: NoneParts = { design: [], eligibility: [] };

/** The null parts of the design and eligibility the state knows to be none. */
export const nonePartsOf = (state: TrialState): NoneParts => state.noneParts ?? NO_NONE_PARTS;

/** The parts of a design or eligibility that hold no value. */
export const nullPartsOf = <T extends object>(value: T | null | undefined): (keyof T)[] =>
  value == null ? [] : (Object.keys(value) as (keyof T)[]).filter((part) => value[part] === null);

/** The fields a state does not know. A state stored before this was kept reads every null as unknown. */
export const unknownFieldsOf = (state: TrialFacts & { unknownFields?: FactField[] }): FactField[] =>
  state.unknownFields ?? FACT_FIELDS.filter((field) => state[field] === null);

export const isKnown = (state: TrialState, field: FactField): boolean => !unknownFieldsOf(state).includes(field);

/** A state written down as facts: every null in them is unknown. */
export const stateFrom = (facts: TrialFacts): TrialState => ({ ...facts, unknownFields: unknownFieldsOf(facts) });

export class TrialStreamCorruptError extends DomainError {
  readonly code = 'trial.stream-corrupt';
  readonly kind = 'unavailable' as const;
}

/**
 * The item of `items` that is `item`: an identical one (items alike in their key may still differ, as
 * sites alike in all but status do), else the one with its key, else its best loose match; -1 if none.
 */
const findItem = <T>(items: readonly T[], item: T, matcher: Matcher<T>): number => {
  const identical = items.findIndex((candidate) => identicalItems(candidate, item));
  if (identical >= 0) return identical;
  const exact = items.findIndex((candidate) => matcher.key(candidate) === matcher.key(item));
  return exact >= 0 ? exact : bestLooseMatch(items, item, matcher);
};

/** Applies a list change: removes what matches `removed`, adds `added`. */
const applyList = <T>(current: T[] | null, change: ListChange<T>, matcher: Matcher<T>): T[] => {
  const remaining = [...(current ?? [])];
  for (const item of change.removed) {
    const index = findItem(remaining, item, matcher);
    if (index >= 0) remaining.splice(index, 1);
  }
  return [...remaining, ...change.added];
};

/** Applies per-field changes of a struct; a `to` of null clears the part (a complete record left it out). */
const applyStruct = <T extends object>(current: T | null, empty: T, changes: { [K in keyof T]?: Change<T[K]> }): T => {
  const next = { ...(current ?? empty) };
  for (const [key, change] of Object.entries(changes) as [keyof T, Change<T[keyof T]>][]) {
    next[key] = change.to as T[keyof T];
  }
  return next;
};

const keep = <T>(value: T | null, fallback: T | null): T | null => value ?? fallback;

const EMPTY_DESIGN: Design = {
  allocation: null,
  interventionModel: null,
  primaryPurpose: null,
  masking: null,
  observationalModel: null,
  timePerspective: null,
};
const EMPTY_ELIGIBILITY: Eligibility = {
  minimumAge: null,
  maximumAge: null,
  sex: null,
  healthyVolunteers: null,
  criteria: null,
};

/** The state after one event. Pure; the first event of a stream must be `trial.registered`. */
export const evolve = (state: TrialState | null, event: DomainEvent): TrialState => {
  if (event.type === 'trial.registered') {
    const { facts } = event.data;
    const registered = { ...emptyFacts(facts.nctId), ...facts };
    return {
      ...registered,
      unknownFields: FACT_FIELDS.filter((field) => !(field in facts)),
      noneParts: nonePartsAfter(registered, NO_NONE_PARTS, statedNoneOf(event)),
    };
  }
  if (state === null) {
    throw new TrialStreamCorruptError(`A trial stream must start with trial.registered, not ${event.type}`, {
      type: event.type,
    });
  }
  const next = apply(state, event);
  // A field an event gave a value (or stated as none) is known from then on.
  const stated = event.type === 'trial.facts-learned' ? Object.keys(event.data.facts) : [];
  const unknown = unknownFieldsOf(state);
  return {
    ...next,
    unknownFields: unknown.filter((field) => next[field] === state[field] && !stated.includes(field)),
    noneParts: nonePartsAfter(next, nonePartsOf(state), statedNoneOf(event)),
  };
};

/**
 * The parts of the design and eligibility an event states as none: those it names, the parts a
 * change clears, and, in facts that state a field as none (which only a complete record does), the
 * null parts of the design and eligibility they show: events written before they named them say so
 * only this way.
 */
const statedNoneOf = (event: DomainEvent): Partial<NoneParts> => {
  switch (event.type) {
    case 'trial.registered':
    case 'trial.facts-learned': {
      const { facts, noneParts } = event.data;
      const complete = Object.values(facts).some((value) => value === null);
      return {
        design: [...(noneParts?.design ?? []), ...(complete ? nullPartsOf(facts.design) : [])],
        eligibility: [...(noneParts?.eligibility ?? []), ...(complete ? nullPartsOf(facts.eligibility) : [])],
      };
    }
    case 'trial.design-changed':
      return { design: clearedBy(event.data) as (keyof Design)[] };
    case 'trial.eligibility-changed':
      return { eligibility: clearedBy(event.data) as (keyof Eligibility)[] };
    default:
      return {};
  }
};

const clearedBy = (changes: Record<string, Change<unknown> | undefined>): string[] =>
  Object.entries(changes)
    .filter(([, change]) => change !== undefined && change.to === null)
    .map(([part]) => part);

/** The parts known to be none after an event: those known before or stated by it that are still null. */
const nonePartsAfter = (facts: TrialFacts, before: NoneParts, stated: Partial<NoneParts>): NoneParts => ({
  design: (Object.keys(EMPTY_DESIGN) as (keyof Design)[]).filter(
    (part) => facts.design?.[part] === null && (before.design.includes(part) || (stated.design ?? []).includes(part)),
  ),
  eligibility: (Object.keys(EMPTY_ELIGIBILITY) as (keyof Eligibility)[]).filter(
    (part) =>
      facts.eligibility?.[part] === null &&
      (before.eligibility.includes(part) || (stated.eligibility ?? []).includes(part)),
  ),
});

/** Changes are applied as they say; a `to` of null clears the value (a complete record stated it as none). */
const apply = (state: TrialState, event: Exclude<DomainEvent, { type: 'trial.registered' }>): TrialState => {
  switch (event.type) {
    case 'trial.facts-learned':
      return { ...state, ...event.data.facts };
    case 'trial.overall-status-changed': {
      const d = event.data;
      return {
        ...state,
        overallStatus: d.to,
        whyStopped: keep(d.whyStopped, state.whyStopped),
        lastKnownStatus: keep(d.lastKnownStatus, state.lastKnownStatus),
      };
    }
    case 'trial.last-known-status-changed':
      return { ...state, lastKnownStatus: event.data.to };
    case 'trial.why-stopped-changed':
      return { ...state, whyStopped: event.data.to };
    case 'trial.enrollment-updated':
      return { ...state, enrollment: event.data.to };
    case 'trial.start-date-changed':
      return { ...state, startDate: event.data.to };
    case 'trial.primary-completion-date-changed':
      return { ...state, primaryCompletionDate: event.data.to };
    case 'trial.completion-date-changed':
      return { ...state, completionDate: event.data.to };
    case 'trial.results-posted':
      return {
        ...state,
        hasResults: true,
        resultsFirstPostDate: keep(event.data.firstPostDate, state.resultsFirstPostDate),
      };
    case 'trial.results-removed':
      return { ...state, hasResults: false };
    case 'trial.results-submitted':
      return { ...state, resultsFirstSubmitDate: event.data.to };
    case 'trial.phases-changed':
      return { ...state, phases: event.data.to };
    case 'trial.study-type-changed':
      return { ...state, studyType: event.data.to };
    case 'trial.design-changed':
      return { ...state, design: applyStruct(state.design, EMPTY_DESIGN, event.data) };
    case 'trial.primary-outcomes-changed':
      return { ...state, primaryOutcomes: applyList(state.primaryOutcomes, event.data, outcomeMatcher) };
    case 'trial.secondary-outcomes-changed':
      return { ...state, secondaryOutcomes: applyList(state.secondaryOutcomes, event.data, outcomeMatcher) };
    case 'trial.locations-changed': {
      // Each status change belongs to one site: the one `diff` paired it with, found the same way.
      const locations = applyList(state.locations, event.data, locationMatcher);
      for (const change of event.data.statusChanged) {
        // Sites alike in all but status (several "Research Site"s of one city): the one that had the old
        // status, with the site's own name and place before one that only matches it loosely (a site
        // without a facility name in the same city).
        const hadStatus = (site: Location) => site.status === change.from;
        const key = locationMatcher.key(change.location);
        const keyed = locations.findIndex((site) => hadStatus(site) && locationMatcher.key(site) === key);
        const alike =
          keyed >= 0
            ? keyed
            : locations.findIndex(
                (site) => hadStatus(site) && findItem([site], change.location, locationMatcher) === 0,
              );
        const index = alike >= 0 ? alike : findItem(locations, change.location, locationMatcher);
        if (index >= 0) locations[index] = { ...locations[index]!, status: change.to };
      }
      return { ...state, locations };
    }
    case 'trial.conditions-changed':
      return { ...state, conditions: applyList(state.conditions, event.data, stringMatcher) };
    case 'trial.keywords-changed':
      return { ...state, keywords: applyList(state.keywords, event.data, stringMatcher) };
    case 'trial.interventions-changed':
      return { ...state, interventions: applyList(state.interventions, event.data, interventionMatcher) };
    case 'trial.arm-groups-changed':
      return { ...state, armGroups: applyList(state.armGroups, event.data, armGroupMatcher) };
    case 'trial.title-changed':
      return { ...state, [event.data.field]: event.data.to };
    case 'trial.summary-changed':
      return { ...state, briefSummary: event.data.to };
    case 'trial.lead-sponsor-changed':
      return { ...state, leadSponsor: event.data.to };
    case 'trial.collaborators-changed':
      return { ...state, collaborators: applyList(state.collaborators, event.data, sponsorMatcher) };
    // The daily check's signals are about the calendar, not the record: the facts stay as they are.
    case 'trial.results-overdue':
    case 'trial.hygiene-flag-raised':
    case 'trial.hygiene-flag-cleared':
      return state;
    case 'trial.secondary-ids-changed':
      return { ...state, secondaryIds: applyList(state.secondaryIds, event.data, secondaryIdMatcher) };
    case 'trial.references-changed':
      return { ...state, references: applyList(state.references, event.data, referenceMatcher) };
    case 'trial.officials-changed':
      return { ...state, overallOfficials: applyList(state.overallOfficials, event.data, officialMatcher) };
    case 'trial.nct-id-aliases-changed':
      return { ...state, nctIdAliases: applyList(state.nctIdAliases, event.data, stringMatcher) };
    case 'trial.fda-regulation-changed':
      return { ...state, fdaRegulated: event.data.to };
    case 'trial.eligibility-changed':
      return { ...state, eligibility: applyStruct(state.eligibility, EMPTY_ELIGIBILITY, event.data) };
    case 'trial.status-verified-date-moved':
      return { ...state, statusVerifiedDate: event.data.to };
    case 'trial.registration-dates-corrected':
      return {
        ...state,
        studyFirstSubmitDate: keep(event.data.studyFirstSubmitDate?.to ?? null, state.studyFirstSubmitDate),
        studyFirstPostDate: keep(event.data.studyFirstPostDate?.to ?? null, state.studyFirstPostDate),
      };
    case 'trial.last-update-posted-date-moved':
      // The dates of the version moved to, as its source showed them: a date of the version before would
      // date the trial there, and order later snapshots against it.
      return { ...state, lastUpdatePostDate: event.data.to, lastUpdateSubmitDate: event.data.submitDate.to };
    default: {
      const unknown: never = event;
      throw new TrialStreamCorruptError(`Unknown event type ${(unknown as DomainEvent).type}`, {});
    }
  }
};

/** Folds a whole stream. */
export const foldEvents = (events: readonly DomainEvent[], initial: TrialState | null = null): TrialState | null =>
  events.reduce<TrialState | null>(evolve, initial);
