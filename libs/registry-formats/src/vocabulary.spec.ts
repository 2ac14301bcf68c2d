import fc from 'fast-check';
import {
  cleanText,
  toAge,
  toAllocation,
  toEnumValue,
  toDateStruct,
  toMasking,
  toOfficialRole,
  toOverallStatus,
  toPartialDate,
  toPhases,
  toPrimaryPurpose,
  toReferenceType,
} from './vocabulary.js';

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
    // A year of fewer than four digits, which no event could be dated by.
    for (const raw of ['0000-01-01', '0000', '0999-05', '0201-05-01', 'May 3, 0201', '0014-02-29'])
      expect({ raw, date: toPartialDate(raw) }).toEqual({ raw, date: null });
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
    expect(toAge('1 Years')).toBe('1 Year');
    expect(toAge('1 year')).toBe('1 Year');
    expect(toAge('6 Month')).toBe('6 Months');
    expect(toAge('N/A')).toBeNull();
  });

  it.each([
    ['Randomized', 'RANDOMIZED'],
    ['Non-Randomized', 'NON_RANDOMIZED'],
    ['NON_RANDOMIZED', 'NON_RANDOMIZED'],
    ['RANDOMIZED', 'RANDOMIZED'],
    ['N/A', 'NA'],
  ])('allocation %s', (raw, expected) => {
    expect(toAllocation(raw)).toBe(expected);
  });

  it.each([
    ['Treatment', 'TREATMENT'],
    ['Health Services Research', 'HEALTH_SERVICES_RESEARCH'],
    ['Educational/Counseling/Training', 'ECT'],
    ['ECT', 'ECT'],
  ])('primary purpose %s', (raw, expected) => {
    expect(toPrimaryPurpose(raw)).toBe(expected);
  });

  it.each([
    ['Principal Investigator', 'PRINCIPAL_INVESTIGATOR'],
    ['PRINCIPAL_INVESTIGATOR', 'PRINCIPAL_INVESTIGATOR'],
    ['Study Chair', 'STUDY_CHAIR'],
    ['study director', 'STUDY_DIRECTOR'],
    ['CONTACT', null],
    ['Sub-Investigator', null],
  ])('official role %s', (raw, expected) => {
    expect(toOfficialRole(raw)).toBe(expected);
  });

  it.each([
    ['BACKGROUND', 'BACKGROUND'],
    ['Result', 'RESULT'],
    ['Results', 'RESULT'],
    ['derived', 'DERIVED'],
    ['-', null],
    ['Review', null],
  ])('reference type %s', (raw, expected) => {
    expect(toReferenceType(raw)).toBe(expected);
  });
});

describe('cleanText', () => {
  it('collapses every run of whitespace to one space and trims; only whitespace is nothing', () => {
    expect(cleanText('  A\tstudy\n\n of\u00a0 drug  X ')).toBe('A study of drug X');
    expect(cleanText('Already clean text')).toBe('Already clean text');
    expect(cleanText(' \n\t\u2003')).toBeNull();
    expect(cleanText(null)).toBeNull();
  });

  it('gives what collapsing and trimming give, for any mix of words and whitespace', () => {
    const whitespace = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\ufeff');
    const text = fc
      .array(fc.oneof(fc.string({ maxLength: 6 }), whitespace), { maxLength: 12 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (raw) => {
        const collapsed = raw.replace(/\s+/g, ' ').trim();
        expect(cleanText(raw)).toBe(collapsed === '' ? null : collapsed);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('toEnumValue', () => {
  it('gives the same value for an API v2 value as for any spelling of it', () => {
    const spelling = fc
      .array(fc.oneof(fc.constantFrom('a', 'B', '1', '_', ' ', '-', '/', '.', '\t'), fc.string({ maxLength: 3 })), {
        maxLength: 10,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(spelling, (raw) => {
        const value = raw
          .trim()
          .replace(/[\s\-/]+/g, '_')
          .replace(/[^A-Za-z0-9_]/g, '')
          .toUpperCase();
        expect(toEnumValue(raw)).toBe(value === '' ? null : value);
      }),
      { numRuns: 2000 },
    );
    expect(toEnumValue('NOT_YET_RECRUITING')).toBe('NOT_YET_RECRUITING');
    expect(toEnumValue('Not yet recruiting')).toBe('NOT_YET_RECRUITING');
  });
});
