import type { Outcome } from '../snapshot/trial-snapshot.js';
import type { ListChange, TrialEvent } from './trial-event.js';

export const PRIMARY_OUTCOMES_CHANGED = 'trial.primary-outcomes-changed';

/** Primary outcome measures were added or removed; a changed time frame shows as one removed and one added, so outcome switching is visible. */
export type PrimaryOutcomesChanged = TrialEvent<typeof PRIMARY_OUTCOMES_CHANGED, ListChange<Outcome>>;

export const primaryOutcomesChanged = (data: PrimaryOutcomesChanged['data']): PrimaryOutcomesChanged => ({
  type: PRIMARY_OUTCOMES_CHANGED,
  schemaVersion: 1,
  data,
});
