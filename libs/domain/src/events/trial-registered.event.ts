import type { TrialFacts } from '../snapshot/trial-snapshot.js';
import type { TrialEvent } from './trial-event.js';

export const TRIAL_REGISTERED = 'trial.registered';

/** The first snapshot of a trial: carries every field that snapshot knows. */
export type TrialRegistered = TrialEvent<
  typeof TRIAL_REGISTERED,
  { facts: Partial<TrialFacts> & Pick<TrialFacts, 'nctId'> }
>;

export const trialRegistered = (data: TrialRegistered['data']): TrialRegistered => ({
  type: TRIAL_REGISTERED,
  schemaVersion: 1,
  data,
});
