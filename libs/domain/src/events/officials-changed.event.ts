import type { Official } from '../snapshot/trial-snapshot.js';
import type { ListChange, TrialEvent } from './trial-event.js';

export const OFFICIALS_CHANGED = 'trial.officials-changed';

/** The trial's overall officials (principal investigator, study director, chair) were added or removed. */
export type OfficialsChanged = TrialEvent<typeof OFFICIALS_CHANGED, ListChange<Official>>;

export const officialsChanged = (data: OfficialsChanged['data']): OfficialsChanged => ({
  type: OFFICIALS_CHANGED,
  schemaVersion: 1,
  data,
});
