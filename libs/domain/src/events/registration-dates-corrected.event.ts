import type { DateStruct } from '../snapshot/trial-snapshot.js';
import type { PartialDate } from '../shared/partial-date.js';
import type { Change, TrialEvent } from './trial-event.js';

export const REGISTRATION_DATES_CORRECTED = 'trial.registration-dates-corrected';

/** The registry corrected when the trial was first submitted or posted (rare: these dates are fixed at registration). */
export type RegistrationDatesCorrected = TrialEvent<
  typeof REGISTRATION_DATES_CORRECTED,
  { studyFirstSubmitDate?: Change<PartialDate>; studyFirstPostDate?: Change<DateStruct> }
>;

export const registrationDatesCorrected = (data: RegistrationDatesCorrected['data']): RegistrationDatesCorrected => ({
  type: REGISTRATION_DATES_CORRECTED,
  schemaVersion: 1,
  data,
});
