import type { TrialFacts, TrialSnapshot } from '../snapshot/trial-snapshot.js';
import { aSnapshot, aTrial, actual } from '../testing/trial-facts.js';
import { isStale } from './staleness.js';

/** A version of the record, by its last update submitted and posted dates (null: not shown). */
const version = (submitted: string | null, posted: string | null): TrialFacts =>
  aTrial({ lastUpdateSubmitDate: submitted, lastUpdatePostDate: posted === null ? null : actual(posted) });

const snapshotOf = (facts: TrialFacts, observedAt = '2024-06-01T00:00:00.000Z'): TrialSnapshot =>
  aSnapshot(facts, { observedAt });

describe('a snapshot is stale when it shows an older version than the state reflects', () => {
  describe('when both sides know the last update submit date, it decides', () => {
    const state = version('2024-04-02', '2024-04-05');

    it('a version submitted earlier is stale', () => {
      expect(isStale(state, snapshotOf(version('2024-03-15', '2024-03-18')), null)).toBe(true);
    });

    it('a version submitted later is not stale', () => {
      expect(isStale(state, snapshotOf(version('2024-06-07', '2024-06-11')), null)).toBe(false);
    });

    it('the same version again is not stale', () => {
      expect(isStale(state, snapshotOf(version('2024-04-02', '2024-04-05')), null)).toBe(false);
    });

    it('the submit dates win over posted dates that say otherwise', () => {
      expect(isStale(state, snapshotOf(version('2024-04-10', '2024-03-01')), null)).toBe(false);
      expect(isStale(state, snapshotOf(version('2024-03-01', '2024-05-01')), null)).toBe(true);
    });

    it('the submit dates win over the effective dates', () => {
      const later = '2024-12-31T00:00:00.000Z';
      expect(isStale(state, snapshotOf(version('2024-04-10', '2024-04-12')), later)).toBe(false);
    });
  });

  describe('else, when both sides know the last update posted date, it decides', () => {
    const state = version(null, '2024-04-05');

    it('a version posted earlier is stale', () => {
      expect(isStale(state, snapshotOf(version('2024-06-07', '2024-03-18')), null)).toBe(true);
    });

    it('a version posted later is not stale', () => {
      expect(isStale(state, snapshotOf(version('2024-03-01', '2024-06-11')), null)).toBe(false);
    });

    it('the same version again is not stale', () => {
      expect(isStale(version('2024-04-02', '2024-04-05'), snapshotOf(version(null, '2024-04-05')), null)).toBe(false);
    });
  });

  describe('else the effective dates decide', () => {
    const stateEffectiveDate = '2024-04-05T00:00:00.000Z';

    it('a snapshot whose only registry date is older than the state’s effective date is stale', () => {
      const state = version('2024-04-02', null);
      expect(isStale(state, snapshotOf(version(null, '2024-03-18')), stateEffectiveDate)).toBe(true);
      expect(isStale(state, snapshotOf(version(null, '2024-06-11')), stateEffectiveDate)).toBe(false);
    });

    it('the snapshot’s submit date dates it when it shows no posted date', () => {
      const state = version(null, '2024-04-05');
      expect(isStale(state, snapshotOf(version('2024-04-01', null)), stateEffectiveDate)).toBe(true);
      expect(isStale(state, snapshotOf(version('2024-04-10', null)), stateEffectiveDate)).toBe(false);
    });

    it('a snapshot with no registry dates is dated by when it was observed', () => {
      const state = version('2024-04-02', '2024-04-05');
      const undated = version(null, null);
      expect(isStale(state, snapshotOf(undated, '2024-04-04T23:59:59.000Z'), stateEffectiveDate)).toBe(true);
      expect(isStale(state, snapshotOf(undated, '2024-04-05T12:00:00.000Z'), stateEffectiveDate)).toBe(false);
    });

    it('an equal effective date is not stale', () => {
      expect(isStale(version(null, null), snapshotOf(version(null, '2024-04-05')), stateEffectiveDate)).toBe(false);
    });

    it('nothing is stale against a state with no effective date', () => {
      expect(isStale(version(null, null), snapshotOf(version(null, '1999-01-01')), null)).toBe(false);
    });
  });
});
