import {
  enumLabel,
  eventTypeLabel,
  formatDateStruct,
  formatDay,
  formatEnrollment,
  formatPartialDate,
  formatShift,
  formatSpan,
  formatTimestamp,
  monthsBetween,
  phasesLabel,
  statusLabel,
} from './format.js';

describe('format', () => {
  it('shows registry dates at their own precision', () => {
    expect(formatPartialDate('2017')).toBe('2017');
    expect(formatPartialDate('2017-12')).toBe('Dec 2017');
    expect(formatPartialDate('2018-06-05')).toBe('5 Jun 2018');
    expect(formatPartialDate('not a date')).toBe('not a date');
    expect(formatDay('2017-06-16T00:00:00.000Z')).toBe('16 Jun 2017');
    expect(formatTimestamp('2026-01-15T10:05:00.000Z')).toBe('15 Jan 2026, 10:05 UTC');
  });

  it('says whether a date or a count is estimated or actual, when the source says', () => {
    expect(formatDateStruct({ date: '2017-12', type: 'ESTIMATED' })).toBe('Dec 2017 (estimated)');
    expect(formatDateStruct({ date: '2015-09-15', type: 'ACTUAL' })).toBe('15 Sep 2015 (actual)');
    expect(formatDateStruct({ date: '2007-08', type: null })).toBe('Aug 2007');
    expect(formatDateStruct(null)).toBe('unknown');
    expect(formatEnrollment({ count: 1000, type: 'ESTIMATED' })).toBe('1000 (estimated)');
    expect(formatEnrollment({ count: 12, type: null })).toBe('12');
    expect(formatEnrollment({ count: null, type: 'ACTUAL' })).toBe('unknown');
  });

  it('says how long a period lasted in days, months or years and months', () => {
    expect(formatSpan(0)).toBe('0 days');
    expect(formatSpan(1)).toBe('1 day');
    expect(formatSpan(59)).toBe('59 days');
    expect(formatSpan(61)).toBe('2 months');
    expect(formatSpan(350)).toBe('11 months');
    expect(formatSpan(365)).toBe('1 year');
    expect(formatSpan(366)).toBe('1 year');
    expect(formatSpan(3_500)).toBe('9 years 7 months');
  });

  it('measures how far a planned date moved, in months', () => {
    expect(monthsBetween('2017-12', '2018-06')).toBe(6);
    expect(monthsBetween('2018-06-30', '2017-12-01')).toBe(-6);
    expect(monthsBetween('2017', '2019-03')).toBe(26);
    expect(formatShift(6)).toBe('6 months later');
    expect(formatShift(-14)).toBe('1 year 2 months earlier');
    expect(formatShift(12)).toBe('1 year later');
    expect(formatShift(1)).toBe('1 month later');
    expect(formatShift(0)).toBe('unchanged');
  });

  it('turns registry enums into words', () => {
    expect(statusLabel('ACTIVE_NOT_RECRUITING')).toBe('Active, not recruiting');
    expect(statusLabel('RECRUITING')).toBe('Recruiting');
    expect(statusLabel(null)).toBe('unknown');
    expect(enumLabel('NON_RANDOMIZED')).toBe('Non randomized');
    expect(enumLabel('OBSERVATIONAL')).toBe('Observational');
    expect(phasesLabel(['PHASE2', 'PHASE3'])).toBe('Phase 2/Phase 3');
    expect(phasesLabel(['NA'])).toBe('Not applicable');
    expect(phasesLabel([])).toBe('none');
    expect(phasesLabel(null)).toBe('unknown');
    expect(eventTypeLabel('trial.primary-completion-date-changed')).toBe('Primary completion date changed');
    expect(eventTypeLabel('trial.registered')).toBe('Registered');
  });
});
