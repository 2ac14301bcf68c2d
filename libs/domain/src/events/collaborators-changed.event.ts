import type { Sponsor } from '../snapshot/trial-snapshot.js';
import type { ListChange, TrialEvent } from './trial-event.js';

export const COLLABORATORS_CHANGED = 'trial.collaborators-changed';

/** Collaborators were added or removed. */
export type CollaboratorsChanged = TrialEvent<typeof COLLABORATORS_CHANGED, ListChange<Sponsor>>;

export const collaboratorsChanged = (data: CollaboratorsChanged['data']): CollaboratorsChanged => ({
  type: COLLABORATORS_CHANGED,
  schemaVersion: 1,
  data,
});
