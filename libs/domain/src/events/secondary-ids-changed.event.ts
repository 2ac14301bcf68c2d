import type { SecondaryId } from '../snapshot/trial-snapshot.js';
import type { ListChange, TrialEvent } from './trial-event.js';

export const SECONDARY_IDS_CHANGED = 'trial.secondary-ids-changed';

/** Other identifiers of the trial (sponsor, EudraCT, EU CT, ISRCTN, WHO UTN) were added or removed. */
export type SecondaryIdsChanged = TrialEvent<typeof SECONDARY_IDS_CHANGED, ListChange<SecondaryId>>;

export const secondaryIdsChanged = (data: SecondaryIdsChanged['data']): SecondaryIdsChanged => ({
  type: SECONDARY_IDS_CHANGED,
  schemaVersion: 1,
  data,
});
