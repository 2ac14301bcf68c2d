import type { Outcome } from '../snapshot/trial-snapshot.js';
import type { ListChange, TrialEvent } from './trial-event.js';

export const SECONDARY_OUTCOMES_CHANGED = 'trial.secondary-outcomes-changed';

/** Secondary outcome measures were added or removed. */
export type SecondaryOutcomesChanged = TrialEvent<typeof SECONDARY_OUTCOMES_CHANGED, ListChange<Outcome>>;

export const secondaryOutcomesChanged = (data: SecondaryOutcomesChanged['data']): SecondaryOutcomesChanged => ({
  type: SECONDARY_OUTCOMES_CHANGED,
  schemaVersion: 1,
  data,
});
