import type { DateStruct, DateType, Location, PartialDate } from '@app/domain';

/*
 * Legacy XML and registry pages speak older or friendlier vocabularies than API v2.
 * These functions map them to API v2 values; they return null rather than guess.
 */

const ENUM_VALUE = /^[A-Z0-9_]+$/;

/** `Not yet recruiting` / `not-yet recruiting` / `NOT_YET_RECRUITING` -> `NOT_YET_RECRUITING`. */
export const toEnumValue = (raw: string | null | undefined): string | null => {
  if (raw == null) return null;
  if (ENUM_VALUE.test(raw)) return raw; // as API v2 writes them
  const value = raw
    .trim()
    .replace(/[\s\-/]+/g, '_')
    .replace(/[^A-Za-z0-9_]/g, '')
    .toUpperCase();
  return value === '' ? null : value;
};

const STATUS_ALIASES: Record<string, string> = {
  AVAILABLE: 'AVAILABLE',
  ACTIVE_NOT_RECRUITING: 'ACTIVE_NOT_RECRUITING',
  ACTIVE_NOTRECRUITING: 'ACTIVE_NOT_RECRUITING',
  APPROVED_FOR_MARKETING: 'APPROVED_FOR_MARKETING',
  COMPLETED: 'COMPLETED',
  ENROLLING_BY_INVITATION: 'ENROLLING_BY_INVITATION',
  NO_LONGER_AVAILABLE: 'NO_LONGER_AVAILABLE',
  NOT_YET_RECRUITING: 'NOT_YET_RECRUITING',
  RECRUITING: 'RECRUITING',
  SUSPENDED: 'SUSPENDED',
  TEMPORARILY_NOT_AVAILABLE: 'TEMPORARILY_NOT_AVAILABLE',
  TERMINATED: 'TERMINATED',
  UNKNOWN: 'UNKNOWN',
  UNKNOWN_STATUS: 'UNKNOWN',
  WITHDRAWN: 'WITHDRAWN',
  WITHHELD: 'WITHHELD',
};

export const OVERALL_STATUSES = [...new Set(Object.values(STATUS_ALIASES))];

/** `Recruiting` -> `RECRUITING`, `Active, not recruiting` -> `ACTIVE_NOT_RECRUITING`; unknown words -> null. */
export const toOverallStatus = (raw: string | null | undefined): string | null => {
  const value = toEnumValue(raw);
  return value ? (STATUS_ALIASES[value] ?? null) : null;
};

/**
 * `Phase 2/Phase 3` -> `[PHASE2, PHASE3]`, `Phase 1/2` -> `[PHASE1, PHASE2]`, `Early Phase 1` -> `[EARLY_PHASE1]`,
 * `N/A` -> `[NA]`, `PHASE1/PHASE2` -> `[PHASE1, PHASE2]`. Returns null when nothing is recognised.
 */
export const toPhases = (raw: string | null | undefined): string[] | null => {
  if (raw == null) return null;
  const text = raw.trim();
  if (/^(n\/?a|not applicable)$/i.test(text)) return ['NA'];
  const phases = new Set<string>();
  const early = /early[\s_-]*phase[\s_-]*(?:1|i)(?![iv\d])/gi;
  if (early.test(text)) phases.add('EARLY_PHASE1');
  const rest = text.replace(early, ' ');
  const number = '(?:[1-4]|iv|i{1,3})';
  const pattern = new RegExp(`phase[\\s_-]*(${number}(?:\\s*/\\s*(?:phase[\\s_-]*)?${number})*)(?![a-z\\d])`, 'gi');
  for (const match of rest.matchAll(pattern)) {
    for (const part of match[1]!.split('/')) {
      const level =
        PHASE_NUMBERS[
          part
            .replace(/phase/i, '')
            .replace(/[\s_-]/g, '')
            .toLowerCase()
        ];
      if (level) phases.add(`PHASE${level}`);
    }
  }
  return phases.size > 0 ? sortPhases([...phases]) : null;
};

const PHASE_NUMBERS: Record<string, number> = { '1': 1, '2': 2, '3': 3, '4': 4, i: 1, ii: 2, iii: 3, iv: 4 };

const PHASE_ORDER = ['EARLY_PHASE1', 'PHASE1', 'PHASE2', 'PHASE3', 'PHASE4', 'NA'];
export const sortPhases = (phases: string[]): string[] =>
  [...new Set(phases)].sort((a, b) => PHASE_ORDER.indexOf(a) - PHASE_ORDER.indexOf(b) || a.localeCompare(b));

/** `Anticipated` / `Estimated` / `Estimate` -> ESTIMATED, `Actual` -> ACTUAL. */
export const toDateType = (raw: string | null | undefined): DateType | null => {
  if (raw == null) return null;
  const value = raw.trim().toLowerCase();
  if (value.startsWith('actual')) return 'ACTUAL';
  if (value.startsWith('anticipated') || value.startsWith('estimate') || value.startsWith('expected'))
    return 'ESTIMATED';
  return null;
};

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const monthNumber = (name: string): number | null => {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (lower.length < 3) return null;
  const index = MONTHS.findIndex((month) => month.startsWith(lower));
  return index >= 0 ? index + 1 : null;
};

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A year before this is a slip of the keyboard (`0201` for 2015), not a trial's date; left unread, as
 * neither JavaScript nor PostgreSQL reads `0-01-01` or the year 0 as a time to date events by.
 */
const MIN_YEAR = 1000;

/**
 * `March 15, 2021` -> `2021-03-15`, `December 2017` -> `2017-12`, `2024-07-25` stays, `2017` stays.
 * Keeps the precision the source gave; returns null for anything it cannot read with certainty.
 */
export const toPartialDate = (raw: string | null | undefined): PartialDate | null => {
  if (raw == null) return null;
  const text = raw.trim().replace(/\s+/g, ' ');
  let match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text);
  if (match) return valid(Number(match[1]), Number(match[2]), match[3] ? Number(match[3]) : undefined);
  match = /^([A-Za-z]+\.?) (\d{1,2}), (\d{4})$/.exec(text);
  if (match) {
    const month = monthNumber(match[1]!);
    return month ? valid(Number(match[3]), month, Number(match[2])) : null;
  }
  match = /^(\d{1,2}) ([A-Za-z]+\.?),? (\d{4})$/.exec(text);
  if (match) {
    const month = monthNumber(match[2]!);
    return month ? valid(Number(match[3]), month, Number(match[1])) : null;
  }
  match = /^([A-Za-z]+\.?),? (\d{4})$/.exec(text);
  if (match) {
    const month = monthNumber(match[1]!);
    return month ? valid(Number(match[2]), month) : null;
  }
  match = /^(\d{4})$/.exec(text);
  if (match) return Number(match[1]) >= MIN_YEAR ? match[1]! : null;
  return null;
};

const valid = (year: number, month: number, day?: number): PartialDate | null => {
  if (year < MIN_YEAR || month < 1 || month > 12) return null;
  if (day === undefined) return `${year}-${pad(month)}`;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
};

export const toDateStruct = (rawDate: string | null | undefined, rawType?: string | null): DateStruct | null => {
  const date = toPartialDate(rawDate);
  return date ? { date, type: toDateType(rawType ?? null) } : null;
};

/** `Single Blind` / `Single (Participant)` -> SINGLE, `None (Open Label)` -> NONE, `Quadruple (...)` -> QUADRUPLE. */
export const toMasking = (raw: string | null | undefined): string | null => {
  if (raw == null) return null;
  const text = raw.trim().toLowerCase();
  if (/^(none|open[\s-]?label)/.test(text)) return 'NONE';
  for (const level of ['single', 'double', 'triple', 'quadruple']) {
    if (text.startsWith(level)) return level.toUpperCase();
  }
  return null;
};

/** `Randomized` -> RANDOMIZED, `Non-Randomized` / `NON_RANDOMIZED` -> NON_RANDOMIZED, `N/A` -> NA. */
export const toAllocation = (raw: string | null | undefined): string | null => {
  if (raw == null) return null;
  const text = raw.trim().toLowerCase();
  if (/^(n\/a|na)$/.test(text)) return 'NA';
  if (/^non[\s_-]?randomi[sz]ed/.test(text)) return 'NON_RANDOMIZED';
  if (/^randomi[sz]ed/.test(text)) return 'RANDOMIZED';
  return null;
};

/**
 * `Parallel Assignment` -> `Parallel`. Compared from the end, not by /\s+assignment\s*$/, which retries a
 * long run of spaces from each of them (a time quadratic in its length).
 */
const withoutAssignment = (raw: string): string => {
  const text = raw.trimEnd();
  const cut = text.length - 'assignment'.length;
  if (cut > 0 && text.slice(cut).toLowerCase() === 'assignment' && /\s/.test(text[cut - 1]!)) {
    return text.slice(0, cut).trimEnd();
  }
  return raw;
};

/** `Parallel Assignment` -> PARALLEL, `Single Group Assignment` -> SINGLE_GROUP, `Crossover Assignment` -> CROSSOVER. */
export const toInterventionModel = (raw: string | null | undefined): string | null => {
  const value = toEnumValue(raw == null ? raw : withoutAssignment(raw));
  if (!value) return null;
  const known = ['SINGLE_GROUP', 'PARALLEL', 'CROSSOVER', 'FACTORIAL', 'SEQUENTIAL'];
  return known.includes(value) ? value : null;
};

/** Purposes that legacy XML and classic pages name in words where API v2 has a short token. */
const PURPOSE_ALIASES: Record<string, string> = {
  EDUCATIONAL_COUNSELING_TRAINING: 'ECT',
};

/**
 * `Treatment` -> TREATMENT, `Health Services Research` -> HEALTH_SERVICES_RESEARCH,
 * `Educational/Counseling/Training` -> ECT.
 */
export const toPrimaryPurpose = (raw: string | null | undefined): string | null => {
  const spelled = toEnumValue(raw);
  if (!spelled) return null;
  const value = PURPOSE_ALIASES[spelled] ?? spelled;
  const known = [
    'TREATMENT',
    'PREVENTION',
    'DIAGNOSTIC',
    'ECT',
    'SUPPORTIVE_CARE',
    'SCREENING',
    'HEALTH_SERVICES_RESEARCH',
    'BASIC_SCIENCE',
    'DEVICE_FEASIBILITY',
    'OTHER',
  ];
  return known.includes(value) ? value : null;
};

/** `Interventional (Clinical Trial)` -> INTERVENTIONAL, `Observational [Patient Registry]` -> OBSERVATIONAL. */
export const toStudyType = (raw: string | null | undefined): string | null => {
  if (raw == null) return null;
  const text = raw.trim().toLowerCase();
  if (text.startsWith('interventional')) return 'INTERVENTIONAL';
  if (text.startsWith('observational')) return 'OBSERVATIONAL';
  if (text.startsWith('expanded access') || text.startsWith('expanded_access')) return 'EXPANDED_ACCESS';
  return null;
};

/** A PubMed ID: its digits, trimmed (`PMID: 34256857` -> `34256857`); anything else is none. */
export const toPmid = (raw: string | null | undefined): string | null => {
  const match = raw == null ? null : /^\s*(?:PMID:?\s*)?(\d{1,9})\s*$/i.exec(raw);
  return match ? match[1]! : null;
};

/** `Principal Investigator` / `PRINCIPAL_INVESTIGATOR` -> PRINCIPAL_INVESTIGATOR, `Study Chair`, `Study Director`. */
export const OFFICIAL_ROLES = ['PRINCIPAL_INVESTIGATOR', 'STUDY_CHAIR', 'STUDY_DIRECTOR'];

export const toOfficialRole = (raw: string | null | undefined): string | null => {
  const value = toEnumValue(raw);
  return value && OFFICIAL_ROLES.includes(value) ? value : null;
};

/** `Background` -> BACKGROUND, `Result` / `Results` -> RESULT, `Derived` -> DERIVED. */
export const REFERENCE_TYPES = ['BACKGROUND', 'RESULT', 'DERIVED'];

export const toReferenceType = (raw: string | null | undefined): string | null => {
  const spelled = toEnumValue(raw);
  const value = spelled === 'RESULTS' ? 'RESULT' : spelled;
  return value && REFERENCE_TYPES.includes(value) ? value : null;
};

/** `All` / `Both` -> ALL, `Female` -> FEMALE, `Male` -> MALE. */
export const toSex = (raw: string | null | undefined): string | null => {
  if (raw == null) return null;
  const text = raw.trim().toLowerCase();
  if (text === 'all' || text === 'both') return 'ALL';
  if (text === 'female' || text === 'females') return 'FEMALE';
  if (text === 'male' || text === 'males') return 'MALE';
  return null;
};

/**
 * An age as API v2 spells it: `18 years`, `18 Years` -> `18 Years`; `6 months` -> `6 Months`; `1 Years`,
 * `1 year` -> `1 Year` (singular for one); `N/A` / `No limit` -> null (API v2 omits it).
 */
export const toAge = (raw: string | null | undefined): string | null => {
  if (raw == null) return null;
  const match = /^(\d+)\s*(year|month|week|day|hour|minute)s?$/i.exec(raw.trim());
  if (!match) return null;
  const count = Number(match[1]);
  const unit = match[2]!.toLowerCase();
  return `${count} ${unit[0]!.toUpperCase()}${unit.slice(1)}${count === 1 ? '' : 's'}`;
};

/** `Yes` / `Accepts Healthy Volunteers` -> true, `No` / `No Healthy Volunteers` -> false. */
export const toHealthyVolunteers = (raw: string | null | undefined): boolean | null => {
  if (raw == null) return null;
  const text = raw.trim().toLowerCase();
  if (text === 'yes' || text === 'true' || text === 'accepts healthy volunteers') return true;
  if (text === 'no' || text === 'false' || text === 'no healthy volunteers') return false;
  return null;
};

/** `Other` -> OTHER, `Industry` -> INDUSTRY, `NIH` -> NIH, `U.S. Fed` -> FED. */
export const toAgencyClass = (raw: string | null | undefined): string | null => {
  if (raw == null) return null;
  const text = raw.trim().toLowerCase();
  const map: Record<string, string> = {
    other: 'OTHER',
    industry: 'INDUSTRY',
    nih: 'NIH',
    'u.s. fed': 'FED',
    fed: 'FED',
    other_gov: 'OTHER_GOV',
    'other gov': 'OTHER_GOV',
    individual: 'INDIV',
    indiv: 'INDIV',
    network: 'NETWORK',
    ambig: 'AMBIG',
    unknown: 'UNKNOWN',
  };
  return map[text] ?? null;
};

/** `Drug: Placebo` -> `{ type: DRUG, name: Placebo }`; a name without a recognised type keeps type null. */
export const INTERVENTION_TYPES = [
  'BEHAVIORAL',
  'BIOLOGICAL',
  'COMBINATION_PRODUCT',
  'DEVICE',
  'DIAGNOSTIC_TEST',
  'DIETARY_SUPPLEMENT',
  'DRUG',
  'GENETIC',
  'PROCEDURE',
  'RADIATION',
  'OTHER',
];

export const toInterventionType = (raw: string | null | undefined): string | null => {
  const value = toEnumValue(raw);
  return value && INTERVENTION_TYPES.includes(value) ? value : null;
};

/** `Placebo Comparator` -> PLACEBO_COMPARATOR, `Experimental` -> EXPERIMENTAL. */
export const ARM_GROUP_TYPES = [
  'EXPERIMENTAL',
  'ACTIVE_COMPARATOR',
  'PLACEBO_COMPARATOR',
  'SHAM_COMPARATOR',
  'NO_INTERVENTION',
  'OTHER',
];

export const toArmGroupType = (raw: string | null | undefined): string | null => {
  const value = toEnumValue(raw);
  return value && ARM_GROUP_TYPES.includes(value) ? value : null;
};

/** Whitespace that cleaning would change inside a text: any but a plain space, or two plain spaces in a row. */
const UNCLEAN_WHITESPACE = /[^\S ]| {2}/;

/** Collapses runs of whitespace and trims; an empty result is null. */
export const cleanText = (raw: string | null | undefined): string | null => {
  if (raw == null) return null;
  // Most texts are clean already; testing is much cheaper than rebuilding them.
  const text = (UNCLEAN_WHITESPACE.test(raw) ? raw.replace(/\s+/g, ' ') : raw).trim();
  return text === '' ? null : text;
};

/** Keeps line structure (for criteria): trims each line, drops common indentation and blank-line runs. */
export const cleanBlock = (raw: string | null | undefined): string | null => {
  if (raw == null) return null;
  const lines = raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    // trimEnd, not /\s+$/: that retries a run of spaces inside the line from each of them (quadratic).
    .map((line) => line.trimEnd());
  // The first line is often already trimmed by the source (an XML text node), so it does not set the indentation.
  const indents = lines
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => /^\s*/.exec(line)![0].length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  const text = lines
    .map((line, index) => (index === 0 ? line.trim() : line.slice(common)))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text === '' ? null : text;
};

/** Re-flows prose: paragraphs (separated by blank lines) keep apart, line wraps inside them become spaces. */
export const reflowParagraphs = (raw: string | null | undefined): string | null => {
  if (raw == null) return null;
  const paragraphs = raw
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph !== '');
  return paragraphs.length > 0 ? paragraphs.join('\n\n') : null;
};

/** A site names a facility or a place; an entry with neither (`{}`, a status alone) is no site. */
export const namesAPlace = (location: Location): boolean =>
  location.facility !== null || location.city !== null || location.state !== null || location.country !== null;
