import type { Change, TrialEvent } from './trial-event.js';

export const SUMMARY_CHANGED = 'trial.summary-changed';

/** The brief summary was rewritten (re-wrapping alone is not a change). */
export type SummaryChanged = TrialEvent<typeof SUMMARY_CHANGED, Change<string>>;

export const summaryChanged = (data: SummaryChanged['data']): SummaryChanged => ({
  type: SUMMARY_CHANGED,
  schemaVersion: 1,
  data,
});
