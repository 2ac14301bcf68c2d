import { actual, estimated } from '../testing/trial-facts.js';
import { flagChanges, hygieneFlagsOf, type HygieneFacts, hygieneThresholdsOf } from './hygiene.js';

const recruiting: HygieneFacts = {
  overallStatus: 'RECRUITING',
  statusVerifiedDate: '2025-06',
  completionDate: estimated('2027-12'),
  primaryCompletionDate: estimated('2027-06'),
};

describe('registry hygiene flags', () => {
  it('a trial in good order has none', () => {
    expect(hygieneFlagsOf(recruiting, '2026-01-15')).toEqual([]);
  });

  it('a status verified more than two years ago is stale unless the trial is closed', () => {
    // Verified in June 2024: stale from July 2026 on.
    const old = { ...recruiting, statusVerifiedDate: '2024-06' };
    expect(hygieneFlagsOf(old, '2026-06-30')).toEqual([]);
    expect(hygieneFlagsOf(old, '2026-07-01')).toEqual(['status-verification-stale']);
    expect(hygieneFlagsOf({ ...old, overallStatus: 'COMPLETED' }, '2026-07-01')).toEqual([]);
    expect(hygieneFlagsOf({ ...old, overallStatus: 'UNKNOWN' }, '2026-07-01')).toEqual(['status-verification-stale']);
  });

  it('a status verified in February of a leap year is stale from 1 March two years later, as for any other month', () => {
    // Verified in February 2024 (until the 29th): two years later is the end of February 2026.
    const old = { ...recruiting, statusVerifiedDate: '2024-02' };
    expect(hygieneFlagsOf(old, '2026-02-28')).toEqual([]);
    expect(hygieneFlagsOf(old, '2026-03-01')).toEqual(['status-verification-stale']);
  });

  it('a closed expanded-access record (no longer available, approved for marketing) is never stale', () => {
    const old = { ...recruiting, statusVerifiedDate: '2019-05' };
    expect(hygieneFlagsOf({ ...old, overallStatus: 'NO_LONGER_AVAILABLE' }, '2026-01-01')).toEqual([]);
    expect(hygieneFlagsOf({ ...old, overallStatus: 'APPROVED_FOR_MARKETING' }, '2026-01-01')).toEqual([]);
    // Available again later, it may be: not closed.
    expect(hygieneFlagsOf({ ...old, overallStatus: 'TEMPORARILY_NOT_AVAILABLE' }, '2026-01-01')).toEqual([
      'status-verification-stale',
    ]);
    expect(hygieneFlagsOf({ ...old, overallStatus: 'AVAILABLE' }, '2026-01-01')).toEqual(['status-verification-stale']);
  });

  it('a completion date in the past while still recruiting is flagged', () => {
    const overdue = { ...recruiting, completionDate: actual('2025-12-31') };
    expect(hygieneFlagsOf(overdue, '2026-01-01')).toEqual(['completion-past-while-recruiting']);
    expect(hygieneFlagsOf({ ...overdue, overallStatus: 'ACTIVE_NOT_RECRUITING' }, '2026-01-01')).toEqual([]);
    // Without a completion date, the primary completion date counts.
    expect(
      hygieneFlagsOf(
        { ...recruiting, completionDate: null, primaryCompletionDate: estimated('2025-11') },
        '2026-01-01',
      ),
    ).toEqual(['completion-past-while-recruiting']);
    // A month-only date has passed once its month is over.
    const december = { ...recruiting, completionDate: estimated('2025-12') };
    expect(hygieneFlagsOf(december, '2025-12-31')).toEqual([]);
    expect(hygieneFlagsOf(december, '2026-01-01')).toEqual(['completion-past-while-recruiting']);
    expect(hygieneThresholdsOf(december)['completion-past-while-recruiting']).toBe('2026-01-01');
  });

  it('a trial gone from the registry or merged into another is flagged', () => {
    expect(hygieneFlagsOf({ ...recruiting, goneFromRegistrySince: '2026-01-10' }, '2026-01-15')).toEqual([
      'gone-from-registry',
    ]);
    expect(hygieneFlagsOf({ ...recruiting, mergedInto: 'NCT09999999' }, '2026-01-15')).toEqual(['merged-into-another']);
  });

  it('says which flags were raised and which cleared', () => {
    expect(flagChanges(['status-verification-stale'], ['completion-past-while-recruiting'])).toEqual({
      raised: ['completion-past-while-recruiting'],
      cleared: ['status-verification-stale'],
    });
  });
});
