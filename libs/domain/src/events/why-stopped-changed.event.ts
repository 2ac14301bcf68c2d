import type { Change, TrialEvent } from './trial-event.js';

export const WHY_STOPPED_CHANGED = 'trial.why-stopped-changed';

/** The reason the trial stopped was reworded while the overall status stayed the same. */
export type WhyStoppedChanged = TrialEvent<typeof WHY_STOPPED_CHANGED, Change<string>>;

export const whyStoppedChanged = (data: WhyStoppedChanged['data']): WhyStoppedChanged => ({
  type: WHY_STOPPED_CHANGED,
  schemaVersion: 1,
  data,
});
