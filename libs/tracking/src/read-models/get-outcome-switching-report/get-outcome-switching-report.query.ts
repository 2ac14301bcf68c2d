import { Query } from '@nestjs/cqrs';
import type { ConductDates, DateStruct, OutcomeSwitch } from '@app/domain';

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
  /** The start and primary completion dates now; each switch's `datesThen` are those its timing was judged by. */
  startDate: DateStruct | null;
  primaryCompletionDate: DateStruct | null;
  /**
   * Each primary-outcome change after the start, oldest first, with the outcomes before and after
   * (`datesThen` null for a switch projected before the dates were kept with it).
   */
  switches: ({ eventId: string; occurredAt: string } & Omit<OutcomeSwitch, 'datesThen'> & {
      datesThen: ConductDates | null;
    })[];
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
