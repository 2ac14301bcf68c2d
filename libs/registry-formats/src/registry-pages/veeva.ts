import { emptyFacts, parseNctId, type ArmGroup, type Eligibility, type TrialFacts } from '@app/domain';
import { SnapshotParseError } from '../errors.js';
import {
  toAge,
  toAgencyClass,
  toAllocation,
  toArmGroupType,
  toHealthyVolunteers,
  toInterventionModel,
  toMasking,
  toOverallStatus,
  toPhases,
  sortPhases,
  toPrimaryPurpose,
  toSex,
  toStudyType,
} from '../vocabulary.js';
import { hasLayoutMarkers } from './detect-page-layout.js';
import { criteriaText, pageLines, paragraphsText, readCount, splitSections, type PageSections } from './page-lines.js';
import { termsOfLines } from './run-together-terms.js';
import { typedInterventions } from './typed-interventions.js';

/*
 * A ClinicalTrials.Veeva trial page: the title and the sponsor under the site's header, then short
 * headings ("Status and phase", "Conditions", ...) each followed by its values, one a line.
 */

const HEADINGS = [
  'Status and phase',
  'Conditions',
  'Treatments',
  'Study type',
  'Funder types',
  'Identifiers',
  'Details and patient eligibility',
  'About',
  'Full description',
  'Enrollment',
  'Sex',
  'Ages',
  'Volunteers',
  'Inclusion and exclusion criteria',
  'Trial design',
  'Primary purpose',
  'Allocation',
  'Interventional model',
  'Masking',
  'Observational model',
  'Time perspective',
  'Trial contacts and locations',
  'Central trial contact',
  'Data sourced from clinicaltrials.gov',
  'Clinical trials',
];

const SITE_CHROME = /^(ClinicalTrials\.Veeva|Menu)$/i;
/** The sponsor's logo placeholder: its initial. */
const LOGO_INITIAL = /^[A-Z0-9]{1,2}$/;

/** The header ends with the title, the sponsor's logo initial and the sponsor's name. */
const headerOf = (prelude: readonly string[]): { title: string | null; sponsor: string | null } => {
  const lastChrome = prelude.findLastIndex((line) => SITE_CHROME.test(line));
  const header = prelude.slice(lastChrome + 1);
  const logo = header.findIndex((line) => LOGO_INITIAL.test(line));
  if (logo > 0 && logo === header.length - 2) return { title: header[logo - 1]!, sponsor: header[logo + 1]! };
  const text = header.filter((line) => !LOGO_INITIAL.test(line));
  return text.length >= 2 ? { title: text.at(-2)!, sponsor: text.at(-1)! } : { title: null, sponsor: null };
};

const firstValue = <T>(lines: readonly string[] | undefined, read: (raw: string) => T | null): T | null =>
  lines?.length ? read(lines[0]!) : null;

/** `40 to 75 years old`, `18+ years old`, `Up to 17 years old`. */
const agesOf = (raw: string): Pick<Eligibility, 'minimumAge' | 'maximumAge'> => {
  const text = raw.replace(/\s+old$/i, '');
  let match = /^(\d+)\s+to\s+(\d+)\s+(\w+)$/i.exec(text);
  if (match) return { minimumAge: toAge(`${match[1]} ${match[3]}`), maximumAge: toAge(`${match[2]} ${match[3]}`) };
  match = /^(\d+)\+\s+(\w+)$/i.exec(text);
  if (match) return { minimumAge: toAge(`${match[1]} ${match[2]}`), maximumAge: null };
  match = /^up to\s+(\d+)\s+(\w+)$/i.exec(text);
  if (match) return { minimumAge: null, maximumAge: toAge(`${match[1]} ${match[2]}`) };
  return { minimumAge: null, maximumAge: null };
};

const eligibilityOf = (sections: PageSections['sections']): Eligibility | null => {
  const shown = ['Sex', 'Ages', 'Volunteers', 'Inclusion and exclusion criteria'].some((heading) =>
    sections.has(heading),
  );
  if (!shown) return null;
  return {
    ...(firstValue(sections.get('Ages'), agesOf) ?? { minimumAge: null, maximumAge: null }),
    sex: firstValue(sections.get('Sex'), toSex),
    healthyVolunteers: firstValue(sections.get('Volunteers'), toHealthyVolunteers),
    criteria: criteriaText(sections.get('Inclusion and exclusion criteria') ?? []),
  };
};

const ARM_TYPE_LINE = /^(.+) group$/i;
const GROUPS_LINE = /^\d+ participants? in (\d+) patient groups?$/i;

/**
 * After "N participants in M patient groups", each group is its label, `<Type> group`, `Description:` and
 * `Treatment:` lists. The groups are known only when exactly M labels are found.
 */
const armGroupsOf = (lines: readonly string[]): ArmGroup[] | null => {
  const start = lines.findIndex((line) => GROUPS_LINE.test(line));
  if (start < 0) return null;
  const expected = Number(GROUPS_LINE.exec(lines[start]!)![1]);
  const end = lines.findIndex(
    (line, index) => index > start && HEADINGS.some((h) => h.toLowerCase() === line.toLowerCase()),
  );
  const groupLines = lines.slice(start + 1, end < 0 ? lines.length : end);
  const groups: ArmGroup[] = [];
  groupLines.forEach((line, index) => {
    const type = toArmGroupType(ARM_TYPE_LINE.exec(line)?.[1]);
    const label = groupLines[index - 1];
    if (type && label && !/:$/.test(label)) groups.push({ label, type });
  });
  return groups.length === expected ? groups : null;
};

/** Funder types cover every funder; when there is only one type, it is the lead sponsor's class too. */
const sponsorClassOf = (lines: readonly string[] | undefined): string | null => {
  const classes = new Set((lines ?? []).map((line) => toAgencyClass(line)));
  return classes.size === 1 ? [...classes][0]! : null;
};

export const parseVeevaPage = (text: string): TrialFacts => {
  const lines = pageLines(text);
  if (!hasLayoutMarkers(lines, 'veeva')) {
    throw new SnapshotParseError(
      'snapshot.not-a-trial-record',
      'The text is not a ClinicalTrials.Veeva trial page',
      {},
    );
  }
  const { prelude, sections } = splitSections(lines, HEADINGS);
  // Identifiers list the NCT ID beside the sponsor's own identifiers, in any order.
  const nctId = sections.get('Identifiers')?.find((line) => /^NCT\d{8}$/i.test(line));
  if (!nctId) {
    throw new SnapshotParseError('snapshot.missing-nct-id', 'The Veeva page lists no NCT ID under "Identifiers"', {});
  }
  const { title, sponsor } = headerOf(prelude);
  const statusAndPhase = sections.get('Status and phase') ?? [];
  const phases = statusAndPhase.map((line) => toPhases(line)).filter((value) => value !== null);
  const enrollment = firstValue(sections.get('Enrollment'), readCount);
  const conditionLines = sections.get('Conditions');
  const prose = [title, ...(sections.get('About') ?? []), ...(sections.get('Full description') ?? [])].join('\n');
  const designShown = ['Primary purpose', 'Allocation', 'Interventional model', 'Masking'].some((h) => sections.has(h));

  return {
    ...emptyFacts(parseNctId(nctId)),
    briefTitle: title,
    briefSummary: paragraphsText(sections.get('About')),
    overallStatus: statusAndPhase.map(toOverallStatus).find((status) => status !== null) ?? null,
    enrollment: enrollment === null ? null : { count: enrollment, type: null },
    studyType: firstValue(sections.get('Study type'), toStudyType),
    phases: phases.length > 0 ? sortPhases(phases.flat()) : null,
    design: designShown
      ? {
          allocation: firstValue(sections.get('Allocation'), toAllocation),
          interventionModel: firstValue(sections.get('Interventional model'), toInterventionModel),
          primaryPurpose: firstValue(sections.get('Primary purpose'), toPrimaryPurpose),
          masking: firstValue(sections.get('Masking'), toMasking),
          observationalModel: null,
          timePerspective: null,
        }
      : null,
    conditions: conditionLines ? termsOfLines(conditionLines, prose, 'line-per-term') : null,
    interventions: sections.get('Treatments')?.flatMap(typedInterventions) ?? null,
    armGroups: armGroupsOf(lines),
    eligibility: eligibilityOf(sections),
    leadSponsor: sponsor ? { name: sponsor, class: sponsorClassOf(sections.get('Funder types')) } : null,
    // The sponsor's own identifiers, without saying which is which: no type.
    secondaryIds:
      sections
        .get('Identifiers')
        ?.filter((line) => !/^NCT\d{8}$/i.test(line))
        .map((id) => ({ id, type: null, domain: null })) ?? null,
  };
};
