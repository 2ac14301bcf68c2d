/**
 * Registry dates keep the precision the registry gave them: `2017`, `2017-12` or `2017-12-05`.
 * Comparing them as strings orders them correctly; a month sorts before any day in it.
 */
export type PartialDate = string;

const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

export const isPartialDate = (value: string): boolean => PARTIAL_DATE.test(value);

export const comparePartialDates = (a: PartialDate, b: PartialDate): number => (a < b ? -1 : a > b ? 1 : 0);

/** The first instant a partial date covers, as an ISO timestamp in UTC. */
export const partialDateStart = (date: PartialDate): string => {
  const [year, month = '01', day = '01'] = date.split('-');
  return `${year}-${month}-${day}T00:00:00.000Z`;
};

/** Whole days between two ISO dates or timestamps (b - a), never negative. */
export const daysBetween = (a: string, b: string): number =>
  Math.max(0, Math.floor((Date.parse(b) - Date.parse(a)) / 86_400_000));

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `YYYY-MM-DD` is a day of the calendar: JavaScript's Date rolls 2026-02-30 over into March. */
export const isCalendarDay = (value: string): boolean => {
  const match = CALENDAR_DAY.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/**
 * The same day `years` later (`YYYY-MM-DD`), or that month's last day when it is shorter: 29 February
 * 2024 plus a year is 28 February 2025, where JavaScript's Date rolls it over into 1 March.
 */
export const addYears = (day: string, years: number): string => {
  const [year, month, date] = day.slice(0, 10).split('-').map(Number) as [number, number, number];
  const lastOfMonth = new Date(Date.UTC(year + years, month, 0)).getUTCDate();
  return new Date(Date.UTC(year + years, month - 1, Math.min(date, lastOfMonth))).toISOString().slice(0, 10);
};

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/;

/** PostgreSQL reads an offset of at most 15:59 hours (real ones reach 14:00); JavaScript reads up to 23:59. */
const MAX_OFFSET_HOURS = 15;

/**
 * Whether `value` is a day (`2024-01-15`) or a time of one (`2024-01-15T10:00:00Z`, or with an offset)
 * in a form both JavaScript and PostgreSQL read; week dates, years alone, days the calendar lacks,
 * offsets past 15:59 and the basic format are not. A time without a zone is read in the process's time zone.
 */
export const isInstant = (value: string): boolean => {
  const match = TIMESTAMP.exec(value);
  if (match === null || !isCalendarDay(match[1]!) || !Number.isFinite(Date.parse(value))) return false;
  const [offsetHours, offsetMinutes] = [match[2], match[3]].map(Number);
  return match[2] === undefined || (offsetHours! <= MAX_OFFSET_HOURS && offsetMinutes! <= 59);
};
