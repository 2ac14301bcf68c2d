import type { PartialDate } from '../shared/partial-date.js';
import type { Change, TrialEvent } from './trial-event.js';

export const RESULTS_SUBMITTED = 'trial.results-submitted';

/**
 * The day the record shows results first submitted changed: from none to a day, results were
 * submitted (the registry posts them once its quality-control review is done); to none, the
 * submission was taken back by the sponsor. `posted`: the record giving the day also shows the
 * results posted (the review is done), so the submission is told with the posting, not as news.
 */
export type ResultsSubmitted = TrialEvent<typeof RESULTS_SUBMITTED, Change<PartialDate> & { posted: boolean }>;

export const resultsSubmitted = (data: ResultsSubmitted['data']): ResultsSubmitted => ({
  type: RESULTS_SUBMITTED,
  schemaVersion: 1,
  data,
});
