import { Query } from '@nestjs/cqrs';

export interface StatusPeriod {
  status: string;
  from: string;
  /** null for the current status. */
  to: string | null;
  /** Whole days in this status, up to now for the current one. */
  days: number;
  current: boolean;
}

export interface StatusHistory {
  nctId: string;
  currentStatus: string | null;
  periods: StatusPeriod[];
}

export class GetStatusHistoryQuery extends Query<StatusHistory> {
  constructor(readonly nctId: string) {
    super();
  }
}
