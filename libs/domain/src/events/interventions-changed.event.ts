import type { Intervention } from '../snapshot/trial-snapshot.js';
import type { ListChange, TrialEvent } from './trial-event.js';

export const INTERVENTIONS_CHANGED = 'trial.interventions-changed';

/** Interventions were added or removed. */
export type InterventionsChanged = TrialEvent<typeof INTERVENTIONS_CHANGED, ListChange<Intervention>>;

export const interventionsChanged = (data: InterventionsChanged['data']): InterventionsChanged => ({
  type: INTERVENTIONS_CHANGED,
  schemaVersion: 1,
  data,
});
