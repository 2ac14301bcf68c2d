import type { TrialFacts } from '../snapshot/trial-snapshot.js';
import { addYears, partialDateStart } from '../shared/partial-date.js';

/*
 * Results reporting against FDAAA 801, approximated from what a registry record shows. The law binds
 * "applicable clinical trials"; the record does not say whether a trial is one, so trialwatch takes a
 * trial as probably applicable when it is interventional, not phase 1 only, has a site in the United
 * States (its territories included, as 42 CFR 11.10(a) defines it) or says it studies an FDA-regulated
 * drug or device, and completed its primary outcome on or
 * after 18 January 2017 (the Final Rule's effective date). A trial that enrolled no one (withdrawn,
 * which the registry defines as stopped before its first participant, or an actual enrollment of 0)
 * owes none: the results 42 CFR 11.48 asks for are the flow, baseline characteristics, outcomes and
 * adverse events of the participants enrolled, and it has none. Results are due one year after primary
 * completion (after 29 February, on 28 February). Limits: no certification of delay or extension is
 * visible, and a month-only completion date is read as the first of the month. The deadline is for
 * submitting results (42 CFR 11.44); the registry posts them after its quality-control review, which can
 * take months. So results count as reported on the day they were first submitted, where the record says
 * (results shown, or awaiting that review), else on the day the registry first posted them.
 */

export const RESULTS_DUE_STATES = [
  'not-due',
  'due-within-30-days',
  'overdue',
  'reported-on-time',
  'reported-late',
] as const;
export type ResultsDueState = (typeof RESULTS_DUE_STATES)[number];

export const isResultsDueState = (value: string): value is ResultsDueState =>
  (RESULTS_DUE_STATES as readonly string[]).includes(value);

export interface ResultsDue {
  /** The day results are due: primary completion plus one year. */
  dueDate: string;
  state: ResultsDueState;
  /**
   * When results were first submitted, for results the registry shows or that await its review, if the
   * record says (also when that was after the day asked about).
   */
  submittedOn: string | null;
  /** When the registry first showed results, if it has (also when that was after the day asked about). */
  reportedOn: string | null;
  /** While overdue: the days from the due date to the day asked about. */
  daysOverdue: number | null;
}

export type ResultsDueFacts = Pick<
  TrialFacts,
  | 'studyType'
  | 'phases'
  | 'locations'
  | 'primaryCompletionDate'
  | 'hasResults'
  | 'resultsFirstSubmitDate'
  | 'resultsFirstPostDate'
  | 'fdaRegulated'
  | 'overallStatus'
  | 'enrollment'
>;

export const FINAL_RULE_EFFECTIVE = '2017-01-18';
const EARLY_PHASES = new Set(['EARLY_PHASE1', 'PHASE1']);
const DAY = 86_400_000;

/**
 * "United States" as 42 CFR 11.10(a) defines it: the States, the District of Columbia, Puerto Rico, the
 * Northern Mariana Islands, American Samoa, Guam, the U.S. Virgin Islands and any other territory or
 * possession, by the country names the registry gives their sites.
 */
const UNITED_STATES = new Set([
  'united states',
  'usa',
  'us',
  'puerto rico',
  'guam',
  'american samoa',
  'northern mariana islands',
  'virgin islands (u.s.)',
  'u.s. virgin islands',
  'united states minor outlying islands',
]);

const isUnitedStates = (country: string | null): boolean =>
  country !== null && UNITED_STATES.has(country.trim().replace(/\s+/g, ' ').toLowerCase());

/** Withdrawn (stopped before its first participant), or its actual enrollment is 0: no results to report. */
const enrolledNoOne = (facts: ResultsDueFacts): boolean =>
  facts.overallStatus?.toUpperCase() === 'WITHDRAWN' ||
  (facts.enrollment?.type === 'ACTUAL' && facts.enrollment.count === 0);

/** Whether the record looks like an applicable clinical trial that owes results (see the approximation above). */
export const isProbablyApplicable = (facts: ResultsDueFacts): boolean => {
  if (facts.studyType?.toUpperCase() !== 'INTERVENTIONAL') return false;
  if (enrolledNoOne(facts)) return false;
  const phases = facts.phases ?? [];
  if (phases.length > 0 && phases.every((phase) => EARLY_PHASES.has(phase.toUpperCase()))) return false;
  const american = (facts.locations ?? []).some((location) => isUnitedStates(location.country));
  if (!american && facts.fdaRegulated !== true) return false;
  const completion = facts.primaryCompletionDate?.date;
  return completion !== undefined && partialDateStart(completion) >= partialDateStart(FINAL_RULE_EFFECTIVE);
};

/** The day results are due (primary completion plus one year), or null when the trial does not look applicable. */
export const resultsDueDateOf = (facts: ResultsDueFacts): string | null =>
  isProbablyApplicable(facts) ? addYears(partialDateStart(facts.primaryCompletionDate!.date), 1) : null;

/**
 * When the registry first showed the results it shows, or null when it shows none: results taken down
 * (`hasResults` false, the first posted date still known) are not reported.
 */
export const resultsReportedOnOf = (
  facts: Pick<ResultsDueFacts, 'hasResults' | 'resultsFirstPostDate'>,
): string | null => (facts.hasResults === false ? null : (facts.resultsFirstPostDate?.date ?? null));

/** When results were first submitted, for results shown or awaiting the registry's review, or null when the record does not say. */
export const resultsSubmittedOnOf = (facts: Pick<ResultsDueFacts, 'resultsFirstSubmitDate'>): string | null =>
  facts.resultsFirstSubmitDate;

/**
 * What the state is on `today`, from the due date and what the record shows of results. Results count
 * as reported on the day they were first submitted (`submittedOn`), else on the day first posted
 * (`reportedOn`): a submission awaiting the registry's review is not overdue. Results submitted (posted)
 * after `today` were not yet on it: on a past day the state is what it was then (overdue, not reported
 * late). Results shown without either day count as reported on any day.
 */
export const resultsDueStateOn = (
  {
    dueDate,
    submittedOn,
    reportedOn,
    hasResults,
  }: { dueDate: string; submittedOn: string | null; reportedOn: string | null; hasResults: boolean | null },
  today: string,
): ResultsDueState => {
  const day = partialDateStart(today.slice(0, 10));
  const reportedDay = submittedOn ?? reportedOn;
  const reported = reportedDay !== null ? partialDateStart(reportedDay) <= day : hasResults === true;
  if (reported) {
    const onTime = reportedDay === null || partialDateStart(reportedDay) <= partialDateStart(dueDate);
    return onTime ? 'reported-on-time' : 'reported-late';
  }
  const daysLeft = -daysPastDue(dueDate, day);
  return daysLeft < 0 ? 'overdue' : daysLeft <= 30 ? 'due-within-30-days' : 'not-due';
};

/** The days from `dueDate` to `day` (both ISO dates): negative before it. */
export const daysPastDue = (dueDate: string, day: string): number =>
  Math.round((Date.parse(day.slice(0, 10)) - Date.parse(partialDateStart(dueDate))) / DAY);

/**
 * The results-due state of a trial on `today` (an ISO date), or null when it does not look like an
 * applicable clinical trial.
 */
export const resultsDueOf = (facts: ResultsDueFacts, today: string): ResultsDue | null => {
  const dueDate = resultsDueDateOf(facts);
  if (dueDate === null) return null;
  const submittedOn = resultsSubmittedOnOf(facts);
  const reportedOn = resultsReportedOnOf(facts);
  const state = resultsDueStateOn({ dueDate, submittedOn, reportedOn, hasResults: facts.hasResults }, today);
  return {
    dueDate,
    state,
    submittedOn,
    reportedOn,
    daysOverdue: state === 'overdue' ? daysPastDue(dueDate, today) : null,
  };
};
