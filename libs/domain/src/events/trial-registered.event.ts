import type { NoneParts, TrialFacts } from '../snapshot/trial-snapshot.js';
import type { TrialEvent } from './trial-event.js';

export const TRIAL_REGISTERED = 'trial.registered';

/**
 * The first snapshot of a trial. `facts` holds every field that snapshot knows: a value, or `null`
 * (`[]` for a list) for a field it states as none. A field left out was not shown, so it is unknown.
 * `noneParts` names the parts of the design and eligibility it states as none (a complete record's
 * null parts); a null part it does not name is unknown.
 * Version 1 left out every field without a value; a missing key still means unknown, so version 1
 * events read unchanged as version 2.
 */
export type TrialRegistered = TrialEvent<
  typeof TRIAL_REGISTERED,
  { facts: Partial<TrialFacts> & Pick<TrialFacts, 'nctId'>; noneParts?: Partial<NoneParts> },
  2
>;

export const trialRegistered = (data: TrialRegistered['data']): TrialRegistered => ({
  type: TRIAL_REGISTERED,
  schemaVersion: 2,
  data,
});
