import type { TrialFacts } from '../snapshot/trial-snapshot.js';
import { addYears } from '../shared/partial-date.js';

/*
 * Registry hygiene: what a careful reader of the record would flag. Each flag holds while its
 * condition does; a daily check records when one starts and when it ends.
 */

export const HYGIENE_FLAGS = [
  'status-verification-stale',
  'completion-past-while-recruiting',
  'gone-from-registry',
  'merged-into-another',
] as const;
export type HygieneFlag = (typeof HYGIENE_FLAGS)[number];

export const isHygieneFlag = (value: string): value is HygieneFlag =>
  (HYGIENE_FLAGS as readonly string[]).includes(value);

export const HYGIENE_FLAG_DESCRIPTIONS: Record<HygieneFlag, string> = {
  'status-verification-stale':
    'The status was last verified more than two years ago and the trial is not closed (the registry then shows its status as unknown)',
  'completion-past-while-recruiting': 'The completion date has passed but the trial still says it is recruiting',
  'gone-from-registry': 'The registry no longer has a record for this NCT ID',
  'merged-into-another': 'The registry merged this NCT ID into another trial',
};

/**
 * Statuses that end a record: a trial completed, terminated or withdrawn, an expanded-access programme
 * no longer available or approved for marketing. Nothing is left to verify. (Temporarily not
 * available, suspended, withheld and unknown may still change: they are not closed.)
 */
export const CLOSED_STATUSES: readonly string[] = [
  'COMPLETED',
  'TERMINATED',
  'WITHDRAWN',
  'NO_LONGER_AVAILABLE',
  'APPROVED_FOR_MARKETING',
];
export const RECRUITING_STATUSES: readonly string[] = ['RECRUITING', 'NOT_YET_RECRUITING', 'ENROLLING_BY_INVITATION'];
const CLOSED = new Set(CLOSED_STATUSES);
const RECRUITING = new Set(RECRUITING_STATUSES);

export type HygieneFacts = Pick<
  TrialFacts,
  'overallStatus' | 'statusVerifiedDate' | 'completionDate' | 'primaryCompletionDate'
> & {
  /** Since when the registry has had no record for the trial, when it is gone. */
  goneFromRegistrySince?: string | null;
  /** The NCT ID the registry merged this one into, when it did. */
  mergedInto?: string | null;
};

const dayOf = (iso: string): string => iso.slice(0, 10);

const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The last day a partial date covers: `2024-06` is verified until 30 June 2024. */
const lastDayOf = (date: string): string => {
  const [year, month, day] = date.split('-');
  if (day) return date;
  if (month) return new Date(Date.UTC(Number(year), Number(month), 0)).toISOString().slice(0, 10);
  return `${year}-12-31`;
};

/**
 * The day from which each flag holds for these facts (as long as they stay as they are): what the
 * read model stores, so that "flagged on a given day" is one comparison.
 */
export const hygieneThresholdsOf = (facts: HygieneFacts): Partial<Record<HygieneFlag, string>> => {
  const thresholds: Partial<Record<HygieneFlag, string>> = {};
  const status = facts.overallStatus?.toUpperCase() ?? null;
  if (status !== null && !CLOSED.has(status) && facts.statusVerifiedDate) {
    // Verified in February 2024 (until the 29th): two years on is 28 February 2026, stale from 1 March.
    thresholds['status-verification-stale'] = addDays(addYears(lastDayOf(facts.statusVerifiedDate), 2), 1);
  }
  const completion = facts.completionDate ?? facts.primaryCompletionDate;
  if (status !== null && RECRUITING.has(status) && completion) {
    // "June 2023" has passed once June is over, not on 2 June.
    thresholds['completion-past-while-recruiting'] = addDays(lastDayOf(completion.date), 1);
  }
  if (facts.goneFromRegistrySince) thresholds['gone-from-registry'] = dayOf(facts.goneFromRegistrySince);
  if (facts.mergedInto) thresholds['merged-into-another'] = '0001-01-01';
  return thresholds;
};

/** The flags that hold for a trial on `today` (an ISO date), in the order of HYGIENE_FLAGS. */
export const hygieneFlagsOf = (facts: HygieneFacts, today: string): HygieneFlag[] => {
  const thresholds = hygieneThresholdsOf(facts);
  return HYGIENE_FLAGS.filter((flag) => thresholds[flag] !== undefined && thresholds[flag]! <= dayOf(today));
};

/** What changed between two sets of flags: the flags raised and the flags cleared. */
export const flagChanges = (
  before: readonly HygieneFlag[],
  after: readonly HygieneFlag[],
): { raised: HygieneFlag[]; cleared: HygieneFlag[] } => ({
  raised: after.filter((flag) => !before.includes(flag)),
  cleared: before.filter((flag) => !after.includes(flag)),
});
