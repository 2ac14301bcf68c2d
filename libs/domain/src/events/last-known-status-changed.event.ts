import type { Change, TrialEvent } from './trial-event.js';

export const LAST_KNOWN_STATUS_CHANGED = 'trial.last-known-status-changed';

/** The last status known before the record went UNKNOWN changed while the overall status stayed the same. */
export type LastKnownStatusChanged = TrialEvent<typeof LAST_KNOWN_STATUS_CHANGED, Change<string>>;

export const lastKnownStatusChanged = (data: LastKnownStatusChanged['data']): LastKnownStatusChanged => ({
  type: LAST_KNOWN_STATUS_CHANGED,
  schemaVersion: 1,
  data,
});
