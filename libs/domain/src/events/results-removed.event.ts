import type { TrialEvent } from './trial-event.js';

export const RESULTS_REMOVED = 'trial.results-removed';

/** The record no longer has posted results. */
export type ResultsRemoved = TrialEvent<typeof RESULTS_REMOVED, Record<string, never>>;

export const resultsRemoved = (data: ResultsRemoved['data']): ResultsRemoved => ({
  type: RESULTS_REMOVED,
  schemaVersion: 1,
  data,
});
