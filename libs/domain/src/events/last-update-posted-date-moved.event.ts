import type { DateStruct } from '../snapshot/trial-snapshot.js';
import type { PartialDate } from '../shared/partial-date.js';
import type { Change, TrialEvent } from './trial-event.js';

export const LAST_UPDATE_POSTED_DATE_MOVED = 'trial.last-update-posted-date-moved';

/** The registry published a new version of the record. `from`/`to` are the posted dates, `submitDate` the sponsor's submission dates. */
export type LastUpdatePostedDateMoved = TrialEvent<
  typeof LAST_UPDATE_POSTED_DATE_MOVED,
  Change<DateStruct> & { submitDate: Change<PartialDate> }
>;

export const lastUpdatePostedDateMoved = (data: LastUpdatePostedDateMoved['data']): LastUpdatePostedDateMoved => ({
  type: LAST_UPDATE_POSTED_DATE_MOVED,
  schemaVersion: 1,
  data,
});
