import { toAge, toDateStruct, toMasking, toOverallStatus, toPartialDate, toPhases } from './vocabulary.js';

describe('legacy and page vocabularies map to API v2 values', () => {
  it.each([
    ['Phase 2/Phase 3', ['PHASE2', 'PHASE3']],
    ['Phase 1/Phase 2', ['PHASE1', 'PHASE2']],
    ['Phase 1/2', ['PHASE1', 'PHASE2']],
    ['PHASE1/PHASE2', ['PHASE1', 'PHASE2']],
    ['Phase 2', ['PHASE2']],
    ['Phase I/II', ['PHASE1', 'PHASE2']],
    ['Early Phase 1', ['EARLY_PHASE1']],
    ['N/A', ['NA']],
    ['PHASE4', ['PHASE4']],
  ])('phase %s', (raw, expected) => {
    expect(toPhases(raw)).toEqual(expected);
  });

  it('does not guess a phase from unrelated text', () => {
    expect(toPhases('Interventional')).toBeNull();
  });

  it.each([
    ['March 15, 2021', '2021-03-15'],
    ['December 2017', '2017-12'],
    ['2024-07-25', '2024-07-25'],
    ['2017-12', '2017-12'],
    ['Sept. 3, 2019', '2019-09-03'],
    ['15 March 2021', '2021-03-15'],
  ])('date %s keeps its precision', (raw, expected) => {
    expect(toPartialDate(raw)).toBe(expected);
  });

  it('refuses impossible or unreadable dates', () => {
    expect(toPartialDate('February 30, 2020')).toBeNull();
    expect(toPartialDate('soon')).toBeNull();
  });

  it('maps statuses, date types, masking and ages', () => {
    expect(toOverallStatus('Recruiting')).toBe('RECRUITING');
    expect(toOverallStatus('Active, not recruiting')).toBe('ACTIVE_NOT_RECRUITING');
    expect(toOverallStatus('Not yet recruiting')).toBe('NOT_YET_RECRUITING');
    expect(toOverallStatus('Unknown status')).toBe('UNKNOWN');
    expect(toOverallStatus('Enrolment open')).toBeNull();
    expect(toDateStruct('December 2017', 'Anticipated')).toEqual({ date: '2017-12', type: 'ESTIMATED' });
    expect(toDateStruct('June 16, 2017', 'Actual')).toEqual({ date: '2017-06-16', type: 'ACTUAL' });
    expect(toMasking('Single Blind')).toBe('SINGLE');
    expect(toMasking('Quadruple (Participant, Care Provider, Investigator, Outcomes Assessor)')).toBe('QUADRUPLE');
    expect(toMasking('None (Open Label)')).toBe('NONE');
    expect(toAge('18 years')).toBe('18 Years');
    expect(toAge('N/A')).toBeNull();
  });
});
