import { ENTITY_ACTION, EntityDecoder } from '@nodable/entities';
import { XMLParser, XMLValidator, type EntityDecoderOptions } from 'fast-xml-parser';
import { HTML, XML, isUnsafe } from 'is-unsafe';
import type {
  Design,
  FactField,
  Location,
  Official,
  Outcome,
  Reference,
  SecondaryId,
  Sponsor,
  TrialFacts,
} from '@app/domain';
import { COMPLETE_RECORD_FIELDS, emptyFacts, isNctId } from '@app/domain';
import { SnapshotParseError } from '../errors.js';
import { firstSubmissionAwaitingReview, type SubmissionEvent } from '../results-submission.js';
import {
  cleanBlock,
  namesAPlace,
  cleanText,
  reflowParagraphs,
  toAge,
  toAgencyClass,
  toAllocation,
  toArmGroupType,
  toDateStruct,
  toDateType,
  toEnumValue,
  toHealthyVolunteers,
  toInterventionModel,
  toInterventionType,
  toMasking,
  toOverallStatus,
  toPartialDate,
  toPhases,
  toPmid,
  toPrimaryPurpose,
  toSex,
  toStudyType,
} from '../vocabulary.js';

type Node = Record<string, unknown>;

const REPEATED = new Set([
  'condition',
  'keyword',
  'intervention',
  'arm_group',
  'primary_outcome',
  'secondary_outcome',
  'other_outcome',
  'location',
  'collaborator',
  'overall_official',
  'mesh_term',
  'link',
  'reference',
  'results_reference',
  'secondary_id',
  'nct_alias',
  'pending_results',
]);

/** The entities XML defines itself; any other must be declared in the document's DTD. */
const XML_ENTITIES = new Set(['lt', 'gt', 'amp', 'apos', 'quot']);

/**
 * Decodes text as XML defines it, with fast-xml-parser's own decoder (`@nodable/entities`): the five XML
 * entities, those the document declares, and character references (`&#246;`, `&#x2019;`), which the
 * parser's built-in decoder only reads when it also reads HTML's named entities. A reference to an
 * entity that is not defined (`&nbsp;` without a DTD) makes the document not well-formed, so it is
 * refused rather than kept as text. Declared entities are vetted as the parser's own decoder does.
 */
class XmlEntityDecoder implements EntityDecoderOptions {
  private readonly decoder = new EntityDecoder({
    numericAllowed: true,
    limit: { maxExpandedLength: 100_000, applyLimitsTo: 'all' },
    onInputEntity: (_name, value) => (isUnsafe(value, [HTML, XML]) ? ENTITY_ACTION.BLOCK : ENTITY_ACTION.ALLOW),
  });
  private declared = new Set<string>();

  setExternalEntities(entities: Record<string, string>): void {
    this.decoder.setExternalEntities(entities);
    for (const name of Object.keys(entities)) this.declared.add(name);
  }

  addInputEntities(entities: Record<string, string>): void {
    this.decoder.addInputEntities(entities);
    for (const name of Object.keys(entities)) this.declared.add(name);
  }

  reset(): void {
    this.decoder.reset();
    this.declared = new Set();
  }

  setXmlVersion(version: number): void {
    this.decoder.setXmlVersion(version);
  }

  decode(text: string): string {
    for (const [, name] of text.matchAll(/&([^\s&;#]+);/g)) {
      if (!XML_ENTITIES.has(name!) && !this.declared.has(name!)) {
        throw new Error(`the entity &${name}; is not defined (XML defines only &lt; &gt; &amp; &apos; &quot;)`);
      }
    }
    return this.decoder.decode(text);
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  // Trimmed per element (`text`), not per run: runs around CDATA sections and comments keep their spaces.
  trimValues: false,
  processEntities: true,
  entityDecoder: new XmlEntityDecoder(),
  isArray: (name, jpath) => REPEATED.has(name) || String(jpath).endsWith('location_countries.country'),
});

const node = (value: unknown): Node | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
const nodes = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** Text of an element that may carry attributes (`<enrollment type="Anticipated">500</enrollment>`). */
const text = (value: unknown): string | null => {
  const raw = typeof value === 'string' ? value : node(value)?.['#text'];
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  return trimmed === '' ? null : trimmed;
};
const attribute = (value: unknown, name: string): string | null => {
  const raw = node(value)?.[`@${name}`];
  return typeof raw === 'string' ? raw : null;
};
const textblock = (value: unknown): string | null => text(node(value)?.['textblock'] ?? value);

export const isLegacyXml = (content: string): boolean => /<clinical_study[\s>]/.test(content.slice(0, 4096));

/** `key: value` pairs of the pre-2017 `<study_design>` sentence, e.g. `Allocation: Randomized, Masking: Double Blind (Subject, Investigator)`. */
const parseDesignSentence = (sentence: string): Map<string, string> =>
  new Map(
    sentence
      .split(/,\s*(?=[A-Z][A-Za-z ]+:)/)
      .map((part) => part.split(/:\s*/, 2) as [string, string])
      .filter((pair) => pair.length === 2)
      .map(([key, value]) => [key.trim().toLowerCase(), value.trim()]),
  );

const design = (study: Node): Design | null => {
  const info = node(study['study_design_info']);
  if (info) {
    return {
      allocation: toAllocation(text(info['allocation'])),
      interventionModel: toInterventionModel(text(info['intervention_model'])),
      primaryPurpose: toPrimaryPurpose(text(info['primary_purpose'])),
      masking: toMasking(text(info['masking'])),
      observationalModel: toEnumValue(text(info['observational_model'])),
      timePerspective: toEnumValue(text(info['time_perspective'])),
    };
  }
  const sentence = text(study['study_design']);
  if (!sentence) return null;
  const pairs = parseDesignSentence(sentence);
  return {
    allocation: toAllocation(pairs.get('allocation')),
    interventionModel: toInterventionModel(pairs.get('intervention model')),
    primaryPurpose: toPrimaryPurpose(pairs.get('primary purpose')),
    masking: toMasking(pairs.get('masking')),
    observationalModel: toEnumValue(pairs.get('observational model')),
    timePerspective: toEnumValue(pairs.get('time perspective')),
  };
};

const outcomes = (value: unknown): Outcome[] =>
  nodes(value).flatMap((item) => {
    const measure = cleanText(text(node(item)?.['measure']));
    return measure ? [{ measure, timeFrame: cleanText(text(node(item)?.['time_frame'])) }] : [];
  });

const sponsor = (value: unknown): Sponsor | null => {
  const name = cleanText(text(node(value)?.['agency']));
  return name ? { name, class: toAgencyClass(text(node(value)?.['agency_class'])) } : null;
};

const locations = (value: unknown): Location[] =>
  nodes(value)
    .map((item): Location => {
      const facility = node(node(item)?.['facility']);
      const address = node(facility?.['address']);
      return {
        facility: cleanText(text(facility?.['name'])),
        city: cleanText(text(address?.['city'])),
        state: cleanText(text(address?.['state'])),
        country: cleanText(text(address?.['country'])),
        status: toOverallStatus(text(node(item)?.['status'])),
      };
    })
    .filter(namesAPlace);

const secondaryIds = (info: Node | undefined): SecondaryId[] => {
  const ids: SecondaryId[] = [];
  const org = cleanText(text(info?.['org_study_id']));
  if (org) ids.push({ id: org, type: 'ORG_STUDY_ID', domain: null });
  for (const item of nodes(info?.['secondary_id'])) {
    const id = cleanText(text(item));
    if (id) ids.push({ id, type: null, domain: null });
  }
  return ids;
};

/**
 * `<results_reference>`s report the trial's results (API v2's RESULT); a `<reference>` may be background
 * reading or a publication the registry linked from PubMed (BACKGROUND or DERIVED), which the format
 * does not tell apart: its type is left unknown.
 */
const references = (study: Node): Reference[] =>
  [
    ...nodes(study['reference']).map((item) => [item, null] as const),
    ...nodes(study['results_reference']).map((item) => [item, 'RESULT'] as const),
  ].flatMap(([item, type]) => {
    const citation = cleanText(text(node(item)?.['citation']));
    return citation ? [{ pmid: toPmid(text(node(item)?.['PMID'])), type, citation }] : [];
  });

/** The name as its parts give it (public records put it all in `<last_name>`), with the degrees. */
const officials = (study: Node): Official[] =>
  nodes(study['overall_official']).flatMap((item) => {
    const official = node(item);
    const part = (tag: string) => cleanText(text(official?.[tag]));
    const name = [part('first_name'), part('middle_name'), part('last_name')].filter(Boolean).join(' ');
    if (!name) return [];
    const degrees = part('degrees');
    return [
      {
        name: degrees ? `${name}, ${degrees}` : name,
        affiliation: part('affiliation'),
        role: toEnumValue(part('role')),
      },
    ];
  });

const yesNo = (value: unknown): boolean | null => {
  const answer = text(value)?.toLowerCase();
  return answer === 'yes' ? true : answer === 'no' ? false : null;
};

/** The 2017 records' drug and device flags, or the single flag of earlier ones; null when the record has none. */
const fdaRegulated = (study: Node): boolean | null => {
  const oversight = node(study['oversight_info']);
  const flags = [
    yesNo(oversight?.['is_fda_regulated_drug']),
    yesNo(oversight?.['is_fda_regulated_device']),
    yesNo(study['is_fda_regulated']),
  ].filter((flag): flag is boolean => flag !== null);
  return flags.length === 0 ? null : flags.some(Boolean);
};

/** `<pending_results>`' elements, as the kinds both formats show. */
const PENDING_RESULTS_KINDS = new Map<string, SubmissionEvent['kind']>([
  ['submitted', 'submitted'],
  ['returned', 'returned'],
  ['submission_canceled', 'canceled'],
]);

/** The events of the `<pending_results>` the record shows, each holding a `<submitted>`, `<returned>` or `<submission_canceled>` date. */
const pendingResults = (study: Node): SubmissionEvent[] =>
  nodes(study['pending_results']).flatMap((item) =>
    Object.entries(node(item) ?? {}).flatMap(([tag, value]) =>
      PENDING_RESULTS_KINDS.has(tag)
        ? nodes(value).map((event) => ({ kind: PENDING_RESULTS_KINDS.get(tag)!, date: toPartialDate(text(event)) }))
        : [],
    ),
  );

const parseXml = (content: string): Node => {
  const validation = XMLValidator.validate(content);
  if (validation !== true) {
    const { line, col, msg } = validation.err;
    throw new SnapshotParseError(
      'snapshot.malformed',
      `The XML is not well-formed at line ${line}, column ${col}: ${msg}`,
      { line, col },
    );
  }
  try {
    return parser.parse(content) as Node;
  } catch (error) {
    // The parser's own limits (nesting depth, entity expansion, external entities) refuse hostile input.
    throw new SnapshotParseError('snapshot.malformed', `The XML cannot be read: ${(error as Error).message}`);
  }
};

/** The date ClinicalTrials.gov produced the file (`processed this data on June 29, 2016`), if it says. */
export const legacyXmlDocumentDate = (content: string): string | null => {
  const match = /processed this data on ([A-Za-z]+ \d{1,2}, \d{4})/.exec(content);
  return match ? toPartialDate(match[1]) : null;
};

/** The `<clinical_study>` of a legacy document with a valid NCT ID, which it refuses otherwise. */
const clinicalStudy = (content: string): { study: Node; nctId: string } => {
  const study = node(parseXml(content)['clinical_study']);
  if (!study) {
    throw new SnapshotParseError(
      'snapshot.not-a-trial-record',
      'The XML document has no <clinical_study> root element',
    );
  }
  const nctId = text(node(study['id_info'])?.['nct_id'])?.trim().toUpperCase();
  if (!nctId || !isNctId(nctId)) {
    throw new SnapshotParseError(
      'snapshot.missing-nct-id',
      nctId ? `<id_info><nct_id> "${nctId}" is not an NCT ID` : 'The <clinical_study> has no <id_info><nct_id>',
    );
  }
  return { study, nctId };
};

/** The facts of a `<clinical_study>`. */
const studyFacts = ({ study, nctId }: { study: Node; nctId: string }): TrialFacts => {
  const eligibility = node(study['eligibility']);
  const enrollment = study['enrollment'];
  const enrollmentCount = text(enrollment);
  const sponsors = node(study['sponsors']);
  const dateOf = (...tags: string[]) => {
    const tag = tags.find((name) => study[name] !== undefined);
    return tag ? toDateStruct(text(study[tag]), attribute(study[tag], 'type')) : null;
  };
  const partialDateOf = (...tags: string[]) => dateOf(...tags)?.date ?? null;

  return {
    ...emptyFacts(nctId),
    briefTitle: cleanText(text(study['brief_title'])),
    officialTitle: cleanText(text(study['official_title'])),
    acronym: cleanText(text(study['acronym'])),
    briefSummary: reflowParagraphs(textblock(study['brief_summary'])),
    overallStatus: toOverallStatus(text(study['overall_status'])),
    lastKnownStatus: toOverallStatus(text(study['last_known_status'])),
    whyStopped: cleanText(text(study['why_stopped'])),
    statusVerifiedDate: toPartialDate(text(study['verification_date'])),
    startDate: dateOf('start_date'),
    primaryCompletionDate: dateOf('primary_completion_date'),
    completionDate: dateOf('completion_date'),
    studyFirstSubmitDate: partialDateOf('study_first_submitted', 'firstreceived_date'),
    studyFirstPostDate: dateOf('study_first_posted'),
    lastUpdateSubmitDate: partialDateOf('last_update_submitted', 'lastchanged_date'),
    lastUpdatePostDate: dateOf('last_update_posted'),
    resultsFirstSubmitDate:
      partialDateOf('results_first_submitted', 'firstreceived_results_date') ??
      firstSubmissionAwaitingReview(pendingResults(study)),
    resultsFirstPostDate: dateOf('results_first_posted'),
    hasResults: study['clinical_results'] !== undefined,
    enrollment:
      enrollment !== undefined
        ? {
            count: enrollmentCount && /^\d+$/.test(enrollmentCount.trim()) ? Number(enrollmentCount) : null,
            type: toDateType(attribute(enrollment, 'type')),
          }
        : null,
    studyType: toStudyType(text(study['study_type'])),
    phases: toPhases(text(study['phase'])),
    design: design(study),
    conditions: nodes(study['condition'])
      .map((item) => cleanText(text(item)))
      .filter((item): item is string => item !== null),
    keywords: nodes(study['keyword'])
      .map((item) => cleanText(text(item)))
      .filter((item): item is string => item !== null),
    interventions: nodes(study['intervention']).flatMap((item) => {
      const name = cleanText(text(node(item)?.['intervention_name']));
      return name ? [{ type: toInterventionType(text(node(item)?.['intervention_type'])), name }] : [];
    }),
    armGroups: nodes(study['arm_group']).flatMap((item) => {
      const label = cleanText(text(node(item)?.['arm_group_label']));
      return label ? [{ label, type: toArmGroupType(text(node(item)?.['arm_group_type'])) }] : [];
    }),
    primaryOutcomes: outcomes(study['primary_outcome']),
    secondaryOutcomes: outcomes(study['secondary_outcome']),
    eligibility: eligibility
      ? {
          minimumAge: toAge(text(eligibility['minimum_age'])),
          maximumAge: toAge(text(eligibility['maximum_age'])),
          sex: toSex(text(eligibility['gender'])),
          healthyVolunteers: toHealthyVolunteers(text(eligibility['healthy_volunteers'])),
          criteria: cleanBlock(textblock(eligibility['criteria'])),
        }
      : null,
    leadSponsor: sponsor(sponsors?.['lead_sponsor']),
    collaborators: sponsors
      ? nodes(sponsors['collaborator'])
          .map(sponsor)
          .filter((item): item is Sponsor => item !== null)
      : null,
    locations: locations(study['location']),
    secondaryIds: secondaryIds(node(study['id_info'])),
    references: references(study),
    overallOfficials: officials(study),
    nctIdAliases: nodes(node(study['id_info'])?.['nct_alias'])
      .map((item) => text(item)?.trim().toUpperCase() ?? null)
      .filter((item): item is string => item !== null && isNctId(item)),
    fdaRegulated: fdaRegulated(study),
  };
};

/**
 * Reads a legacy ClinicalTrials.gov `<clinical_study>` document, in both the pre-2017 date tag names
 * (`firstreceived_date`, `lastchanged_date`) and the later ones (`study_first_submitted`, `last_update_submitted`, ...).
 * A legacy record lists all its conditions, arms, outcomes, sponsors and sites: an absent list is a list of none.
 */
export const parseLegacyXml = (content: string): TrialFacts => studyFacts(clinicalStudy(content));

/*
 * A legacy record states every field but the day results were first submitted: it gives that day for
 * the results it shows, and its `<pending_results>` the submission awaiting review, which the format did
 * not always carry. A record showing neither does not say whether results were submitted (unknown). One
 * whose `<pending_results>` end in a cancellation, every date read, states that none awaits review (none);
 * one with a date it cannot read leaves it unknown.
 */
const LEGACY_XML_FIELDS = COMPLETE_RECORD_FIELDS.filter((field) => field !== 'resultsFirstSubmitDate');

/** A legacy document read, and the fields it states completely. */
export interface LegacyXmlRecord {
  facts: TrialFacts;
  definitive: readonly FactField[];
}

export const readLegacyXml = (content: string): LegacyXmlRecord => {
  const record = clinicalStudy(content);
  const facts = studyFacts(record);
  const pending = pendingResults(record.study);
  const statesSubmission =
    facts.resultsFirstSubmitDate !== null || (pending.length > 0 && pending.every((event) => event.date !== null));
  return { facts, definitive: statesSubmission ? COMPLETE_RECORD_FIELDS : LEGACY_XML_FIELDS };
};
