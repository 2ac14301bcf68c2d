import { Query } from '@nestjs/cqrs';
import type { HygieneFlag, ResultsDue } from '@app/domain';

export interface TrialSignalsView {
  nctId: string;
  /** The day the signals are for (ISO date). */
  on: string;
  /** Results due under FDAAA 801 (approximated), or null when the trial does not look applicable. */
  resultsDue: ResultsDue | null;
  /** Each registry-hygiene flag holding on `on`, with the day it started to hold (for a merge: the trial it went into). */
  hygieneFlags: { flag: HygieneFlag; since: string | null; mergedInto?: string }[];
}

/** The signals that hold for one trial on a day: its results-due state and its registry-hygiene flags. */
export class GetTrialSignalsQuery extends Query<TrialSignalsView> {
  constructor(
    readonly nctId: string,
    readonly on: string,
  ) {
    super();
  }
}
