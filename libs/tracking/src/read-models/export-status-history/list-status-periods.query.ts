import { Query } from '@nestjs/cqrs';

export interface StatusPeriodEntry {
  nctId: string;
  status: string;
  from: string;
  to: string | null;
  days: number;
  current: boolean;
}

export interface StatusPeriodsPage {
  periods: StatusPeriodEntry[];
  nextCursor: string | null;
}

/** Status periods of every trial (or of `nctIds`), by NCT ID then time, a page at a time: the status-history export. */
export class ListStatusPeriodsQuery extends Query<StatusPeriodsPage> {
  constructor(
    readonly nctIds: string[] | null,
    readonly cursor: string | null,
    readonly limit: number,
  ) {
    super();
  }
}
