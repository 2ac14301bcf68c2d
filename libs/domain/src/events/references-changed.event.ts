import type { Reference } from '../snapshot/trial-snapshot.js';
import type { ListChange, TrialEvent } from './trial-event.js';

export const REFERENCES_CHANGED = 'trial.references-changed';

/** Publications the record cites were added or removed: a results publication added is the trial's results in a journal. */
export type ReferencesChanged = TrialEvent<typeof REFERENCES_CHANGED, ListChange<Reference>>;

export const referencesChanged = (data: ReferencesChanged['data']): ReferencesChanged => ({
  type: REFERENCES_CHANGED,
  schemaVersion: 1,
  data,
});
