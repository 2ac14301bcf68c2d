import {
  emptyFacts,
  parseNctId,
  type ArmGroup,
  type DateStruct,
  type Design,
  type Eligibility,
  type Intervention,
  type Location,
  type Official,
  type Reference,
  type SecondaryId,
  type Sponsor,
  type TrialFacts,
} from '@app/domain';
import { SnapshotParseError } from '../errors.js';
import {
  cleanText,
  toAgencyClass,
  toAllocation,
  toAge,
  toArmGroupType,
  toDateStruct,
  toEnumValue,
  toHealthyVolunteers,
  toInterventionModel,
  toInterventionType,
  toMasking,
  toOfficialRole,
  toOverallStatus,
  toPhases,
  toPmid,
  toPrimaryPurpose,
  toReferenceType,
  toSex,
  toStudyType,
} from '../vocabulary.js';
import { hasLayoutMarkers } from './detect-page-layout.js';
import {
  firstLabelledLine,
  hasAnyLabel,
  readByLabel,
  readByShape,
  splitAtAnchors,
  startOfBareTail,
  type FieldReaders,
  type FieldValues,
} from './field-readers.js';
import {
  afterLabel,
  criteriaText,
  hasLabel,
  pageLines,
  paragraphsText,
  readCount,
  readLabelled,
  splitSections,
  withCountryQualifier,
} from './page-lines.js';
import { termsOfLines } from './run-together-terms.js';

/*
 * The "registry mirror" page: a site republishing ClinicalTrials.gov records. Each section is a heading
 * followed by a fixed blurb, then API v2 values, with or without labels ("Recruitment Status" / "RECRUITING").
 */

const SECTION_BLURBS: Record<string, string | null> = {
  'Study Results': null,
  'Basic Information':
    'Get a concise snapshot of the trial, including recruitment status, study phase, enrollment targets, and key timeline milestones.',
  'Brief Summary':
    'Review the sponsor-provided synopsis that highlights what the study is about and why it is being conducted.',
  'Detailed Description':
    'Dive into the extended narrative that explains the scientific background, objectives, and procedures in greater depth.',
  'Related Clinical Trials': 'Explore similar clinical trials based on study characteristics and research focus.',
  Conditions: 'See the medical conditions and disease areas that this research is targeting or investigating.',
  'Study Design':
    'Understand how the trial is structured, including allocation methods, masking strategies, primary purpose, and other design elements.',
  'Study Groups':
    'Review each arm or cohort in the study, along with the interventions and objectives associated with them.',
  Interventions:
    'Learn about the drugs, procedures, or behavioral strategies being tested and how they are applied within this trial.',
  'Eligibility Criteria':
    'Check the participation requirements, including inclusion and exclusion rules, age limits, and whether healthy volunteers are accepted.',
  Sponsors: 'Meet the organizations funding or collaborating on the study and learn about their roles.',
  'Responsible Party':
    'Identify the individual or organization who holds primary responsibility for the study information submitted to regulators.',
  'Principal Investigators':
    'Learn about the lead researchers overseeing the trial and their institutional affiliations.',
  Locations: 'Explore where the study is taking place and check the recruitment status at each participating site.',
  Countries: 'Review the countries where the study has at least one active or historical site.',
  'Central Contacts': 'Reach out to these primary contacts for questions about participation or study logistics.',
  'Facility Contacts': 'Find local site contact details for specific facilities participating in the trial.',
  References: 'Explore related publications, articles, or registry entries linked to this study.',
  'Other Identifiers': 'Review additional registry numbers or institutional identifiers associated with this trial.',
  'More Related Trials': 'Additional clinical trials that may be relevant based on similarity analysis.',
};

/** Drops the section's blurb, however the saved page wrapped it. */
const withoutBlurb = (heading: string, lines: string[]): string[] => {
  const blurb = SECTION_BLURBS[heading];
  if (!blurb) return lines;
  for (let count = 1; count <= lines.length; count++) {
    const text = cleanText(lines.slice(0, count).join(' ')) ?? '';
    if (text === blurb) return lines.slice(count);
    if (!blurb.startsWith(text)) break;
  }
  return lines;
};

// Without labels the page prints raw API v2 values, so a bare value must read back as itself.
const asPrinted =
  (read: (raw: string) => string | null) =>
  (line: string): string | null =>
    read(line) === line ? line : null;
const API_TOKENS = /^[A-Z][A-Z0-9_]*(?:\/[A-Z][A-Z0-9_]*)*$/;
const bareDate = (line: string): DateStruct | null => (/^\d{4}-\d{2}-\d{2}$/.test(line) ? toDateStruct(line) : null);

interface BasicInformation {
  overallStatus: string;
  phases: string[];
  enrollment: number;
  studyType: string;
  startDate: DateStruct;
  completionDate: DateStruct;
}

const BASIC_INFORMATION: FieldReaders<BasicInformation> = {
  overallStatus: { label: 'Recruitment Status', read: toOverallStatus, bare: asPrinted(toOverallStatus) },
  phases: { label: 'Clinical Phase', read: toPhases, bare: (line) => (API_TOKENS.test(line) ? toPhases(line) : null) },
  enrollment: {
    label: 'Total Enrollment',
    read: readCount,
    bare: (line) => (/^\d+ participants$/.test(line) ? readCount(line) : null),
  },
  studyType: { label: 'Study Classification', read: toStudyType, bare: asPrinted(toStudyType) },
  startDate: { label: 'Study Start Date', read: toDateStruct, bare: bareDate, kind: 'date' },
  completionDate: { label: 'Study Completion Date', read: toDateStruct, bare: bareDate, kind: 'date' },
};

type DesignFields = Pick<Design, 'allocation' | 'interventionModel' | 'primaryPurpose' | 'masking'>;

const STUDY_DESIGN: FieldReaders<{ [K in keyof DesignFields]: string }> = {
  allocation: { label: 'Allocation Method', read: toAllocation, bare: asPrinted(toAllocation) },
  interventionModel: { label: 'Intervention Model', read: toInterventionModel, bare: asPrinted(toInterventionModel) },
  primaryPurpose: { label: 'Primary Study Purpose', read: toPrimaryPurpose, bare: asPrinted(toPrimaryPurpose) },
  masking: { label: 'Blinding Strategy', read: toMasking, bare: asPrinted(toMasking) },
};

const bareAge = (line: string): string | null =>
  /^\d+ (Year|Month|Week|Day|Hour|Minute)s?$/.test(line) ? toAge(line) : null;

const ELIGIBILITY: FieldReaders<{ minimumAge: string; maximumAge: string; sex: string; healthyVolunteers: boolean }> = {
  minimumAge: { label: 'Minimum Eligible Age', read: toAge, bare: bareAge, kind: 'age' },
  maximumAge: { label: 'Maximum Eligible Age', read: toAge, bare: bareAge, kind: 'age' },
  sex: { label: 'Eligible Sex', read: toSex, bare: asPrinted(toSex) },
  healthyVolunteers: {
    label: 'Accepts Healthy Volunteers',
    read: toHealthyVolunteers,
    bare: (line) => (/^(Yes|No)$/.test(line) ? toHealthyVolunteers(line) : null),
  },
};

const readFields = <T extends object>(lines: readonly string[], readers: FieldReaders<T>): FieldValues<T> =>
  hasAnyLabel(lines, readers) ? readByLabel(lines, readers) : readByShape(lines, readers);

/** Criteria run until the first eligibility label or, on an unlabelled page, until the trailing bare values. */
const eligibilityOf = (lines: string[]): Eligibility => {
  const labelled = firstLabelledLine(lines, ELIGIBILITY);
  const criteriaEnd = labelled >= 0 ? labelled : startOfBareTail(lines, ELIGIBILITY);
  const fields = readFields(lines.slice(criteriaEnd), ELIGIBILITY);
  return { ...fields, criteria: criteriaText(lines.slice(0, criteriaEnd)) };
};

interface DescribedIntervention extends Intervention {
  description: string[];
}

/** Each intervention is its name, its description, then `Intervention Type X`. */
const interventionsOf = (lines: string[]): DescribedIntervention[] | null => {
  const { chunks, rest } = splitAtAnchors(lines, { 'Intervention Type': toInterventionType });
  if (chunks.length === 0 || rest.length > 0 || chunks.some((chunk) => chunk.lines.length === 0)) return null;
  return chunks.map((chunk) => ({ type: chunk.value, name: chunk.lines[0]!, description: chunk.lines.slice(1) }));
};

const startsWithLines = (lines: readonly string[], prefix: readonly string[]): boolean =>
  prefix.every((line, index) => lines[index] === line);

/**
 * Each group is its label, its description, `Group Type X`, then its interventions as name,
 * `Intervention Type X` and the intervention's description. Where a group's label starts is known only by
 * skipping the previous intervention's description, which the Interventions section gives.
 */
const armGroupsOf = (lines: string[], interventions: DescribedIntervention[] | null): ArmGroup[] | null => {
  const { chunks, rest } = splitAtAnchors(lines, {
    'Group Type': toArmGroupType,
    'Intervention Type': toInterventionType,
  });
  if (chunks.length === 0) return null;
  const groups: ArmGroup[] = [];
  let previousDescription: string[] = [];
  for (const chunk of chunks) {
    if (!startsWithLines(chunk.lines, previousDescription)) return null;
    const body = chunk.lines.slice(previousDescription.length);
    previousDescription = [];
    if (chunk.anchor === 'Group Type') {
      if (body.length === 0) return null;
      groups.push({ label: body[0]!, type: chunk.value });
    } else {
      const intervention = body.length === 1 ? interventions?.find((known) => known.name === body[0]) : undefined;
      if (!intervention) return null;
      previousDescription = intervention.description;
    }
  }
  return rest.length === previousDescription.length && startsWithLines(rest, previousDescription) ? groups : null;
};

/** An organisation is its name and, when shown, its agency class (`OTHER`, `INDUSTRY`). */
const sponsorOf = ([name, agencyClass, ...extra]: string[]): Sponsor | null => {
  if (name === undefined || extra.length > 0) return null;
  if (agencyClass === undefined) return { name, class: null };
  const known = API_TOKENS.test(agencyClass) ? toAgencyClass(agencyClass) : null;
  return known ? { name, class: known } : null;
};

const toSponsorRole = (raw: string): string | null => (/^(lead|collaborator)$/i.test(raw) ? raw.toLowerCase() : null);

/**
 * With role labels the section lists every organisation and its role. Without them, a single organisation
 * must be the lead (every record has one) and there are then no collaborators; several are not told apart.
 */
const sponsorsOf = (lines: string[]): { leadSponsor: Sponsor | null; collaborators: Sponsor[] | null } => {
  const unknown = { leadSponsor: null, collaborators: null };
  const { chunks, rest } = splitAtAnchors(lines, { 'Sponsor Role': toSponsorRole });
  if (chunks.length === 0) {
    const only = sponsorOf(rest);
    return only ? { leadSponsor: only, collaborators: [] } : unknown;
  }
  const entries = chunks.map((chunk) => ({ sponsor: sponsorOf(chunk.lines), role: chunk.value }));
  if (rest.length > 0 || entries.some((entry) => entry.sponsor === null || entry.role === null)) return unknown;
  const withRole = (role: string): Sponsor[] =>
    entries.filter((entry) => entry.role === role).map((entry) => entry.sponsor!);
  const leads = withRole('lead');
  return { leadSponsor: leads.length === 1 ? leads[0]! : null, collaborators: withRole('collaborator') };
};

/** `Beijing, Beijing Municipality, China` / `Tehran, , Iran` / `Seoul, , Korea, Republic of`: city, state, country. */
const placeOf = (address: string): Pick<Location, 'city' | 'state' | 'country'> => {
  const parts = withCountryQualifier(address.split(',').map((part) => cleanText(part)));
  if (parts.length === 3) return { city: parts[0]!, state: parts[1]!, country: parts[2]! };
  if (parts.length === 2) return { city: parts[0]!, state: null, country: parts[1]! };
  return { city: null, state: null, country: null };
};

/** Each site is its facility, its `city, state, country` line, then `Site Status` and the status, if any. */
const locationsOf = (lines: string[]): Location[] | null => {
  const { chunks, rest } = splitAtAnchors(lines, { 'Site Status': toOverallStatus });
  if (rest.length > 0 || chunks.some((chunk) => chunk.lines.length !== 2)) return null;
  return chunks.map(({ lines: [facility, address], value }) => ({
    facility: facility!,
    ...placeOf(address!),
    status: value,
  }));
};

const toIdentifierSource = (raw: string): string | null =>
  /^(org_study_id|secondary_id)$/i.test(raw) ? raw.toLowerCase() : null;

/** Each identifier is its value, `Identifier Type X` (`-` for none), then `Identifier Source org_study_id|secondary_id`. */
const secondaryIdsOf = (lines: string[]): SecondaryId[] | null => {
  const { chunks, rest } = splitAtAnchors(lines, { 'Identifier Source': toIdentifierSource });
  if (rest.length > 0) return null;
  const ids: SecondaryId[] = [];
  for (const chunk of chunks) {
    const [id, typeLine, ...extra] = chunk.lines;
    const type = typeLine === undefined ? '-' : afterLabel(typeLine, 'Identifier Type');
    if (id === undefined || type === undefined || extra.length > 0 || chunk.value === null) return null;
    ids.push({
      id,
      type: chunk.value === 'org_study_id' ? 'ORG_STUDY_ID' : type === '-' ? null : toEnumValue(type),
      domain: null,
    });
  }
  return ids;
};

/**
 * Each official is its name, `Role: X`, then its affiliation when the page gives one. Only the role lines
 * tell one official's affiliation from the next one's name: before the first there is a name, between two
 * an affiliation and a name or a name alone, after the last at most an affiliation; else the list is unknown.
 */
const officialsOf = (lines: string[]): Official[] | null => {
  const { chunks, rest } = splitAtAnchors(lines, { Role: toOfficialRole });
  if (chunks.length === 0 || rest.length > 1) return null;
  const officials: Official[] = [];
  for (const chunk of chunks) {
    const previous = officials.at(-1);
    if (chunk.lines.length === 0 || chunk.lines.length > (previous ? 2 : 1)) return null;
    if (previous && chunk.lines.length === 2) previous.affiliation = chunk.lines[0]!;
    officials.push({ name: chunk.lines.at(-1)!, affiliation: null, role: chunk.value });
  }
  if (rest.length === 1) officials.at(-1)!.affiliation = rest[0]!;
  return officials;
};

const REFERENCE_DETAILS = {
  type: { label: 'Reference Type', read: toReferenceType },
  pmid: { label: 'PMID', read: (raw: string) => toPmid(raw.replace(/\s*\(View on PubMed\)$/i, '')) },
} as const;

/**
 * Each reference is its citation, then `Reference Type X` and `PMID: N (View on PubMed)` when the page gives
 * them. A type or PubMed ID before any citation, or twice after one, leaves the list unknown.
 */
const referencesOf = (lines: string[]): Reference[] | null => {
  const references: Reference[] = [];
  let given = new Set<keyof typeof REFERENCE_DETAILS>();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const detail = (['type', 'pmid'] as const).find((key) => hasLabel([line], REFERENCE_DETAILS[key].label));
    if (detail === undefined) {
      references.push({ pmid: null, type: null, citation: line });
      given = new Set();
      continue;
    }
    const current = references.at(-1);
    if (!current || given.has(detail)) return null;
    given.add(detail);
    const { label, read } = REFERENCE_DETAILS[detail];
    const rest = afterLabel(line, label)!;
    const next = lines[index + 1];
    // A bare label has its value on the next line, when that line reads as one.
    const value = rest !== '' ? read(rest) : next !== undefined ? read(next) : null;
    if (rest === '' && value !== null) index++;
    current[detail] = value;
  }
  return references;
};

const resultsPostedOf = (lines: string[]): boolean | null =>
  lines.some((line) => /^Results pending$/i.test(line) || /has not published outcome measurements/i.test(line))
    ? false
    : null;

const ownNctIdOf = (lines: string[]): { nctId: string; line: number } | null => {
  for (const [index, line] of lines.entries()) {
    const value = afterLabel(line, 'NCT ID');
    if (value !== undefined && /^NCT\d{8}$/i.test(value)) return { nctId: parseNctId(value), line: index };
  }
  return null;
};

export const parseRegistryMirrorPage = (text: string): TrialFacts => {
  const lines = pageLines(text);
  if (!hasLayoutMarkers(lines, 'registry-mirror')) {
    throw new SnapshotParseError('snapshot.not-a-trial-record', 'The text is not a registry mirror trial page', {});
  }
  const own = ownNctIdOf(lines);
  if (!own) {
    throw new SnapshotParseError('snapshot.missing-nct-id', 'The registry mirror page has no "NCT ID:" line', {});
  }
  const { sections } = splitSections(lines, Object.keys(SECTION_BLURBS));
  const section = (heading: string): string[] | null => {
    const content = sections.get(heading);
    return content ? withoutBlurb(heading, content) : null;
  };
  const present = (heading: string): string[] | null => {
    const content = section(heading);
    return content && content.length > 0 ? content : null;
  };

  const titleLine = lines[own.line - 1];
  const briefTitle = titleLine !== undefined && !sections.has(titleLine) ? titleLine : null;
  const basicLines = section('Basic Information');
  const basic = basicLines ? readFields(basicLines, BASIC_INFORMATION) : null;
  const designLines = section('Study Design');
  const eligibilityLines = section('Eligibility Criteria');
  const sponsorLines = section('Sponsors');
  const locationLines = section('Locations');
  const identifierLines = present('Other Identifiers');
  const officialLines = present('Principal Investigators');
  const referenceLines = present('References');
  const resultLines = section('Study Results');
  const summaryLines = section('Brief Summary');
  const prose = [briefTitle, ...(summaryLines ?? []), ...(section('Detailed Description') ?? [])].join('\n');
  // Conditions, interventions and groups are required on every record: an empty section hides them.
  const conditionLines = present('Conditions');
  const interventionLines = present('Interventions');
  const interventions = interventionLines ? interventionsOf(interventionLines) : null;
  const groupLines = present('Study Groups');
  const { leadSponsor, collaborators } = sponsorLines
    ? sponsorsOf(sponsorLines)
    : { leadSponsor: null, collaborators: null };

  return {
    ...emptyFacts(own.nctId),
    briefTitle,
    briefSummary: paragraphsText(summaryLines),
    overallStatus: basic?.overallStatus ?? null,
    startDate: basic?.startDate ?? null,
    completionDate: basic?.completionDate ?? null,
    lastUpdatePostDate: readLabelled(lines, 'Last Updated', (raw) => toDateStruct(raw)),
    hasResults: resultLines ? resultsPostedOf(resultLines) : null,
    enrollment: basic?.enrollment != null ? { count: basic.enrollment, type: null } : null,
    studyType: basic?.studyType ?? null,
    phases: basic?.phases ?? null,
    design: designLines
      ? { ...readFields(designLines, STUDY_DESIGN), observationalModel: null, timePerspective: null }
      : null,
    conditions: conditionLines ? termsOfLines(conditionLines, prose, 'inline') : null,
    interventions: interventions?.map(({ type, name }) => ({ type, name })) ?? null,
    armGroups: groupLines ? armGroupsOf(groupLines, interventions) : null,
    eligibility: eligibilityLines ? eligibilityOf(eligibilityLines) : null,
    leadSponsor,
    collaborators,
    locations: locationLines ? locationsOf(locationLines) : null,
    secondaryIds: identifierLines ? secondaryIdsOf(identifierLines) : null,
    overallOfficials: officialLines ? officialsOf(officialLines) : null,
    references: referenceLines ? referencesOf(referenceLines) : null,
  };
};
