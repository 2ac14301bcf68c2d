import type { Eligibility } from '../snapshot/trial-snapshot.js';
import type { Change, TrialEvent } from './trial-event.js';

export const ELIGIBILITY_CHANGED = 'trial.eligibility-changed';

/** Eligibility changed: criteria text, age limits, sex or healthy volunteers. */
export type EligibilityChanged = TrialEvent<
  typeof ELIGIBILITY_CHANGED,
  { [K in keyof Eligibility]?: Change<Eligibility[K]> }
>;

export const eligibilityChanged = (data: EligibilityChanged['data']): EligibilityChanged => ({
  type: ELIGIBILITY_CHANGED,
  schemaVersion: 1,
  data,
});
