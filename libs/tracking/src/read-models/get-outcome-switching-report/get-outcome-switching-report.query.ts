import { Query } from '@nestjs/cqrs';
import type { DateStruct, OutcomeSwitch } from '@app/domain';

export interface OutcomeSwitchingCriteria {
  /** Switches that occurred at or after this time. */
  since?: string;
  sponsor?: string;
  condition?: string;
  cursor?: string;
  limit: number;
}

export interface SwitchedTrial {
  nctId: string;
  briefTitle: string | null;
  leadSponsor: string | null;
  overallStatus: string | null;
  conditions: string[];
  startDate: DateStruct | null;
  primaryCompletionDate: DateStruct | null;
  /** Each primary-outcome change after the start, oldest first, with the outcomes before and after. */
  switches: ({ eventId: string; occurredAt: string } & OutcomeSwitch)[];
}

export interface OutcomeSwitchingReport {
  trials: SwitchedTrial[];
  nextCursor: string | null;
}

/** Trials whose primary outcomes changed after the study started, by NCT ID. */
export class GetOutcomeSwitchingReportQuery extends Query<OutcomeSwitchingReport> {
  constructor(readonly criteria: OutcomeSwitchingCriteria) {
    super();
  }
}
