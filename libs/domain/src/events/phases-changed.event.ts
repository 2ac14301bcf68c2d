import type { Change, TrialEvent } from './trial-event.js';

export const PHASES_CHANGED = 'trial.phases-changed';

/** The trial's phases changed (e.g. PHASE2 to PHASE2/PHASE3). */
export type PhasesChanged = TrialEvent<typeof PHASES_CHANGED, Change<string[]>>;

export const phasesChanged = (data: PhasesChanged['data']): PhasesChanged => ({
  type: PHASES_CHANGED,
  schemaVersion: 1,
  data,
});
