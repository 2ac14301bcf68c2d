/**
 * One colour per overall status, each dark enough to stand out from the white page (at least 4.5:1)
 * and to carry white text. Colour is never the only cue: every band and badge also shows its status in words.
 */
const STATUS_COLOURS: Record<string, string> = {
  NOT_YET_RECRUITING: '#6a3d9a',
  RECRUITING: '#1b7a3a',
  ENROLLING_BY_INVITATION: '#00707a',
  ACTIVE_NOT_RECRUITING: '#1f5fae',
  SUSPENDED: '#8f5300',
  TERMINATED: '#b3261e',
  WITHDRAWN: '#7a2352',
  COMPLETED: '#3d3d3d',
  UNKNOWN: '#666666',
};

export const OTHER_STATUS_COLOUR = '#4a5568';

export const statusColour = (status: string | null | undefined): string =>
  (status && STATUS_COLOURS[status]) || OTHER_STATUS_COLOUR;

export const PALETTE_STATUSES = Object.keys(STATUS_COLOURS);
