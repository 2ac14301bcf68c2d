import type { Sponsor } from '../snapshot/trial-snapshot.js';
import type { Change, TrialEvent } from './trial-event.js';

export const LEAD_SPONSOR_CHANGED = 'trial.lead-sponsor-changed';

/** The lead sponsor changed. */
export type LeadSponsorChanged = TrialEvent<typeof LEAD_SPONSOR_CHANGED, Change<Sponsor>>;

export const leadSponsorChanged = (data: LeadSponsorChanged['data']): LeadSponsorChanged => ({
  type: LEAD_SPONSOR_CHANGED,
  schemaVersion: 1,
  data,
});
