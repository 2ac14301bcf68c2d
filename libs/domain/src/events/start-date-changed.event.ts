import type { DateStruct } from '../snapshot/trial-snapshot.js';
import type { Change, TrialEvent } from './trial-event.js';

export const START_DATE_CHANGED = 'trial.start-date-changed';

/** The study start date moved, or turned from estimated to actual. */
export type StartDateChanged = TrialEvent<typeof START_DATE_CHANGED, Change<DateStruct>>;

export const startDateChanged = (data: StartDateChanged['data']): StartDateChanged => ({
  type: START_DATE_CHANGED,
  schemaVersion: 1,
  data,
});
