import type { PartialDate } from '../shared/partial-date.js';
import type { Change, TrialEvent } from './trial-event.js';

export const STATUS_VERIFIED_DATE_MOVED = 'trial.status-verified-date-moved';

/** The sponsor re-verified the record's status. */
export type StatusVerifiedDateMoved = TrialEvent<typeof STATUS_VERIFIED_DATE_MOVED, Change<PartialDate>>;

export const statusVerifiedDateMoved = (data: StatusVerifiedDateMoved['data']): StatusVerifiedDateMoved => ({
  type: STATUS_VERIFIED_DATE_MOVED,
  schemaVersion: 1,
  data,
});
