import { addYears, isCalendarDay, isInstant } from './partial-date.js';

describe('days and instants read from requests', () => {
  it.each(['2024-02-29', '2024-12-31', '2026-01-01'])('%s is a day of the calendar', (day) => {
    expect(isCalendarDay(day)).toBe(true);
  });

  it.each(['2023-02-29', '2026-02-30', '2024-13-01', '2024-00-10', '2024-04-31', '2024-1-5', '20240105', 'yesterday'])(
    '%s is not a day of the calendar',
    (day) => {
      expect(isCalendarDay(day)).toBe(false);
    },
  );

  it.each([
    '2024-01-15',
    '2024-01-15T10:00Z',
    '2024-01-15T10:00:00Z',
    '2024-01-15T10:00:00.123+01:00',
    '2024-01-15 10:00:00+0100',
    '2024-01-15T10:00:00+14:00',
    '2024-01-15T10:00:00-15:59',
  ])('%s is an instant both JavaScript and PostgreSQL read', (value) => {
    expect(isInstant(value)).toBe(true);
  });

  // Each of these passes a lenient ISO 8601 check, and JavaScript or PostgreSQL refuses or misreads it.
  it.each([
    '2024',
    '2024-W05',
    '2024-01-01T10Z',
    '20240101',
    '2024-001',
    '2024-02-30',
    '2024-02-30T10:00:00Z',
    '',
    // JavaScript reads offsets up to 23:59, PostgreSQL only up to 15:59.
    '2024-01-15T10:00:00+16:00',
    '2024-01-15T10:00:00-2000',
  ])('%s is not', (value) => {
    expect(isInstant(value)).toBe(false);
  });
});

describe('adding years to a day', () => {
  it.each([
    ['2024-03-15', 1, '2025-03-15'],
    ['2024-02-29', 1, '2025-02-28'],
    ['2024-02-29', 2, '2026-02-28'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2023-02-28', 1, '2024-02-28'],
    ['2024-12-31', 2, '2026-12-31'],
  ])('%s plus %i years is %s: the same day, or the last of a shorter month', (day, years, expected) => {
    expect(addYears(day, years)).toBe(expected);
  });
});
