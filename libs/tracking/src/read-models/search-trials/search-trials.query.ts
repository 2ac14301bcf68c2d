import { Query } from '@nestjs/cqrs';

export interface TrialSearchCriteria {
  status?: string;
  phase?: string;
  sponsor?: string;
  condition?: string;
  changedSince?: string;
  /** Another identifier of the trial (EudraCT, EU CT, ISRCTN, WHO UTN, the sponsor's) or a merged NCT ID. */
  secondaryId?: string;
  /** The last NCT ID of the previous page. */
  cursor?: string;
  limit: number;
}

export interface TrialSummary {
  nctId: string;
  briefTitle: string | null;
  overallStatus: string | null;
  phases: string[];
  studyType: string | null;
  leadSponsor: string | null;
  conditions: string[];
  streamVersion: number;
  lastChangedAt: string;
  lastEventType: string;
}

export interface TrialSearchPage {
  trials: TrialSummary[];
  nextCursor: string | null;
}

export class SearchTrialsQuery extends Query<TrialSearchPage> {
  constructor(readonly criteria: TrialSearchCriteria) {
    super();
  }
}
