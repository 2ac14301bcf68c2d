import type { ListChange, TrialEvent } from './trial-event.js';

export const CONDITIONS_CHANGED = 'trial.conditions-changed';

/** Conditions studied were added or removed. */
export type ConditionsChanged = TrialEvent<typeof CONDITIONS_CHANGED, ListChange<string>>;

export const conditionsChanged = (data: ConditionsChanged['data']): ConditionsChanged => ({
  type: CONDITIONS_CHANGED,
  schemaVersion: 1,
  data,
});
