import type { Change, TrialEvent } from './trial-event.js';

export const STUDY_TYPE_CHANGED = 'trial.study-type-changed';

/** The study type changed (interventional, observational, expanded access). */
export type StudyTypeChanged = TrialEvent<typeof STUDY_TYPE_CHANGED, Change<string>>;

export const studyTypeChanged = (data: StudyTypeChanged['data']): StudyTypeChanged => ({
  type: STUDY_TYPE_CHANGED,
  schemaVersion: 1,
  data,
});
