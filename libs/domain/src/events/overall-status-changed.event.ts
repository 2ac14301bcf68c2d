import type { TrialEvent } from './trial-event.js';

export const OVERALL_STATUS_CHANGED = 'trial.overall-status-changed';

/** The overall recruitment status moved, with the reason given for stopping and the last known status, when the record has them. */
export type OverallStatusChanged = TrialEvent<
  typeof OVERALL_STATUS_CHANGED,
  { from: string | null; to: string; whyStopped: string | null; lastKnownStatus: string | null }
>;

export const overallStatusChanged = (data: OverallStatusChanged['data']): OverallStatusChanged => ({
  type: OVERALL_STATUS_CHANGED,
  schemaVersion: 1,
  data,
});
