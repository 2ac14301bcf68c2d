import type { DateStruct } from '../snapshot/trial-snapshot.js';
import type { Change, TrialEvent } from './trial-event.js';

export const COMPLETION_DATE_CHANGED = 'trial.completion-date-changed';

/** The study completion date moved, appeared, or turned from estimated to actual. */
export type CompletionDateChanged = TrialEvent<typeof COMPLETION_DATE_CHANGED, Change<DateStruct>>;

export const completionDateChanged = (data: CompletionDateChanged['data']): CompletionDateChanged => ({
  type: COMPLETION_DATE_CHANGED,
  schemaVersion: 1,
  data,
});
