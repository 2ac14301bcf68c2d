import fc from 'fast-check';
import { diff, evolve, type TrialFacts, type TrialState } from '@app/domain';
import { trialFactsArbitrary } from '../../../../../test/support/trial-facts.arbitrary.js';
import { aTrial } from '../../../../domain/src/testing/trial-facts.js';
import { factColumnsOf } from '../repositories/current-state.repository.js';
import { ColumnFactsCache, columnFactsOf } from './column-facts-cache.js';

const registered = (facts: TrialFacts): TrialState => diff(null, facts).reduce<TrialState | null>(evolve, null)!;

describe('column facts', () => {
  it('give the same columns as the whole state they were taken from', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), (facts) => {
        const state = registered(facts);
        expect(factColumnsOf(columnFactsOf(state))).toEqual(factColumnsOf(state));
      }),
      { numRuns: 300 },
    );
  });

  it('folded through later records’ changes, give the columns the whole state gives', () => {
    fc.assert(
      fc.property(
        trialFactsArbitrary(),
        fc.array(trialFactsArbitrary(), { minLength: 1, maxLength: 4 }),
        (first, later) => {
          let whole = registered(first);
          let kept = columnFactsOf(whole);
          for (const record of later) {
            for (const event of diff(whole, record)) {
              whole = evolve(whole, event);
              kept = evolve(kept, event);
            }
            expect(factColumnsOf(kept)).toEqual(factColumnsOf(whole));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('drop what no column reads, and keep what they do', () => {
    const whole = registered(aTrial());
    const facts = columnFactsOf(whole);
    expect([facts.briefSummary, facts.eligibility, facts.primaryOutcomes, facts.interventions]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect([facts.briefTitle, facts.locations, facts.overallStatus]).toEqual([
      whole.briefTitle,
      whole.locations,
      whole.overallStatus,
    ]);
  });
});

describe('column facts cache', () => {
  const state = registered(aTrial({ nctId: 'NCT00000009' }));

  it('answers only for the version it was given', () => {
    const cache = new ColumnFactsCache(10);
    cache.set('NCT00000009', 4, state);
    expect(cache.get('NCT00000009', 4)).toEqual(columnFactsOf(state));
    expect(cache.get('NCT00000009', 3)).toBeUndefined();
    expect(cache.get('NCT00000009', 5)).toBeUndefined();
    cache.set('NCT00000009', 5, state);
    expect(cache.get('NCT00000009', 4)).toBeUndefined();
  });

  it('moves an entry on to a later version only from the version it holds', () => {
    const cache = new ColumnFactsCache(10);
    cache.set('NCT00000009', 4, state);
    cache.advance('NCT00000009', 3, 9);
    expect(cache.get('NCT00000009', 9)).toBeUndefined();
    cache.advance('NCT00000009', 4, 6);
    expect([cache.get('NCT00000009', 4), cache.get('NCT00000009', 6)]).toEqual([undefined, columnFactsOf(state)]);
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new ColumnFactsCache(2);
    cache.set('NCT00000001', 1, state);
    cache.set('NCT00000002', 1, state);
    cache.get('NCT00000001', 1);
    cache.set('NCT00000003', 1, state);
    expect(cache.size).toBe(2);
    expect(cache.get('NCT00000002', 1)).toBeUndefined();
    expect(cache.get('NCT00000001', 1)).toBeDefined();
  });

  it('keeps nothing at capacity 0', () => {
    const cache = new ColumnFactsCache(0);
    cache.set('NCT00000001', 1, state);
    expect([cache.size, cache.get('NCT00000001', 1)]).toEqual([0, undefined]);
  });
});
