import type { HygieneFlag } from '../signal/hygiene.js';
import type { TrialEvent } from './trial-event.js';

export const HYGIENE_FLAG_RAISED = 'trial.hygiene-flag-raised';

/** A registry hygiene flag started to hold for the trial (trialwatch's daily check). */
export type HygieneFlagRaised = TrialEvent<typeof HYGIENE_FLAG_RAISED, { flag: HygieneFlag; since: string }>;

export const hygieneFlagRaised = (data: HygieneFlagRaised['data']): HygieneFlagRaised => ({
  type: HYGIENE_FLAG_RAISED,
  schemaVersion: 1,
  data,
});
