import type { Change, TrialEvent } from './trial-event.js';

export const TITLE_CHANGED = 'trial.title-changed';

/** The brief title, official title or acronym changed. */
export type TitleChanged = TrialEvent<
  typeof TITLE_CHANGED,
  Change<string> & { field: 'briefTitle' | 'officialTitle' | 'acronym' }
>;

export const titleChanged = (data: TitleChanged['data']): TitleChanged => ({
  type: TITLE_CHANGED,
  schemaVersion: 1,
  data,
});
