import type { DateStruct } from '../snapshot/trial-snapshot.js';
import type { Change, TrialEvent } from './trial-event.js';

export const PRIMARY_COMPLETION_DATE_CHANGED = 'trial.primary-completion-date-changed';

/** The primary completion date moved, or turned from estimated to actual. */
export type PrimaryCompletionDateChanged = TrialEvent<typeof PRIMARY_COMPLETION_DATE_CHANGED, Change<DateStruct>>;

export const primaryCompletionDateChanged = (
  data: PrimaryCompletionDateChanged['data'],
): PrimaryCompletionDateChanged => ({ type: PRIMARY_COMPLETION_DATE_CHANGED, schemaVersion: 1, data });
