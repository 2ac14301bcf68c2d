import {
  type ArmGroup,
  type DateStruct,
  describeValue,
  type Design,
  type Eligibility,
  type Enrollment,
  type HygieneFlag,
  type Intervention,
  isPartialDate,
  type Location,
  type PartialDate,
  type SecondaryId,
  type Sponsor,
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

const ENUM_LABELS: Record<string, string> = {
  NOT_YET_RECRUITING: 'Not yet recruiting',
  RECRUITING: 'Recruiting',
  ENROLLING_BY_INVITATION: 'Enrolling by invitation',
  ACTIVE_NOT_RECRUITING: 'Active, not recruiting',
  SUSPENDED: 'Suspended',
  TERMINATED: 'Terminated',
  COMPLETED: 'Completed',
  WITHDRAWN: 'Withdrawn',
  UNKNOWN: 'Unknown status',
  AVAILABLE: 'Available',
  NO_LONGER_AVAILABLE: 'No longer available',
  TEMPORARILY_NOT_AVAILABLE: 'Temporarily not available',
  APPROVED_FOR_MARKETING: 'Approved for marketing',
  WITHHELD: 'Withheld',
  EARLY_PHASE1: 'Early phase 1',
  PHASE1: 'Phase 1',
  PHASE2: 'Phase 2',
  PHASE3: 'Phase 3',
  PHASE4: 'Phase 4',
  NA: 'Not applicable',
};

/** A registry enum as a person reads it: `ACTIVE_NOT_RECRUITING` -> `Active, not recruiting`, `NON_RANDOMIZED` -> `Non randomized`. */
export const enumLabel = (value: string): string =>
  ENUM_LABELS[value] ?? value.charAt(0).toUpperCase() + value.slice(1).toLowerCase().replace(/_/g, ' ');

export const statusLabel = (status: string | null | undefined): string => (status ? enumLabel(status) : 'unknown');

/** `Phase 2/Phase 3`; `unknown` when the source does not say, `none` for an empty list. */
export const phasesLabel = (phases: readonly string[] | null | undefined): string => {
  if (!phases) return 'unknown';
  return phases.length === 0 ? 'none' : phases.map(enumLabel).join('/');
};

/** `trial.primary-completion-date-changed` -> `Primary completion date changed`. */
export const eventTypeLabel = (type: string): string => {
  const words = type.replace(/^trial\./, '').replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

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

const SPONSOR_CLASS_LABELS: Record<string, string> = {
  NIH: 'NIH',
  FED: 'US federal',
  OTHER_GOV: 'other government',
  INDIV: 'individual',
  INDUSTRY: 'industry',
  NETWORK: 'network',
  OTHER: 'other',
  AMBIG: 'ambiguous',
  UNKNOWN: 'unknown',
};

const SECONDARY_ID_TYPE_LABELS: Record<string, string> = {
  ORG_STUDY_ID: "sponsor's ID",
  EUDRACT_NUMBER: 'EudraCT number',
  CTIS: 'EU CT number',
  NIH: 'NIH grant',
  FDA: 'FDA',
  OTHER_GRANT: 'grant',
  REGISTRY: 'registry',
  OTHER: 'other',
};

const withNote = (text: string, note: string | null): string => (note ? `${text} (${note})` : text);

/** `Duke University (other)`: the class shown, as a change of class alone is a change. */
export const formatSponsor = ({ name, class: sponsorClass }: Sponsor): string =>
  withNote(name, sponsorClass ? (SPONSOR_CLASS_LABELS[sponsorClass] ?? enumLabel(sponsorClass).toLowerCase()) : null);

/** `ISRCTN12345678 (registry, ISRCTN)`, `2004-000001-11 (EudraCT number)`. */
export const formatSecondaryId = ({ id, type, domain }: SecondaryId): string => {
  const typeLabel = type ? (SECONDARY_ID_TYPE_LABELS[type] ?? enumLabel(type).toLowerCase()) : null;
  return withNote(id, [typeLabel, domain].filter(Boolean).join(', ') || null);
};

const DESIGN_PARTS: readonly (readonly [keyof Design, string])[] = [
  ['allocation', 'Allocation'],
  ['interventionModel', 'Intervention model'],
  ['primaryPurpose', 'Primary purpose'],
  ['masking', 'Masking'],
  ['observationalModel', 'Observational model'],
  ['timePerspective', 'Time perspective'],
];

/** `Allocation: Randomized; Masking: None`: the parts it gives, in words. */
export const formatDesign = (design: Design): string =>
  DESIGN_PARTS.filter(([part]) => design[part])
    .map(([part, label]) => `${label}: ${enumLabel(design[part]!)}`)
    .join('; ') || 'none';

/** `Minimum age: 18 Years; Sex: Female; Healthy volunteers: no; Criteria: …`: the parts it gives. */
export const formatEligibility = (eligibility: Eligibility): string =>
  [
    eligibility.minimumAge ? `Minimum age: ${eligibility.minimumAge}` : null,
    eligibility.maximumAge ? `Maximum age: ${eligibility.maximumAge}` : null,
    eligibility.sex ? `Sex: ${enumLabel(eligibility.sex)}` : null,
    eligibility.healthyVolunteers === null
      ? null
      : `Healthy volunteers: ${eligibility.healthyVolunteers ? 'yes' : 'no'}`,
    eligibility.criteria ? `Criteria: ${eligibility.criteria}` : null,
  ]
    .filter(Boolean)
    .join('; ') || 'none';

const has = (item: object, ...keys: string[]) => keys.every((key) => key in item);

/**
 * One item of a list field in words, with the detail whose change alone is a change: an
 * intervention's or arm's type, a collaborator's class, a site's status, an identifier's kind.
 */
export const formatListItem = (item: unknown): string => {
  if (typeof item !== 'object' || item === null) return describeValue(item);
  if (has(item, 'measure')) return describeValue(item);
  if (has(item, 'id', 'domain')) return formatSecondaryId(item as SecondaryId);
  if (has(item, 'facility') || has(item, 'city')) {
    const location = item as Location;
    return withNote(
      describeValue({ ...location, status: null }),
      location.status ? statusLabel(location.status) : null,
    );
  }
  if (has(item, 'name', 'class')) return formatSponsor(item as Sponsor);
  if (has(item, 'name', 'type')) {
    const { name, type } = item as Intervention;
    return withNote(name, type ? enumLabel(type) : null);
  }
  if (has(item, 'label', 'type')) {
    const { label, type } = item as ArmGroup;
    return withNote(label, type ? enumLabel(type) : null);
  }
  return describeValue(item);
};
