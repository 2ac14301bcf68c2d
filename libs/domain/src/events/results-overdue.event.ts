import type { DateStruct } from '../snapshot/trial-snapshot.js';
import type { TrialEvent } from './trial-event.js';

export const RESULTS_OVERDUE = 'trial.results-overdue';

/**
 * Results were due (primary completion plus one year, for a trial that looks like an applicable clinical
 * trial under FDAAA 801) and the registry shows none. Recorded by trialwatch's daily check, not by a snapshot.
 */
export type ResultsOverdue = TrialEvent<
  typeof RESULTS_OVERDUE,
  { dueDate: string; primaryCompletionDate: DateStruct | null }
>;

export const resultsOverdue = (data: ResultsOverdue['data']): ResultsOverdue => ({
  type: RESULTS_OVERDUE,
  schemaVersion: 1,
  data,
});
