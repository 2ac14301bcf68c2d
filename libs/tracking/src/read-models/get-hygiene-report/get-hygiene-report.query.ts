import { Query } from '@nestjs/cqrs';
import type { HygieneFlag } from '@app/domain';

export interface HygieneCriteria {
  /** The day the flags are for (ISO date). */
  on: string;
  flags?: HygieneFlag[];
  sponsor?: string;
  cursor?: string;
  limit: number;
}

export interface HygieneEntry {
  nctId: string;
  briefTitle: string | null;
  leadSponsor: string | null;
  overallStatus: string | null;
  /** Each flag holding on `on`, with the day it started to hold (for a merge: the trial it went into). */
  flags: { flag: HygieneFlag; since: string | null; mergedInto?: string }[];
}

export interface HygieneReport {
  on: string;
  trials: HygieneEntry[];
  nextCursor: string | null;
}

/** Trials with a registry-hygiene flag on a day, by NCT ID. */
export class GetHygieneReportQuery extends Query<HygieneReport> {
  constructor(readonly criteria: HygieneCriteria) {
    super();
  }
}
