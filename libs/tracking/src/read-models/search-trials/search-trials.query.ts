import { Query } from '@nestjs/cqrs';
import type { HygieneFlag, ResultsDueState } from '@app/domain';

export interface TrialSearchCriteria {
  status?: string;
  phase?: string;
  sponsor?: string;
  condition?: string;
  changedSince?: string;
  /** Another identifier of the trial (EudraCT, EU CT, ISRCTN, WHO UTN, the sponsor's) or a merged NCT ID. */
  secondaryId?: string;
  /** Text found in the NCT ID, the titles, the acronym or the conditions (any letter case, parts of words too). */
  text?: string;
  /** Trials in this results-due state on `on`. */
  resultsDueState?: ResultsDueState;
  /** Trials with this hygiene flag holding on `on`. */
  hygieneFlag?: HygieneFlag;
  /** The day (ISO date) results-due states and hygiene flags are for; needed with either. */
  on?: string;
  /** The last NCT ID of the previous page. */
  cursor?: string;
  limit: number;
  /** Count the matching trials on every page too (a query of its own). */
  countTotal?: boolean;
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
  /** How many trials match, on every page; only when `countTotal` was asked. */
  total?: number;
}

export class SearchTrialsQuery extends Query<TrialSearchPage> {
  constructor(readonly criteria: TrialSearchCriteria) {
    super();
  }
}
