import type { DateStruct } from '../snapshot/trial-snapshot.js';
import type { TrialEvent } from './trial-event.js';

export const RESULTS_POSTED = 'trial.results-posted';

/** Results were posted for the trial. */
export type ResultsPosted = TrialEvent<typeof RESULTS_POSTED, { firstPostDate: DateStruct | null }>;

export const resultsPosted = (data: ResultsPosted['data']): ResultsPosted => ({
  type: RESULTS_POSTED,
  schemaVersion: 1,
  data,
});
