import { Query } from '@nestjs/cqrs';
import type { DateStruct, ResultsDueState } from '@app/domain';

export interface ResultsDueCriteria {
  /** The day the states are for (ISO date). */
  on: string;
  states?: ResultsDueState[];
  sponsor?: string;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  limit: number;
}

export interface ResultsDueEntry {
  nctId: string;
  briefTitle: string | null;
  leadSponsor: string | null;
  overallStatus: string | null;
  primaryCompletionDate: DateStruct | null;
  dueDate: string;
  state: ResultsDueState;
  /** When results were first submitted (shown, or awaiting the registry's review), if the record says: they count as reported then. */
  submittedOn: string | null;
  /** When the registry first posted results, if it has. */
  reportedOn: string | null;
  /** Days past the due date on `on`, for overdue results. */
  daysOverdue: number | null;
}

export interface ResultsDueReport {
  on: string;
  /** Applicable trials in each state on `on` (the sponsor filter applied, not the state filter). */
  counts: Record<ResultsDueState, number>;
  trials: ResultsDueEntry[];
  nextCursor: string | null;
}

/** Trials that look like applicable clinical trials under FDAAA 801, with their results-due state, by due date. */
export class GetResultsDueReportQuery extends Query<ResultsDueReport> {
  constructor(readonly criteria: ResultsDueCriteria) {
    super();
  }
}
