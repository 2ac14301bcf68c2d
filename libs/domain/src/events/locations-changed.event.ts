import type { Location } from '../snapshot/trial-snapshot.js';
import type { ListChange, TrialEvent } from './trial-event.js';

export const LOCATIONS_CHANGED = 'trial.locations-changed';

/** Sites were added or removed, or a site's recruitment status changed. */
export type LocationsChanged = TrialEvent<
  typeof LOCATIONS_CHANGED,
  ListChange<Location> & { statusChanged: { location: Location; from: string | null; to: string }[] }
>;

export const locationsChanged = (data: LocationsChanged['data']): LocationsChanged => ({
  type: LOCATIONS_CHANGED,
  schemaVersion: 1,
  data,
});
