import type { TrialFacts } from '../snapshot/trial-snapshot.js';
import { identifierKey } from '../trial/comparison.js';
import { type HygieneFlag, hygieneThresholdsOf } from './hygiene.js';
import { resultsDueDateOf, resultsReportedOnOf, resultsSubmittedOnOf } from './results-due.js';

/**
 * What a trial's record implies that does not depend on the day it is read: when results fall due,
 * from which day each hygiene flag holds, and the identifiers it can be found by. Read models store
 * these, so that "overdue on a given day" or "flagged today" is a comparison with that day.
 */
export interface TrialSignals {
  resultsDueDate: string | null;
  /** When results were first submitted (shown, or awaiting the registry's review), if the record says. */
  resultsSubmittedOn: string | null;
  resultsReportedOn: string | null;
  hasResults: boolean | null;
  hygieneFrom: Partial<Record<HygieneFlag, string>>;
  /** Every other identifier and merged NCT ID, as `identifierKey` writes it. */
  identifierKeys: string[];
  /**
   * Only the NCT IDs the registry merged into this trial (its aliases), as `identifierKey` writes them:
   * another trial's NCT ID listed among the secondary IDs (an extension study's parent, say) is no merge.
   */
  mergedNctIds: string[];
}

export const trialSignalsOf = (facts: TrialFacts): TrialSignals => ({
  resultsDueDate: resultsDueDateOf(facts),
  resultsSubmittedOn: resultsSubmittedOnOf(facts),
  resultsReportedOn: resultsReportedOnOf(facts),
  hasResults: facts.hasResults,
  hygieneFrom: hygieneThresholdsOf(facts),
  identifierKeys: [
    ...new Set([
      ...(facts.secondaryIds ?? []).map((item) => identifierKey(item.id)),
      ...(facts.nctIdAliases ?? []).map(identifierKey),
    ]),
  ],
  mergedNctIds: [...new Set((facts.nctIdAliases ?? []).map(identifierKey))],
});
