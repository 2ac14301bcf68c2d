import type { NoneParts, TrialFacts } from '../snapshot/trial-snapshot.js';
import type { TrialEvent } from './trial-event.js';

export const FACTS_LEARNED = 'trial.facts-learned';

/**
 * trialwatch learned facts it did not know, without the registry changing anything: a source showed
 * values another could not (sites, outcomes, dates a page leaves out), gave more detail of what was
 * known (an outcome's time frame, a site's city), or showed the same registry version in full. Each
 * field holds its whole value as now known (`null` or `[]`: known to be none). `noneParts` names the
 * parts of the design and eligibility a complete record states as none (left out of the design or
 * eligibility it shows); a null part it does not name is unknown, as in events written before it
 * existed. Not a registry change: it is left out of the change feed's default view and of
 * notifications unless asked for.
 */
export type FactsLearned = TrialEvent<
  typeof FACTS_LEARNED,
  { facts: Partial<Omit<TrialFacts, 'nctId'>>; noneParts?: Partial<NoneParts> }
>;

export const factsLearned = (data: FactsLearned['data']): FactsLearned => ({
  type: FACTS_LEARNED,
  schemaVersion: 1,
  data,
});
