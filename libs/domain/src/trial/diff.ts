import {
  type DateStruct,
  type Design,
  type Eligibility,
  registryDateOf,
  type TrialFacts,
} from '../snapshot/trial-snapshot.js';
import type { Change, DomainEvent } from '../events/index.js';
import {
  armGroupsChanged,
  collaboratorsChanged,
  completionDateChanged,
  conditionsChanged,
  designChanged,
  eligibilityChanged,
  enrollmentUpdated,
  fdaRegulationChanged,
  interventionsChanged,
  keywordsChanged,
  lastKnownStatusChanged,
  lastUpdatePostedDateMoved,
  leadSponsorChanged,
  locationsChanged,
  nctIdAliasesChanged,
  officialsChanged,
  overallStatusChanged,
  phasesChanged,
  primaryCompletionDateChanged,
  primaryOutcomesChanged,
  referencesChanged,
  registrationDatesCorrected,
  resultsPosted,
  resultsRemoved,
  resultsSubmitted,
  secondaryIdsChanged,
  secondaryOutcomesChanged,
  startDateChanged,
  statusVerifiedDateMoved,
  studyTypeChanged,
  summaryChanged,
  titleChanged,
  trialRegistered,
  whyStoppedChanged,
} from '../events/index.js';
import {
  armGroupMatcher,
  diffList,
  interventionMatcher,
  locationMatcher,
  type Matcher,
  officialMatcher,
  outcomeMatcher,
  referenceMatcher,
  secondaryIdMatcher,
  sameAge,
  sameCriteria,
  sameDate,
  sameEnum,
  sameSet,
  sameText,
  sponsorMatcher,
  stringMatcher,
} from './comparison.js';

/*
 * Rules every comparison follows:
 * - a value the next snapshot does not show (null) never produces an event and never erases a known one;
 * - a value the next snapshot shows where nothing was known before is a change (a completion date appears);
 * - sameness ignores whitespace, wrapping, list order, enum letter case and format renderings.
 * Registration bookkeeping (first submitted/posted dates, the actual/estimated label of an unchanged date)
 * is compared only where both sides know it, so a format that merely shows more does not look like a change.
 */

/** True when `next` knows a value that differs from `previous` (or `previous` did not know one). */
const changed = <T>(previous: T | null, next: T | null, same: (a: T, b: T) => boolean): next is T =>
  next !== null && (previous === null || !same(previous, next));

const bothKnownAndDiffer = <T>(previous: T | null, next: T | null, same: (a: T, b: T) => boolean): boolean =>
  previous !== null && next !== null && !same(previous, next);

const strictEqual = <T>(a: T, b: T): boolean => a === b;

const listEvent = <T, E>(
  previous: T[] | null,
  next: T[] | null,
  matcher: Matcher<T>,
  build: (change: { added: T[]; removed: T[] }) => E,
): E[] => {
  if (next === null) return [];
  const { added, removed } = diffList(previous ?? [], next, matcher);
  return added.length > 0 || removed.length > 0 ? [build({ added, removed })] : [];
};

const structChanges = <T extends object>(
  previous: T | null,
  next: T | null,
  same: (key: keyof T, a: NonNullable<T[keyof T]>, b: NonNullable<T[keyof T]>) => boolean,
): { [K in keyof T]?: Change<T[K]> } | null => {
  if (next === null) return null;
  const changes: { [K in keyof T]?: Change<T[K]> } = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    const before = (previous?.[key] ?? null) as NonNullable<T[keyof T]> | null;
    const after = (next[key] ?? null) as NonNullable<T[keyof T]> | null;
    if (changed(before, after, (a, b) => same(key, a, b))) changes[key] = { from: before, to: after };
  }
  return Object.keys(changes).length > 0 ? changes : null;
};

const dateEvent = <E>(
  previous: DateStruct | null,
  next: DateStruct | null,
  build: (change: Change<DateStruct>) => E,
): E[] => (changed(previous, next, sameDate) ? [build({ from: previous, to: next })] : []);

/** The fields `trial.registered` carries: everything the first snapshot knows. */
const knownFacts = (facts: TrialFacts): Partial<TrialFacts> & Pick<TrialFacts, 'nctId'> =>
  Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== null)) as Partial<TrialFacts> &
    Pick<TrialFacts, 'nctId'>;

/**
 * The domain events that turn a trial's known state into what the next snapshot shows.
 * With no previous state, one `trial.registered` event. Pure: no clock, no ids, no I/O.
 */
export const diff = (previous: TrialFacts | null, next: TrialFacts): DomainEvent[] => {
  if (previous === null) {
    const { source: _source, ...facts } = next as TrialFacts & { source?: unknown };
    return [trialRegistered({ facts: knownFacts(facts) })];
  }
  const events: DomainEvent[] = [];
  const statusMoved = changed(previous.overallStatus, next.overallStatus, sameEnum);

  if (statusMoved) {
    events.push(
      overallStatusChanged({
        from: previous.overallStatus,
        to: next.overallStatus!,
        whyStopped: next.whyStopped,
        lastKnownStatus: next.lastKnownStatus,
      }),
    );
  } else {
    if (changed(previous.lastKnownStatus, next.lastKnownStatus, sameEnum)) {
      events.push(lastKnownStatusChanged({ from: previous.lastKnownStatus, to: next.lastKnownStatus }));
    }
    if (changed(previous.whyStopped, next.whyStopped, sameText)) {
      events.push(whyStoppedChanged({ from: previous.whyStopped, to: next.whyStopped }));
    }
  }

  const nextEnrollment = next.enrollment?.count != null ? next.enrollment : null;
  if (
    changed(
      previous.enrollment?.count != null ? previous.enrollment : null,
      nextEnrollment,
      (a, b) => a.count === b.count && (a.type === null || b.type === null || a.type === b.type),
    )
  ) {
    events.push(enrollmentUpdated({ from: previous.enrollment, to: nextEnrollment }));
  }

  events.push(
    ...dateEvent(previous.startDate, next.startDate, startDateChanged),
    ...dateEvent(previous.primaryCompletionDate, next.primaryCompletionDate, primaryCompletionDateChanged),
    ...dateEvent(previous.completionDate, next.completionDate, completionDateChanged),
  );

  if (next.hasResults === true && previous.hasResults !== true) {
    events.push(resultsPosted({ firstPostDate: next.resultsFirstPostDate }));
  } else if (next.hasResults === false && previous.hasResults === true) {
    events.push(resultsRemoved({}));
  }
  if (changed(previous.resultsFirstSubmitDate, next.resultsFirstSubmitDate, strictEqual)) {
    events.push(
      resultsSubmitted({
        from: previous.resultsFirstSubmitDate,
        to: next.resultsFirstSubmitDate,
        posted: next.hasResults === true,
      }),
    );
  }

  if (changed(previous.phases, next.phases, sameSet)) {
    events.push(phasesChanged({ from: previous.phases, to: next.phases }));
  }
  if (changed(previous.studyType, next.studyType, sameEnum)) {
    events.push(studyTypeChanged({ from: previous.studyType, to: next.studyType }));
  }
  const design = structChanges<Design>(previous.design, next.design, (_key, a, b) => sameEnum(a, b));
  if (design) events.push(designChanged(design as Parameters<typeof designChanged>[0]));

  events.push(
    ...listEvent(previous.primaryOutcomes, next.primaryOutcomes, outcomeMatcher, primaryOutcomesChanged),
    ...listEvent(previous.secondaryOutcomes, next.secondaryOutcomes, outcomeMatcher, secondaryOutcomesChanged),
  );

  if (next.locations !== null) {
    const { added, removed, matched } = diffList(previous.locations ?? [], next.locations, locationMatcher);
    const statusChanged = matched
      .filter(([before, after]) => changed(before.status, after.status, sameEnum))
      .map(([before, after]) => ({ location: after, from: before.status, to: after.status! }));
    if (added.length > 0 || removed.length > 0 || statusChanged.length > 0) {
      events.push(locationsChanged({ added, removed, statusChanged }));
    }
  }

  events.push(
    ...listEvent(previous.conditions, next.conditions, stringMatcher, conditionsChanged),
    ...listEvent(previous.keywords, next.keywords, stringMatcher, keywordsChanged),
    ...listEvent(previous.interventions, next.interventions, interventionMatcher, interventionsChanged),
    ...listEvent(previous.armGroups, next.armGroups, armGroupMatcher, armGroupsChanged),
  );

  for (const field of ['briefTitle', 'officialTitle', 'acronym'] as const) {
    if (changed(previous[field], next[field], sameText)) {
      events.push(titleChanged({ field, from: previous[field], to: next[field] }));
    }
  }
  if (changed(previous.briefSummary, next.briefSummary, sameText)) {
    events.push(summaryChanged({ from: previous.briefSummary, to: next.briefSummary }));
  }
  if (changed(previous.leadSponsor, next.leadSponsor, sponsorMatcher.matches)) {
    events.push(leadSponsorChanged({ from: previous.leadSponsor, to: next.leadSponsor }));
  }
  events.push(...listEvent(previous.collaborators, next.collaborators, sponsorMatcher, collaboratorsChanged));
  events.push(
    ...listEvent(previous.secondaryIds, next.secondaryIds, secondaryIdMatcher, secondaryIdsChanged),
    ...listEvent(previous.references, next.references, referenceMatcher, referencesChanged),
    ...listEvent(previous.overallOfficials, next.overallOfficials, officialMatcher, officialsChanged),
    ...listEvent(previous.nctIdAliases, next.nctIdAliases, stringMatcher, nctIdAliasesChanged),
  );
  if (changed(previous.fdaRegulated, next.fdaRegulated, strictEqual)) {
    events.push(fdaRegulationChanged({ from: previous.fdaRegulated, to: next.fdaRegulated }));
  }

  const eligibility = structChanges<Eligibility>(previous.eligibility, next.eligibility, (key, a, b) =>
    key === 'criteria'
      ? sameCriteria(a as string, b as string)
      : key === 'minimumAge' || key === 'maximumAge'
        ? sameAge(a as string, b as string)
        : typeof a === 'string'
          ? sameEnum(a, b as string)
          : a === b,
  );
  if (eligibility) events.push(eligibilityChanged(eligibility as Parameters<typeof eligibilityChanged>[0]));

  if (changed(previous.statusVerifiedDate, next.statusVerifiedDate, strictEqual)) {
    events.push(statusVerifiedDateMoved({ from: previous.statusVerifiedDate, to: next.statusVerifiedDate }));
  }

  const corrections: Parameters<typeof registrationDatesCorrected>[0] = {};
  if (bothKnownAndDiffer(previous.studyFirstSubmitDate, next.studyFirstSubmitDate, strictEqual)) {
    corrections.studyFirstSubmitDate = { from: previous.studyFirstSubmitDate, to: next.studyFirstSubmitDate };
  }
  if (bothKnownAndDiffer(previous.studyFirstPostDate, next.studyFirstPostDate, (a, b) => a.date === b.date)) {
    corrections.studyFirstPostDate = { from: previous.studyFirstPostDate, to: next.studyFirstPostDate };
  }
  if (Object.keys(corrections).length > 0) events.push(registrationDatesCorrected(corrections));

  const posted = (date: DateStruct | null) => date?.date ?? null;
  const lastUpdateKnownBefore = previous.lastUpdatePostDate !== null || previous.lastUpdateSubmitDate !== null;
  const lastUpdateKnownNow = next.lastUpdatePostDate !== null || next.lastUpdateSubmitDate !== null;
  // Sources show different dates of a version: a legacy record only when it was submitted, a page only
  // when it was posted. Where no date is shown by both, the version moved if its date did.
  const comparable =
    (previous.lastUpdatePostDate !== null && next.lastUpdatePostDate !== null) ||
    (previous.lastUpdateSubmitDate !== null && next.lastUpdateSubmitDate !== null);
  if (
    bothKnownAndDiffer(posted(previous.lastUpdatePostDate), posted(next.lastUpdatePostDate), strictEqual) ||
    bothKnownAndDiffer(previous.lastUpdateSubmitDate, next.lastUpdateSubmitDate, strictEqual) ||
    (!lastUpdateKnownBefore && lastUpdateKnownNow) ||
    (!comparable && lastUpdateKnownBefore && lastUpdateKnownNow && registryDateOf(previous) !== registryDateOf(next))
  ) {
    events.push(
      lastUpdatePostedDateMoved({
        from: previous.lastUpdatePostDate,
        to: next.lastUpdatePostDate,
        submitDate: { from: previous.lastUpdateSubmitDate, to: next.lastUpdateSubmitDate },
      }),
    );
  }
  return events;
};
