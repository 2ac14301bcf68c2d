import { emptyFacts, type FactField, type TrialState } from '@app/domain';

/**
 * The facts `factColumnsOf` reads, and the only ones `evolve` needs to keep them right: each event
 * changes a field from itself and that field alone, so folding these fields needs no other.
 * `column-facts.spec.ts` checks both over generated records and changes.
 */
export const COLUMN_FACT_FIELDS = [
  'briefTitle',
  'officialTitle',
  'acronym',
  'overallStatus',
  'statusVerifiedDate',
  'primaryCompletionDate',
  'completionDate',
  'resultsFirstSubmitDate',
  'resultsFirstPostDate',
  'hasResults',
  'studyType',
  'phases',
  'conditions',
  'leadSponsor',
  'locations',
  'secondaryIds',
  'nctIdAliases',
  'fdaRegulated',
  'enrollment',
] as const satisfies readonly FactField[];

const COLUMN_FIELD_SET: ReadonlySet<FactField> = new Set(COLUMN_FACT_FIELDS);

/** A state with every fact the columns do not read dropped (null), so that keeping it costs less. */
export const columnFactsOf = (state: TrialState): TrialState => {
  const facts: TrialState = { ...emptyFacts(state.nctId), unknownFields: [] };
  for (const field of COLUMN_FACT_FIELDS) (facts as unknown as Record<string, unknown>)[field] = state[field];
  facts.unknownFields = state.unknownFields.filter((field) => COLUMN_FIELD_SET.has(field));
  return facts;
};
