import {
  type DateStruct,
  type Enrollment,
  type HygieneFlag,
  isPartialDate,
  officialRoleLabel,
  type PartialDate,
  referenceTypeLabel,
} from '@app/domain';

// Registry values read in the words notifications and feeds use, so a page never says it otherwise.
export {
  enumLabel,
  phasesLabel,
  statusLabel,
  describeDesign as formatDesign,
  describeEligibility as formatEligibility,
  describeSecondaryId as formatSecondaryId,
  describeSponsor as formatSponsor,
  describeValue as formatListItem,
} from '@app/domain';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A registry date at its own precision: `2017` -> `2017`, `2017-12` -> `Dec 2017`, `2017-12-05` -> `5 Dec 2017`. */
export const formatPartialDate = (date: PartialDate): string => {
  if (!isPartialDate(date)) return date;
  const [year, month, day] = date.split('-');
  if (!month) return year!;
  const monthName = MONTHS[Number(month) - 1]!;
  return day ? `${Number(day)} ${monthName} ${year}` : `${monthName} ${year}`;
};

/** The calendar day (UTC) of an ISO timestamp: `16 Jun 2017`. */
export const formatDay = (iso: string): string => formatPartialDate(iso.slice(0, 10));

/** An ISO timestamp to the minute, in UTC: `15 Jan 2026, 10:00 UTC`. */
export const formatTimestamp = (iso: string): string => `${formatDay(iso)}, ${iso.slice(11, 16)} UTC`;

export const formatDateType = (type: DateStruct['type']): string | null => (type ? type.toLowerCase() : null);

/** `Dec 2017 (estimated)`, `Aug 2007` when the source does not say which. */
export const formatDateStruct = (value: DateStruct | null | undefined): string => {
  if (!value) return 'unknown';
  const type = formatDateType(value.type);
  return type ? `${formatPartialDate(value.date)} (${type})` : formatPartialDate(value.date);
};

/** `1000 (estimated)`; counts stay unseparated, as the registry shows them. */
export const formatEnrollment = (value: Enrollment | null | undefined): string => {
  if (!value || value.count === null) return 'unknown';
  const type = formatDateType(value.type);
  return type ? `${value.count} (${type})` : String(value.count);
};

export const formatCount = (count: number): string => count.toLocaleString('en-US');

const plural = (count: number, unit: string): string => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** About how long a span of days is, to the nearest month: `45 days`, `5 months`, `9 years 7 months`. */
export const formatSpan = (days: number): string => {
  if (days < 60) return plural(days, 'day');
  const months = Math.round(days / 30.4375);
  const years = Math.floor(months / 12);
  if (years === 0) return plural(months, 'month');
  const rest = months % 12;
  return rest === 0 ? plural(years, 'year') : `${plural(years, 'year')} ${plural(rest, 'month')}`;
};

/** Whole months from one registry date to another, at the coarser of their precisions (a year-only date counts as January). */
export const monthsBetween = (from: PartialDate, to: PartialDate): number => {
  const monthIndex = (date: PartialDate) => {
    const [year, month = '1'] = date.split('-');
    return Number(year) * 12 + Number(month) - 1;
  };
  return monthIndex(to) - monthIndex(from);
};

/** How far a date moved: `6 months later`, `1 year 2 months earlier`, `unchanged`. */
export const formatShift = (months: number): string => {
  if (months === 0) return 'unchanged';
  const size = Math.abs(months);
  const years = Math.floor(size / 12);
  const rest = size % 12;
  const amount = [years > 0 ? plural(years, 'year') : '', rest > 0 ? plural(rest, 'month') : '']
    .filter(Boolean)
    .join(' ');
  return `${amount} ${months > 0 ? 'later' : 'earlier'}`;
};

const capitalized = (words: string): string => words.charAt(0).toUpperCase() + words.slice(1);

/** `trial.primary-completion-date-changed` -> `Primary completion date changed`. */
export const eventTypeLabel = (type: string): string => capitalized(type.replace(/^trial\./, '').replace(/-/g, ' '));

/** An official's role as a heading or cell reads it, in the feeds' words: `Principal investigator`. */
export const formatOfficialRole = (role: string): string => capitalized(officialRoleLabel(role));

/** A publication's type as a heading or cell reads it, in the feeds' words: `Results`, `Linked from PubMed`. */
export const formatReferenceType = (type: string): string => capitalized(referenceTypeLabel(type));

/** A tracked value that is a bare registry date string (status verified, submitted dates), readable. */
export const formatMaybePartialDate = (value: string): string =>
  isPartialDate(value) ? formatPartialDate(value) : value;

/** A registry hygiene flag in a few words: `Status verification stale`. */
export const hygieneFlagLabel = (flag: HygieneFlag): string =>
  ({
    'status-verification-stale': 'Status verification stale',
    'completion-past-while-recruiting': 'Completion passed while recruiting',
    'gone-from-registry': 'Gone from the registry',
    'merged-into-another': 'Merged into another record',
  })[flag];
