import type { Design } from '../snapshot/trial-snapshot.js';
import type { Change, TrialEvent } from './trial-event.js';

export const DESIGN_CHANGED = 'trial.design-changed';

/** Design attributes changed: allocation, intervention model, primary purpose, masking, observational model, time perspective. */
export type DesignChanged = TrialEvent<typeof DESIGN_CHANGED, { [K in keyof Design]?: Change<string> }>;

export const designChanged = (data: DesignChanged['data']): DesignChanged => ({
  type: DESIGN_CHANGED,
  schemaVersion: 1,
  data,
});
