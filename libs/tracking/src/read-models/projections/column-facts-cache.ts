import { LRUCache } from 'lru-cache';
import { emptyFacts, type FactField, type TrialState } from '@app/domain';

/**
 * The facts `factColumnsOf` reads, and the only ones `evolve` needs to keep them right: each event
 * changes a field from itself and that field alone, so folding these fields needs no other.
 * `column-facts-cache.spec.ts` checks both over generated records and changes.
 */
export const COLUMN_FACT_FIELDS = [
  'briefTitle',
  'officialTitle',
  'acronym',
  'overallStatus',
  'statusVerifiedDate',
  'primaryCompletionDate',
  'completionDate',
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
] as const satisfies readonly FactField[];

const COLUMN_FIELD_SET: ReadonlySet<FactField> = new Set(COLUMN_FACT_FIELDS);

/** A state with every fact the columns do not read dropped (null), so that keeping it costs less. */
export const columnFactsOf = (state: TrialState): TrialState => {
  const facts: TrialState = { ...emptyFacts(state.nctId), unknownFields: [] };
  for (const field of COLUMN_FACT_FIELDS) (facts as unknown as Record<string, unknown>)[field] = state[field];
  facts.unknownFields = state.unknownFields.filter((field) => COLUMN_FIELD_SET.has(field));
  return facts;
};

/**
 * Trials' column facts at a stream version, most recently used kept. A trial's facts at a version
 * never change (its events up to it are committed and immutable), so an entry is right in any
 * transaction that finds the trial's row at that version, even one written by a batch that rolled
 * back or by a rebuild. A hit saves reading and folding the trial's stream when a later batch
 * changes its columns: the registration, parsed again, is most of a fold's cost.
 */
export class ColumnFactsCache {
  private readonly entries: LRUCache<string, { version: number; facts: TrialState }> | null;

  constructor(capacity: number) {
    this.entries = capacity > 0 ? new LRUCache({ max: capacity }) : null;
  }

  /** The trial's column facts at exactly this version, if kept. */
  get(nctId: string, version: number): TrialState | undefined {
    const entry = this.entries?.get(nctId);
    return entry?.version === version ? entry.facts : undefined;
  }

  set(nctId: string, version: number, state: TrialState): void {
    this.entries?.set(nctId, { version, facts: columnFactsOf(state) });
  }

  /**
   * Moves a kept entry from one version to a later one whose events change no column (see
   * COLUMN_EVENTS): the column facts are the same there.
   */
  advance(nctId: string, from: number, to: number): void {
    const entry = this.entries?.get(nctId);
    if (entry?.version === from) entry.version = to;
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }
}
