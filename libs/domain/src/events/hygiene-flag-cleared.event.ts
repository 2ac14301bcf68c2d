import type { HygieneFlag } from '../signal/hygiene.js';
import type { TrialEvent } from './trial-event.js';

export const HYGIENE_FLAG_CLEARED = 'trial.hygiene-flag-cleared';

/** A registry hygiene flag no longer holds for the trial (trialwatch's daily check). */
export type HygieneFlagCleared = TrialEvent<typeof HYGIENE_FLAG_CLEARED, { flag: HygieneFlag }>;

export const hygieneFlagCleared = (data: HygieneFlagCleared['data']): HygieneFlagCleared => ({
  type: HYGIENE_FLAG_CLEARED,
  schemaVersion: 1,
  data,
});
