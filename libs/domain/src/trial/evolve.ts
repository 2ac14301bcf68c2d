import { DomainError } from '../shared/domain-error.js';
import { emptyFacts, type TrialFacts } from '../snapshot/trial-snapshot.js';
import type { Change, DomainEvent, ListChange } from '../events/index.js';
import {
  armGroupMatcher,
  interventionMatcher,
  locationMatcher,
  type Matcher,
  outcomeMatcher,
  sponsorMatcher,
  stringMatcher,
} from './comparison.js';

/** What trialwatch knows of a trial: the facts folded from its events. */
export type TrialState = TrialFacts;

export class TrialStreamCorruptError extends DomainError {
  readonly code = 'trial.stream-corrupt';
  readonly kind = 'unavailable' as const;
}

/** Applies a list change: removes what matches `removed`, adds `added`. */
const applyList = <T>(current: T[] | null, change: ListChange<T>, matcher: Matcher<T>): T[] => {
  const remaining = [...(current ?? [])];
  for (const item of change.removed) {
    const index = remaining.findIndex((candidate) => matcher.key(candidate) === matcher.key(item));
    const loose = index >= 0 ? index : remaining.findIndex((candidate) => matcher.matches(candidate, item));
    if (loose >= 0) remaining.splice(loose, 1);
  }
  return [...remaining, ...change.added];
};

/** Applies per-field changes of a struct; a field whose new value is unknown keeps the old one. */
const applyStruct = <T extends object>(current: T | null, empty: T, changes: { [K in keyof T]?: Change<T[K]> }): T => {
  const next = { ...(current ?? empty) };
  for (const [key, change] of Object.entries(changes) as [keyof T, Change<T[keyof T]>][]) {
    if (change.to !== null) next[key] = change.to;
  }
  return next;
};

const keep = <T>(value: T | null, fallback: T | null): T | null => value ?? fallback;

const EMPTY_DESIGN = {
  allocation: null,
  interventionModel: null,
  primaryPurpose: null,
  masking: null,
  observationalModel: null,
  timePerspective: null,
};
const EMPTY_ELIGIBILITY = { minimumAge: null, maximumAge: null, sex: null, healthyVolunteers: null, criteria: null };

/** The state after one event. Pure; the first event of a stream must be `trial.registered`. */
export const evolve = (state: TrialState | null, event: DomainEvent): TrialState => {
  if (event.type === 'trial.registered') return { ...emptyFacts(event.data.facts.nctId), ...event.data.facts };
  if (state === null) {
    throw new TrialStreamCorruptError(`A trial stream must start with trial.registered, not ${event.type}`, {
      type: event.type,
    });
  }
  switch (event.type) {
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
      return { ...state, lastKnownStatus: keep(event.data.to, state.lastKnownStatus) };
    case 'trial.why-stopped-changed':
      return { ...state, whyStopped: keep(event.data.to, state.whyStopped) };
    case 'trial.enrollment-updated':
      return { ...state, enrollment: keep(event.data.to, state.enrollment) };
    case 'trial.start-date-changed':
      return { ...state, startDate: keep(event.data.to, state.startDate) };
    case 'trial.primary-completion-date-changed':
      return { ...state, primaryCompletionDate: keep(event.data.to, state.primaryCompletionDate) };
    case 'trial.completion-date-changed':
      return { ...state, completionDate: keep(event.data.to, state.completionDate) };
    case 'trial.results-posted':
      return {
        ...state,
        hasResults: true,
        resultsFirstPostDate: keep(event.data.firstPostDate, state.resultsFirstPostDate),
      };
    case 'trial.results-removed':
      return { ...state, hasResults: false };
    case 'trial.phases-changed':
      return { ...state, phases: keep(event.data.to, state.phases) };
    case 'trial.study-type-changed':
      return { ...state, studyType: keep(event.data.to, state.studyType) };
    case 'trial.design-changed':
      return { ...state, design: applyStruct(state.design, EMPTY_DESIGN, event.data) };
    case 'trial.primary-outcomes-changed':
      return { ...state, primaryOutcomes: applyList(state.primaryOutcomes, event.data, outcomeMatcher) };
    case 'trial.secondary-outcomes-changed':
      return { ...state, secondaryOutcomes: applyList(state.secondaryOutcomes, event.data, outcomeMatcher) };
    case 'trial.locations-changed': {
      const locations = applyList(state.locations, event.data, locationMatcher).map((location) => {
        const update = event.data.statusChanged.find((change) => locationMatcher.matches(change.location, location));
        return update ? { ...location, status: update.to } : location;
      });
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
      return { ...state, [event.data.field]: keep(event.data.to, state[event.data.field]) };
    case 'trial.summary-changed':
      return { ...state, briefSummary: keep(event.data.to, state.briefSummary) };
    case 'trial.lead-sponsor-changed':
      return { ...state, leadSponsor: keep(event.data.to, state.leadSponsor) };
    case 'trial.collaborators-changed':
      return { ...state, collaborators: applyList(state.collaborators, event.data, sponsorMatcher) };
    case 'trial.eligibility-changed':
      return { ...state, eligibility: applyStruct(state.eligibility, EMPTY_ELIGIBILITY, event.data) };
    case 'trial.status-verified-date-moved':
      return { ...state, statusVerifiedDate: keep(event.data.to, state.statusVerifiedDate) };
    case 'trial.registration-dates-corrected':
      return {
        ...state,
        studyFirstSubmitDate: keep(event.data.studyFirstSubmitDate?.to ?? null, state.studyFirstSubmitDate),
        studyFirstPostDate: keep(event.data.studyFirstPostDate?.to ?? null, state.studyFirstPostDate),
      };
    case 'trial.last-update-posted-date-moved':
      return {
        ...state,
        lastUpdatePostDate: keep(event.data.to, state.lastUpdatePostDate),
        lastUpdateSubmitDate: keep(event.data.submitDate.to, state.lastUpdateSubmitDate),
      };
    default: {
      const unknown: never = event;
      throw new TrialStreamCorruptError(`Unknown event type ${(unknown as DomainEvent).type}`, {});
    }
  }
};

/** Folds a whole stream. */
export const foldEvents = (events: readonly DomainEvent[], initial: TrialState | null = null): TrialState | null =>
  events.reduce<TrialState | null>(evolve, initial);
