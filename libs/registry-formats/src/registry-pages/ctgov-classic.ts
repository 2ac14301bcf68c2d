import {
  emptyFacts,
  parseNctId,
  type ArmGroup,
  type DateStruct,
  type Eligibility,
  type Enrollment,
  type Location,
  type Official,
  type Outcome,
  type SecondaryId,
  type Sponsor,
  type TrialFacts,
} from '@app/domain';
import { SnapshotParseError } from '../errors.js';
import {
  cleanText,
  toAge,
  toAllocation,
  toArmGroupType,
  toDateStruct,
  toDateType,
  toHealthyVolunteers,
  toInterventionModel,
  toMasking,
  toOfficialRole,
  toOverallStatus,
  toPartialDate,
  toPhases,
  toPrimaryPurpose,
  toSex,
  toStudyType,
} from '../vocabulary.js';
import { hasLayoutMarkers } from './detect-page-layout.js';
import {
  afterFieldLabel,
  afterLabel,
  criteriaText,
  isBulleted,
  pageLines,
  readCount,
  readLabelled,
  withCountryQualifier,
  withoutBullet,
  withoutClosingPipes,
} from './page-lines.js';
import { termsOfLines } from './run-together-terms.js';
import { typedInterventions } from './typed-interventions.js';

/*
 * The classic ClinicalTrials.gov study page (before 2023), saved as text: layout tables become rows whose
 * cells end with ` |`, a cell holding several lines ends with a `|` on a line of its own.
 */

const cellsOf = (text: string): string[][] => {
  const cells = text.split('|').map((cell) => pageLines(cell));
  if (cells.length > 1 && cells.at(-1)!.length === 0) cells.pop();
  return cells;
};

const isTableRule = (line: string): boolean => /^[-:|\s]+$/.test(line) && line.includes('-');

const indexOf = (rows: readonly string[], pattern: RegExp, from = 0): number =>
  rows.findIndex((row, at) => at >= from && pattern.test(withoutBullet(row)));

/** The lines from `from` up to (not including) the first row matching `end`. */
const rowsUntil = (rows: readonly string[], from: number, end: RegExp): string[] => {
  const stop = indexOf(rows, end, from);
  return rows.slice(from, stop < 0 ? rows.length : stop);
};

/** The words that prefix a date or enrollment label: `Estimated Enrollment`, `Actual Study Start Date`. */
const ACTUAL_OR_ESTIMATED = ['Actual', 'Estimated', 'Anticipated'];

/** `Estimated Study Completion Date : | October 1, 2023` -> the date with the type its label gives. */
const readTypedDate = (rows: readonly string[], label: string): DateStruct | null => {
  for (const typeWord of ACTUAL_OR_ESTIMATED) {
    const date = readLabelled(rows, `${typeWord} ${label}`, toPartialDate);
    if (date) return toDateStruct(date, typeWord);
  }
  return readLabelled(rows, label, (raw) => toDateStruct(raw));
};

const readEnrollment = (rows: readonly string[]): Enrollment | null => {
  for (const typeWord of ACTUAL_OR_ESTIMATED) {
    const count = readLabelled(rows, `${typeWord} Enrollment`, readCount);
    if (count !== null) return { count, type: toDateType(typeWord) };
  }
  const count = readLabelled(rows, 'Enrollment', readCount);
  return count === null ? null : { count, type: null };
};

const DESIGN_START = /^(Study Type|Study Design)\s*:?/i;

/** The `Condition or disease | Intervention/treatment | Phase` table: one row, each cell may hold several lines. */
const conditionsTableOf = (rows: readonly string[], lines: readonly string[]) => {
  const header = indexOf(rows, /^Condition or disease\s*\|\s*Intervention\/treatment\s*\|\s*Phase$/i);
  if (header < 0) return null;
  const body = rowsUntil(lines, header + 1, DESIGN_START).filter((line) => !isTableRule(line));
  const cells = cellsOf(body.join('\n'));
  if (cells.length !== 3) return null;
  const [conditionLines, interventionLines, phaseLines] = cells as [string[], string[], string[]];
  return {
    conditionLines,
    interventions: typedInterventions(interventionLines.join(' ')),
    phases: toPhases(phaseLines.join(' ')),
  };
};

const ARM_TYPE_PREFIX =
  /^(Experimental|Active Comparator|Placebo Comparator|Sham Comparator|No Intervention|Other):\s*(.+)$/;
const ARMS_END =
  /\[\s*Time Frame:|^(Primary|Secondary|Other(?: Pre-specified)?) Outcome Measures|^Choosing to participate|^(Ages|Sexes|Genders) Eligible|^Eligibility Criteria/i;

/** The `Arm | Intervention/treatment` table: cells alternate, each arm cell starts with `Type: Label`. */
const armGroupsOf = (rows: readonly string[], lines: readonly string[]): ArmGroup[] | null => {
  const header = indexOf(rows, /^Arm\s*\|\s*Intervention\/treatment$/i);
  if (header < 0) return null;
  const body = rowsUntil(lines, header + 1, ARMS_END).filter((line) => !isTableRule(line));
  const cells = cellsOf(body.join('\n'));
  if (cells.length === 0 || cells.length % 2 !== 0) return null;
  const groups: ArmGroup[] = [];
  for (let index = 0; index < cells.length; index += 2) {
    const match = ARM_TYPE_PREFIX.exec(cells[index]![0] ?? '');
    if (!match) return null;
    groups.push({ label: match[2]!, type: toArmGroupType(match[1]) });
  }
  return groups;
};

const OUTCOME_HEADINGS = {
  primary: /^Primary Outcome Measures\s*:?$/i,
  secondary: /^Secondary Outcome Measures\s*:?$/i,
};
const OUTCOMES_END =
  /^((Primary|Secondary|Other(?: Pre-specified)?) Outcome Measures\s*:?|Choosing to participate.*|(Ages|Sexes|Genders) Eligible.*|Eligibility Criteria|Criteria|Inclusion Criteria.*)$/i;

/** `1. Measure [ Time Frame: 90 Days ]description` -> the measure and its time frame. */
const outcomeOf = (line: string): Outcome | null => {
  const text = withoutBullet(line).replace(/^\d+\.\s+/, '');
  const match = /^(.*?)\s*\[\s*Time Frame:\s*(.*?)\s*\]/i.exec(text);
  if (match) return { measure: match[1]!, timeFrame: cleanText(match[2]) };
  return isBulleted(line) || /^\d+\.\s/.test(line) ? { measure: text, timeFrame: null } : null;
};

/** Only the headings say which measures are primary; a list without them is not split by guesswork. */
const outcomesOf = (rows: readonly string[], heading: RegExp): Outcome[] | null => {
  const start = indexOf(rows, heading);
  if (start < 0) return null;
  return rowsUntil(rows, start + 1, OUTCOMES_END)
    .map(outcomeOf)
    .filter((outcome): outcome is Outcome => outcome !== null);
};

/** `18 Years to 80 Years (Adult, Older Adult)`, `18 Years and older`, `up to 17 Years`. */
const agesOf = (raw: string): Pick<Eligibility, 'minimumAge' | 'maximumAge'> => {
  const text = raw.replace(/\(.*?\)/g, '').trim();
  let match = /^(.+?) to (.+)$/i.exec(text);
  if (match && !/^up$/i.test(match[1]!)) return { minimumAge: toAge(match[1]), maximumAge: toAge(match[2]) };
  match = /^(.+?) and older$/i.exec(text);
  if (match) return { minimumAge: toAge(match[1]), maximumAge: null };
  match = /^up to (.+)$/i.exec(text);
  if (match) return { minimumAge: null, maximumAge: toAge(match[1]) };
  return { minimumAge: null, maximumAge: null };
};

/** Pages of before 2017 say "Genders Eligible for Study: Both" where later ones say "Sexes Eligible for Study: All". */
const SEX_LABELS = ['Sexes Eligible for Study', 'Genders Eligible for Study'];
const ELIGIBILITY_LABELS = ['Ages Eligible for Study', ...SEX_LABELS, 'Accepts Healthy Volunteers'];
const CRITERIA_END =
  /^(To learn more about this study|Please refer to this study|Contacts and Locations|Contact:|Locations$|Sponsors and Collaborators|More Information)/i;

const eligibilityOf = (rows: readonly string[]): Eligibility | null => {
  const labelRows = ELIGIBILITY_LABELS.map((label) => rows.findIndex((row) => afterLabel(row, label) !== undefined));
  if (labelRows.every((row) => row < 0)) return null;
  const criteria = rowsUntil(rows, Math.max(...labelRows) + 1, CRITERIA_END);
  return {
    ...(readLabelled(rows, 'Ages Eligible for Study', (raw) => agesOf(raw)) ?? { minimumAge: null, maximumAge: null }),
    sex: SEX_LABELS.map((label) => readLabelled(rows, label, toSex)).find((sex) => sex !== null) ?? null,
    healthyVolunteers: readLabelled(rows, 'Accepts Healthy Volunteers', toHealthyVolunteers),
    criteria: criteriaText(/^Criteria$/i.test(criteria[0] ?? '') ? criteria.slice(1) : criteria),
  };
};

const LOCATIONS_START = /^(Please refer to this study by its ClinicalTrials\.gov identifier|Contacts and Locations$)/i;
const LOCATIONS_END =
  /^(Sponsors and Collaborators|Investigators$|More Information|Responsible Party:|(Principal Investigator|Study Director|Study Chair):\s*\|)/i;
const IGNORED_LOCATION_ROWS = /^(Contact:|Principal Investigator:|Sub-Investigator:|Locations$|Layout table)/i;

/**
 * `Shenyang, China, 110016` -> city, state (when there is one) and country; the postal code is dropped.
 * `Seoul, Korea, Republic of, 03722` has the country `Korea, Republic of`. Null for fewer than a city and a country.
 */
const placeOf = (address: string): Pick<Location, 'city' | 'state' | 'country'> | null => {
  const split = address.split(',').map((part) => part.trim());
  if (split.length > 2 && /\d/.test(split.at(-1)!)) split.pop();
  const parts = withCountryQualifier(split);
  if (parts.length < 2) return null;
  return { city: parts[0]!, state: parts.length > 2 ? parts.slice(1, -1).join(', ') : null, country: parts.at(-1)! };
};

/**
 * Sites are grouped under a country row: `Facility | Status |`, then `City, [State,] Country, Zip`, then
 * contacts. An address is recognised by ending with a country that has a row of its own. Any row left
 * unexplained makes the list uncertain, so it is then unknown rather than incomplete.
 */
const locationsOf = (rows: readonly string[]): Location[] | null => {
  const starts = rows.map((row, index) => (LOCATIONS_START.test(row) ? index : -1)).filter((index) => index >= 0);
  if (starts.length === 0) return null;
  const region = rowsUntil(rows, Math.max(...starts) + 1, LOCATIONS_END)
    .filter((row) => !IGNORED_LOCATION_ROWS.test(row))
    .map((row) => row.split('|').map((cell) => cell.trim()))
    .map((cells) => cells.filter((cell, index) => cell !== '' || index === 0));
  const singleCells = new Set(region.filter((cells) => cells.length === 1).map((cells) => cells[0]!));
  const isAddress = (cells: string[]): boolean => {
    const place = cells.length === 1 ? placeOf(cells[0]!) : null;
    return place !== null && singleCells.has(place.country!);
  };
  const locations: Location[] = [];
  const explained = new Set<number>();
  region.forEach((cells, index) => {
    if (!isAddress(cells) || index === 0 || isAddress(region[index - 1]!)) return;
    const [facility, status] = region[index - 1]!;
    const place = placeOf(cells[0]!)!;
    locations.push({ facility: facility!, ...place, status: status ? toOverallStatus(status) : null });
    explained.add(index).add(index - 1);
    const countryRow = region.findIndex(
      (other, at) => at < index - 1 && other.length === 1 && other[0] === place.country,
    );
    if (countryRow >= 0) explained.add(countryRow);
  });
  return explained.size === region.length ? locations : null;
};

/**
 * `Sponsor:` and `Collaborator(s):` rows of the record header, when the saved page kept them; a criterion
 * such as `Sponsor or investigator site staff …` is not the sponsor row.
 */
const sponsorsOf = (rows: readonly string[]): { leadSponsor: Sponsor | null; collaborators: Sponsor[] | null } => {
  const name = readLabelled(rows, 'Sponsor', cleanText, afterFieldLabel);
  return { leadSponsor: name ? { name, class: null } : null, collaborators: collaboratorsOf(rows) };
};

/** The names between `Collaborator(s):` and `Information provided by`; unknown when that end is missing. */
const collaboratorsOf = (rows: readonly string[]): Sponsor[] | null => {
  const label = rows.findIndex(
    (row) => afterLabel(row, 'Collaborators') !== undefined || afterLabel(row, 'Collaborator') !== undefined,
  );
  const end = indexOf(rows, /^Information provided by/i, label + 1);
  if (label < 0 || end < 0) return null;
  const inline = afterLabel(rows[label]!, 'Collaborators') ?? afterLabel(rows[label]!, 'Collaborator') ?? '';
  return [inline, ...rows.slice(label + 1, end)].filter((row) => row !== '').map((row) => ({ name: row, class: null }));
};

const OFFICIAL_ROW = /^(Principal Investigator|Study Chair|Study Director)\s*:\s*\|(.*)$/i;

/**
 * The `Investigators` table: `Principal Investigator: | Name | Affiliation`, one row each. A site's own
 * investigator is written in its location cell, with no cell after the label, and is no overall official.
 * A row of other cells leaves the list unknown.
 */
const overallOfficialsOf = (rows: readonly string[]): Official[] | null => {
  const officialRows = rows.map((row) => OFFICIAL_ROW.exec(row)).filter((match) => match !== null);
  if (officialRows.length === 0) return null;
  const officials: Official[] = [];
  for (const [, role, cells] of officialRows) {
    const [name, affiliation, ...extra] = cells!.split('|').map((cell) => cleanText(cell));
    if (!name || extra.length > 0) return null;
    officials.push({ name, affiliation: affiliation ?? null, role: toOfficialRole(role) });
  }
  return officials;
};

/** A row that starts a labelled field (`First Posted: | …`), ending the rows of the one before. */
const LABEL_ROW = /^[A-Z][^:|]{1,80}:(\s|$)/;

/** The identifiers under `Other Study ID Numbers:`, on its row and the rows after it up to the next label. */
const secondaryIdsOf = (rows: readonly string[]): SecondaryId[] | null => {
  const label = rows.findIndex((row) => afterLabel(row, 'Other Study ID Numbers') !== undefined);
  if (label < 0) return null;
  const inline = afterLabel(rows[label]!, 'Other Study ID Numbers') ?? '';
  const following: string[] = [];
  for (const row of rows.slice(label + 1)) {
    if (row === '' || LABEL_ROW.test(row)) break;
    following.push(row);
  }
  return [inline, ...following]
    .map((row) => cleanText(row))
    .filter((row): row is string => row !== null)
    .map((id) => ({ id, type: null, domain: null }));
};

const yesNo = (raw: string): boolean | null => (/^yes$/i.test(raw) ? true : /^no$/i.test(raw) ? false : null);

/** `Studies a U.S. FDA-regulated Drug Product: | No` and its Device row; null when the page shows neither. */
const fdaRegulatedOf = (rows: readonly string[]): boolean | null => {
  const flags = ['Studies a U.S. FDA-regulated Drug Product', 'Studies a U.S. FDA-regulated Device Product']
    .map((label) => readLabelled(rows, label, yesNo))
    .filter((flag): flag is boolean => flag !== null);
  return flags.length === 0 ? null : flags.some(Boolean);
};

const NOT_TITLE = /^(The safety and scientific validity of this study|ClinicalTrials\.gov Identifier)/i;

/** The title is the last line of text before the disclaimer and identifier rows. */
const titleOf = (rows: readonly string[]): string | null => {
  const identifier = indexOf(rows, /ClinicalTrials\.gov Identifier\s*:/i);
  const candidates = rows
    .slice(0, identifier)
    .map((row) => cleanText(row.replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/\|/g, ' ')))
    .filter((row): row is string => row !== null && !NOT_TITLE.test(row));
  return candidates.at(-1) ?? null;
};

const ownNctIdOf = (rows: readonly string[]): string | null => {
  for (const row of rows) {
    const match = /ClinicalTrials\.gov Identifier\s*:\s*\|?\s*(NCT\d{8})\b/i.exec(row);
    if (match) return parseNctId(match[1]!);
  }
  return null;
};

const resultsPostedOf = (rows: readonly string[], resultsFirstPosted: DateStruct | null): boolean | null => {
  if (rows.some((row) => /^No Results Posted$/i.test(withoutBullet(row)))) return false;
  return resultsFirstPosted ? true : null;
};

export const parseCtgovClassicPage = (text: string): TrialFacts => {
  const lines = pageLines(text);
  if (!hasLayoutMarkers(lines, 'ctgov-classic')) {
    throw new SnapshotParseError('snapshot.not-a-trial-record', 'The text is not a ClinicalTrials.gov study page', {});
  }
  const rows = lines.map(withoutClosingPipes);
  const nctId = ownNctIdOf(rows);
  if (!nctId) {
    throw new SnapshotParseError(
      'snapshot.missing-nct-id',
      'The study page has no "ClinicalTrials.gov Identifier:"',
      {},
    );
  }
  const briefTitle = titleOf(rows);
  const officialTitle = readLabelled(rows, 'Official Title', cleanText, afterFieldLabel);
  const table = conditionsTableOf(rows, lines);
  const resultsFirstPostDate = readLabelled(rows, 'Results First Posted', (raw) => toDateStruct(raw));
  const design = {
    allocation: readLabelled(rows, 'Allocation', toAllocation),
    interventionModel: readLabelled(rows, 'Intervention Model', toInterventionModel),
    primaryPurpose: readLabelled(rows, 'Primary Purpose', toPrimaryPurpose),
    masking: readLabelled(rows, 'Masking', toMasking),
    observationalModel: null,
    timePerspective: null,
  };
  const hasDesign = Object.values(design).some((value) => value !== null);

  return {
    ...emptyFacts(nctId),
    briefTitle,
    officialTitle,
    acronym: readLabelled(rows, 'Acronym', cleanText, afterFieldLabel),
    overallStatus: readLabelled(rows, 'Recruitment Status', toOverallStatus),
    statusVerifiedDate: readLabelled(rows, 'Last Verified', toPartialDate),
    startDate: readTypedDate(rows, 'Study Start Date'),
    primaryCompletionDate: readTypedDate(rows, 'Primary Completion Date'),
    completionDate: readTypedDate(rows, 'Study Completion Date'),
    studyFirstPostDate: readLabelled(rows, 'First Posted', (raw) => toDateStruct(raw)),
    lastUpdatePostDate: readLabelled(rows, 'Last Update Posted', (raw) => toDateStruct(raw)),
    resultsFirstPostDate,
    hasResults: resultsPostedOf(rows, resultsFirstPostDate),
    enrollment: readEnrollment(rows),
    studyType: readLabelled(rows, 'Study Type', toStudyType),
    phases: table?.phases ?? null,
    design: hasDesign ? design : null,
    conditions: table
      ? termsOfLines(table.conditionLines, [briefTitle, officialTitle].join('\n'), 'line-per-term')
      : null,
    interventions: table?.interventions ?? null,
    armGroups: armGroupsOf(rows, lines),
    primaryOutcomes: outcomesOf(rows, OUTCOME_HEADINGS.primary),
    secondaryOutcomes: outcomesOf(rows, OUTCOME_HEADINGS.secondary),
    eligibility: eligibilityOf(rows),
    ...sponsorsOf(rows),
    locations: locationsOf(rows),
    secondaryIds: secondaryIdsOf(rows),
    overallOfficials: overallOfficialsOf(rows),
    fdaRegulated: fdaRegulatedOf(rows),
  };
};
