import type { Enrollment } from '../snapshot/trial-snapshot.js';
import type { Change, TrialEvent } from './trial-event.js';

export const ENROLLMENT_UPDATED = 'trial.enrollment-updated';

/** The (estimated or actual) number of participants changed. */
export type EnrollmentUpdated = TrialEvent<typeof ENROLLMENT_UPDATED, Change<Enrollment>>;

export const enrollmentUpdated = (data: EnrollmentUpdated['data']): EnrollmentUpdated => ({
  type: ENROLLMENT_UPDATED,
  schemaVersion: 1,
  data,
});
