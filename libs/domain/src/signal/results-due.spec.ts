import { actual, aLocation, aTrial, estimated } from '../testing/trial-facts.js';
import { isProbablyApplicable, resultsDueOf } from './results-due.js';
import { trialSignalsOf } from './trial-signals.js';

/** A phase 3 drug trial with a site in Boston that completed its primary outcome on 2024-03-15. */
const applicable = aTrial({
  studyType: 'INTERVENTIONAL',
  phases: ['PHASE3'],
  locations: [aLocation({ city: 'Boston', country: 'United States' })],
  primaryCompletionDate: actual('2024-03-15'),
  hasResults: false,
  resultsFirstPostDate: null,
  fdaRegulated: null,
});

describe('results due under FDAAA 801 (approximated)', () => {
  it('is due one year after primary completion: not due, due within 30 days, then overdue', () => {
    expect(resultsDueOf(applicable, '2024-06-01')).toEqual({
      dueDate: '2025-03-15',
      state: 'not-due',
      submittedOn: null,
      reportedOn: null,
      daysOverdue: null,
    });
    expect(resultsDueOf(applicable, '2025-02-20')?.state).toBe('due-within-30-days');
    expect(resultsDueOf(applicable, '2025-03-15')?.state).toBe('due-within-30-days');
    expect(resultsDueOf(applicable, '2025-03-16')?.state).toBe('overdue');
  });

  it('results first posted by the due date are on time, after it late', () => {
    const onTime = { ...applicable, hasResults: true, resultsFirstPostDate: actual('2025-03-01') };
    expect(resultsDueOf(onTime, '2026-01-01')).toMatchObject({ state: 'reported-on-time', reportedOn: '2025-03-01' });
    const late = { ...applicable, hasResults: true, resultsFirstPostDate: actual('2025-09-30') };
    expect(resultsDueOf(late, '2026-01-01')?.state).toBe('reported-late');
  });

  it('on a day before results were first posted, they were not yet reported: overdue that day, late from it', () => {
    const late = { ...applicable, hasResults: true, resultsFirstPostDate: actual('2025-09-30') };
    expect(resultsDueOf(late, '2025-06-01')).toEqual({
      dueDate: '2025-03-15',
      state: 'overdue',
      submittedOn: null,
      reportedOn: '2025-09-30',
      daysOverdue: 78,
    });
    expect(resultsDueOf(late, '2025-09-29')?.state).toBe('overdue');
    expect(resultsDueOf(late, '2025-09-30')?.state).toBe('reported-late');
    const early = { ...applicable, hasResults: true, resultsFirstPostDate: actual('2025-03-01') };
    expect(resultsDueOf(early, '2024-06-01')?.state).toBe('not-due');
    expect(resultsDueOf(early, '2025-02-20')?.state).toBe('due-within-30-days');
    expect(resultsDueOf(early, '2025-03-01')?.state).toBe('reported-on-time');
  });

  it('results taken down are not reported, though the record still knows when they were first posted', () => {
    // What a trial's state holds after trial.results-removed: the flag cleared, the first posted date kept.
    const takenDown = { ...applicable, hasResults: false, resultsFirstPostDate: actual('2025-02-01') };
    expect(resultsDueOf(takenDown, '2026-01-01')).toEqual({
      dueDate: '2025-03-15',
      state: 'overdue',
      submittedOn: null,
      reportedOn: null,
      daysOverdue: 292,
    });
    expect(trialSignalsOf(takenDown)).toMatchObject({ resultsReportedOn: null, hasResults: false });
    // Posted again: reported, on the day they were first posted.
    const postedAgain = { ...takenDown, hasResults: true };
    expect(resultsDueOf(postedAgain, '2026-01-01')).toMatchObject({
      state: 'reported-on-time',
      reportedOn: '2025-02-01',
    });
  });

  describe('results count as reported on the day they were first submitted, when the record says', () => {
    it("results submitted by the due date and awaiting the registry's review are on time, not overdue", () => {
      const awaitingReview = { ...applicable, resultsFirstSubmitDate: '2025-03-10' };
      expect(resultsDueOf(awaitingReview, '2025-09-01')).toEqual({
        dueDate: '2025-03-15',
        state: 'reported-on-time',
        submittedOn: '2025-03-10',
        reportedOn: null,
        daysOverdue: null,
      });
      expect(trialSignalsOf(awaitingReview)).toMatchObject({
        resultsSubmittedOn: '2025-03-10',
        resultsReportedOn: null,
      });
    });

    it('results submitted by the due date and posted after it are on time', () => {
      const postedAfterReview = {
        ...applicable,
        hasResults: true,
        resultsFirstSubmitDate: '2025-03-10',
        resultsFirstPostDate: actual('2025-07-02'),
      };
      expect(resultsDueOf(postedAfterReview, '2026-01-01')).toEqual({
        dueDate: '2025-03-15',
        state: 'reported-on-time',
        submittedOn: '2025-03-10',
        reportedOn: '2025-07-02',
        daysOverdue: null,
      });
    });

    it('results submitted after the due date are late from the day they were submitted, overdue before it', () => {
      const late = { ...applicable, resultsFirstSubmitDate: '2025-05-20' };
      expect(resultsDueOf(late, '2025-05-19')?.state).toBe('overdue');
      expect(resultsDueOf(late, '2025-05-20')?.state).toBe('reported-late');
    });

    it('without the day of submission (a record that does not show it), the day first posted counts, as before', () => {
      const posted = { ...applicable, hasResults: true, resultsFirstPostDate: actual('2025-07-02') };
      expect(resultsDueOf(posted, '2026-01-01')).toMatchObject({ state: 'reported-late', submittedOn: null });
    });
  });

  it('leaves out what does not look like an applicable clinical trial', () => {
    expect(isProbablyApplicable(applicable)).toBe(true);
    expect(resultsDueOf({ ...applicable, studyType: 'OBSERVATIONAL' }, '2026-01-01')).toBeNull();
    expect(resultsDueOf({ ...applicable, phases: ['PHASE1'] }, '2026-01-01')).toBeNull();
    expect(resultsDueOf({ ...applicable, phases: ['PHASE1', 'PHASE2'] }, '2026-01-01')).not.toBeNull();
    expect(resultsDueOf({ ...applicable, locations: [aLocation({ country: 'Germany' })] }, '2026-01-01')).toBeNull();
    expect(
      resultsDueOf({ ...applicable, locations: [aLocation({ country: 'Germany' })], fdaRegulated: true }, '2026-01-01'),
    ).not.toBeNull();
    expect(resultsDueOf({ ...applicable, primaryCompletionDate: actual('2017-01-17') }, '2026-01-01')).toBeNull();
    expect(resultsDueOf({ ...applicable, primaryCompletionDate: null }, '2026-01-01')).toBeNull();
  });

  it.each([
    'Puerto Rico',
    'Guam',
    'American Samoa',
    'Northern Mariana Islands',
    'Virgin Islands (U.S.)',
    'U.S. Virgin Islands',
    'United States Minor Outlying Islands',
  ])('takes a site in %s, a US territory under 42 CFR 11.10(a), as a site in the United States', (country) => {
    const territory = { ...applicable, locations: [aLocation({ city: 'San Juan', state: null, country })] };
    expect(resultsDueOf(territory, '2026-01-01')?.state).toBe('overdue');
  });

  it('does not take the British Virgin Islands for the United States', () => {
    const british = {
      ...applicable,
      locations: [aLocation({ city: 'Road Town', state: null, country: 'Virgin Islands (British)' })],
    };
    expect(resultsDueOf(british, '2026-01-01')).toBeNull();
  });

  it('owes no results for a trial that enrolled no one: withdrawn, or an actual enrollment of 0', () => {
    const withdrawn = {
      ...applicable,
      overallStatus: 'WITHDRAWN',
      whyStopped: 'Sponsor decision',
      enrollment: { count: 0, type: 'ACTUAL' as const },
    };
    expect(resultsDueOf(withdrawn, '2026-01-01')).toBeNull();
    expect(resultsDueOf({ ...withdrawn, enrollment: null }, '2026-01-01')).toBeNull();
    const terminatedEmpty = {
      ...applicable,
      overallStatus: 'TERMINATED',
      enrollment: { count: 0, type: 'ACTUAL' as const },
    };
    expect(resultsDueOf(terminatedEmpty, '2026-01-01')).toBeNull();
    // An estimate of 0, or an actual enrollment of anyone, still owes results.
    expect(
      resultsDueOf({ ...terminatedEmpty, enrollment: { count: 0, type: 'ESTIMATED' as const } }, '2026-01-01')?.state,
    ).toBe('overdue');
    expect(
      resultsDueOf({ ...terminatedEmpty, enrollment: { count: 3, type: 'ACTUAL' as const } }, '2026-01-01')?.state,
    ).toBe('overdue');
  });

  it('is due on 28 February the year after a primary completion on 29 February, not in March', () => {
    const leap = { ...applicable, primaryCompletionDate: actual('2024-02-29') };
    expect(resultsDueOf(leap, '2024-06-01')?.dueDate).toBe('2025-02-28');
    expect(resultsDueOf(leap, '2025-03-01')?.state).toBe('overdue');
  });

  it('reads a month-only completion date as the first of the month', () => {
    expect(resultsDueOf({ ...applicable, primaryCompletionDate: estimated('2025-06') }, '2025-01-01')?.dueDate).toBe(
      '2026-06-01',
    );
  });
});
