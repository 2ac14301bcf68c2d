import fc from 'fast-check';
import { diff, evolve, type TrialFacts, type TrialState } from '@app/domain';
import { trialFactsArbitrary } from '../../../../../test/support/trial-facts.arbitrary.js';
import { aTrial } from '../../../../domain/src/testing/trial-facts.js';
import { factColumnsOf } from '../repositories/current-state.repository.js';
import { columnFactsOf } from './column-facts.js';

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
