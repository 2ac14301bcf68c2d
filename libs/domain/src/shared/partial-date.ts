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
