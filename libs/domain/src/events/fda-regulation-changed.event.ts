import type { Change, TrialEvent } from './trial-event.js';

export const FDA_REGULATION_CHANGED = 'trial.fda-regulation-changed';

/** Whether the trial studies a US FDA-regulated drug or device product changed. */
export type FdaRegulationChanged = TrialEvent<typeof FDA_REGULATION_CHANGED, Change<boolean>>;

export const fdaRegulationChanged = (data: FdaRegulationChanged['data']): FdaRegulationChanged => ({
  type: FDA_REGULATION_CHANGED,
  schemaVersion: 1,
  data,
});
