import fc from 'fast-check';
import { trialFactsArbitrary } from '../../../../test/support/trial-facts.arbitrary.js';
import type { TrialFacts } from '../snapshot/trial-snapshot.js';
import { diff } from './diff.js';
import { evolve, foldEvents, stateFrom } from './evolve.js';
import { textKey } from './comparison.js';

const RUNS = { numRuns: 500 };
const stateOf = (facts: TrialFacts) => foldEvents(diff(null, facts))!;
const fold = (state: TrialFacts, next: TrialFacts) => diff(state, next).reduce(evolve, stateFrom(state));
const asSet = (items: readonly string[] | null | undefined) => new Set((items ?? []).map(textKey));

describe('diff and evolve, over generated snapshots', () => {
  it('diff(x, x) is empty', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), (facts) => {
        expect(diff(facts, facts)).toEqual([]);
        expect(diff(stateOf(facts), facts)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('folding diff(a, b) into a gives b wherever b knows a value', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), trialFactsArbitrary(), (a, b) => {
        const state = fold(stateOf(a), b);
        // Nothing b shows is left to change: re-ingesting b appends nothing.
        expect(diff(state, b)).toEqual([]);
        if (b.overallStatus !== null) expect(state.overallStatus).toBe(b.overallStatus);
        if (b.enrollment?.count != null) expect(state.enrollment?.count).toBe(b.enrollment.count);
        for (const field of ['startDate', 'primaryCompletionDate', 'completionDate'] as const) {
          if (b[field] !== null) expect(state[field]?.date).toBe(b[field]!.date);
        }
        if (b.phases !== null) expect(asSet(state.phases)).toEqual(asSet(b.phases));
        if (b.conditions !== null) expect(asSet(state.conditions)).toEqual(asSet(b.conditions));
        if (b.locations !== null) {
          expect(asSet(state.locations?.map((l) => l.facility!))).toEqual(asSet(b.locations.map((l) => l.facility!)));
        }
        if (b.primaryOutcomes !== null) {
          expect(asSet(state.primaryOutcomes?.map((o) => `${o.measure}|${o.timeFrame}`))).toEqual(
            asSet(b.primaryOutcomes.map((o) => `${o.measure}|${o.timeFrame}`)),
          );
        }
        if (b.briefTitle !== null) expect(textKey(state.briefTitle!)).toBe(textKey(b.briefTitle));
        if (b.leadSponsor !== null) expect(state.leadSponsor?.name).toBe(b.leadSponsor.name);
        if (b.eligibility?.criteria != null) expect(state.eligibility?.criteria).not.toBeNull();
      }),
      RUNS,
    );
  });

  it('unknown fields never produce events and never erase what is known', () => {
    const fieldNames = Object.keys(stateOf({ nctId: 'NCT01234567' } as TrialFacts)).filter(
      (key) => key !== 'nctId' && key !== 'unknownFields',
    );
    fc.assert(
      fc.property(trialFactsArbitrary(), fc.subarray(fieldNames), (a, hidden) => {
        const partial = { ...a, ...Object.fromEntries(hidden.map((key) => [key, null])) } as TrialFacts;
        expect(diff(a, partial)).toEqual([]);
        const state = fold(a, partial);
        for (const key of hidden) expect(state[key as keyof TrialFacts]).toEqual(a[key as keyof TrialFacts]);
      }),
      RUNS,
    );
  });

  it('reordering an unordered list produces nothing', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), fc.integer(), (a, seed) => {
        const shuffle = <T>(items: T[] | null): T[] | null => {
          if (items === null) return null;
          const copy = [...items];
          let state = seed;
          for (let i = copy.length - 1; i > 0; i -= 1) {
            state = (state * 1103515245 + 12345) & 0x7fffffff;
            const j = state % (i + 1);
            [copy[i], copy[j]] = [copy[j]!, copy[i]!];
          }
          return copy;
        };
        const reordered: TrialFacts = {
          ...a,
          phases: shuffle(a.phases),
          conditions: shuffle(a.conditions),
          keywords: shuffle(a.keywords),
          locations: shuffle(a.locations),
          interventions: shuffle(a.interventions),
          armGroups: shuffle(a.armGroups),
          primaryOutcomes: shuffle(a.primaryOutcomes),
          secondaryOutcomes: shuffle(a.secondaryOutcomes),
          collaborators: shuffle(a.collaborators),
        };
        expect(diff(a, reordered)).toEqual([]);
      }),
      RUNS,
    );
  });
});
