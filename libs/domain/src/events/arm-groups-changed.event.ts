import type { ArmGroup } from '../snapshot/trial-snapshot.js';
import type { ListChange, TrialEvent } from './trial-event.js';

export const ARM_GROUPS_CHANGED = 'trial.arm-groups-changed';

/** Arms or groups were added or removed. */
export type ArmGroupsChanged = TrialEvent<typeof ARM_GROUPS_CHANGED, ListChange<ArmGroup>>;

export const armGroupsChanged = (data: ArmGroupsChanged['data']): ArmGroupsChanged => ({
  type: ARM_GROUPS_CHANGED,
  schemaVersion: 1,
  data,
});
