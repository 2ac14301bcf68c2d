import type { ListChange, TrialEvent } from './trial-event.js';

export const NCT_ID_ALIASES_CHANGED = 'trial.nct-id-aliases-changed';

/** NCT IDs were merged into this trial (added) or unmerged (removed). */
export type NctIdAliasesChanged = TrialEvent<typeof NCT_ID_ALIASES_CHANGED, ListChange<string>>;

export const nctIdAliasesChanged = (data: NctIdAliasesChanged['data']): NctIdAliasesChanged => ({
  type: NCT_ID_ALIASES_CHANGED,
  schemaVersion: 1,
  data,
});
