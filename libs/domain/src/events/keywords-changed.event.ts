import type { ListChange, TrialEvent } from './trial-event.js';

export const KEYWORDS_CHANGED = 'trial.keywords-changed';

/** The sponsor's keywords were added or removed. */
export type KeywordsChanged = TrialEvent<typeof KEYWORDS_CHANGED, ListChange<string>>;

export const keywordsChanged = (data: KeywordsChanged['data']): KeywordsChanged => ({
  type: KEYWORDS_CHANGED,
  schemaVersion: 1,
  data,
});
