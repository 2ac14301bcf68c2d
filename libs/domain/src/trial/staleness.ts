import { comparePartialDates } from '../shared/partial-date.js';
import type { TrialFacts, TrialSnapshot } from '../snapshot/trial-snapshot.js';
import { effectiveDateOf } from '../snapshot/trial-snapshot.js';

/**
 * A snapshot is stale when the registry version it shows is older than the one the trial's state
 * already reflects (out-of-order delivery, a re-sent old file). Applying it would rewind the state.
 * The submit dates are compared when both sides know them, else the posted dates, else the effective dates.
 */
export const isStale = (state: TrialFacts, snapshot: TrialSnapshot, stateEffectiveDate: string | null): boolean => {
  if (state.lastUpdateSubmitDate !== null && snapshot.lastUpdateSubmitDate !== null) {
    return comparePartialDates(snapshot.lastUpdateSubmitDate, state.lastUpdateSubmitDate) < 0;
  }
  if (state.lastUpdatePostDate !== null && snapshot.lastUpdatePostDate !== null) {
    return comparePartialDates(snapshot.lastUpdatePostDate.date, state.lastUpdatePostDate.date) < 0;
  }
  return stateEffectiveDate !== null && effectiveDateOf(snapshot) < stateEffectiveDate;
};
