import type {
  DateStruct,
  FactField,
  Location,
  Official,
  Outcome,
  PartialDate,
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
  sortPhases,
  toAge,
  toDateType,
  toEnumValue,
  toPartialDate,
  toPmid,
} from '../vocabulary.js';

/* The subset of a ClinicalTrials.gov API v2 study document that trialwatch reads. */
type Json = Record<string, unknown>;

const object = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
const array = (value: unknown): unknown[] | undefined => (Array.isArray(value) ? value : undefined);
const string = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const strings = (value: unknown): string[] =>
  (array(value) ?? []).map((item) => cleanText(string(item))).filter((item): item is string => item !== null);

/** An age in the spelling every format's reader gives it (`1 Year`, `18 Years`); kept as written when it has another shape. */
const ageOf = (value: unknown): string | null => {
  const text = cleanText(string(value));
  return text === null ? null : (toAge(text) ?? text);
};

const dateStruct = (value: unknown): DateStruct | null => {
  const struct = object(value);
  const date = toPartialDate(string(struct?.['date']));
  return date ? { date, type: toDateType(string(struct?.['type'])) } : null;
};

const sponsor = (value: unknown): Sponsor | null => {
  const name = cleanText(string(object(value)?.['name']));
  return name ? { name, class: toEnumValue(string(object(value)?.['class'])) } : null;
};

const outcomes = (value: unknown): Outcome[] =>
  (array(value) ?? []).flatMap((item) => {
    const measure = cleanText(string(object(item)?.['measure']));
    return measure ? [{ measure, timeFrame: cleanText(string(object(item)?.['timeFrame'])) }] : [];
  });

const locations = (value: unknown): Location[] =>
  (array(value) ?? [])
    .map((item) => {
      const location = object(item) ?? {};
      return {
        facility: cleanText(string(location['facility'])),
        city: cleanText(string(location['city'])),
        state: cleanText(string(location['state'])),
        country: cleanText(string(location['country'])),
        status: toEnumValue(string(location['status'])),
      };
    })
    .filter(namesAPlace);

/** The publications a record cites; one without a citation names nothing. */
const references = (items: unknown[]): Reference[] =>
  items.flatMap((item) => {
    const reference = object(item) ?? {};
    const citation = cleanText(string(reference['citation']));
    return citation
      ? [{ pmid: toPmid(string(reference['pmid'])), type: toEnumValue(string(reference['type'])), citation }]
      : [];
  });

const officials = (items: unknown[]): Official[] =>
  items.flatMap((item) => {
    const official = object(item) ?? {};
    const name = cleanText(string(official['name']));
    return name
      ? [{ name, affiliation: cleanText(string(official['affiliation'])), role: toEnumValue(string(official['role'])) }]
      : [];
  });

export const isApiV2Study = (value: unknown): boolean => object(object(value)?.['protocolSection']) !== undefined;

/**
 * Whether a study document is a full record, as `GET /api/v2/studies/{nctId}` serves it, rather than
 * what a request with `fields=` returns. A full record always carries the top-level `hasResults` flag,
 * the derived section's `miscInfoModule` and a last-update-posted date with its type; a limited
 * document holds only the pieces asked for, and the registry drops the types of its date structs.
 * A history version (`{ studyVersion, study }`) is a full record of its time without a derived section.
 */
export const isCompleteApiV2Study = (study: unknown, { historyVersion = false } = {}): boolean => {
  const record = object(study);
  const status = object(object(record?.['protocolSection'])?.['statusModule']);
  return (
    typeof record?.['hasResults'] === 'boolean' &&
    (historyVersion || object(object(record?.['derivedSection'])?.['miscInfoModule']) !== undefined) &&
    string(object(status?.['lastUpdatePostDateStruct'])?.['type']) !== null
  );
};

/** A study document read, and the fields it states completely (every field for a full record, none otherwise). */
export interface ApiV2Record {
  facts: TrialFacts;
  definitive: readonly FactField[];
}

export const readApiV2Study = (study: unknown, options: { historyVersion?: boolean } = {}): ApiV2Record => {
  const complete = isCompleteApiV2Study(study, options);
  return { facts: parseApiV2Study(study, { complete }), definitive: complete ? COMPLETE_RECORD_FIELDS : [] };
};

/** The date the registry produced this version of the document, if it says. */
export const apiV2DocumentDate = (study: unknown): string | null =>
  toPartialDate(string(object(object(object(study)?.['derivedSection'])?.['miscInfoModule'])?.['versionHolder']));

/**
 * Reads one API v2 study document. In a full record (`complete`, the default when the shape says so)
 * a list it leaves out (no collaborators, no locations) is a list of none; in a document limited by
 * `fields=` it was not asked for, so it is unknown (null).
 */
/** The sponsor's own ID and the secondary IDs; null in a limited document that shows neither. */
const secondaryIds = (identification: Json, complete: boolean): SecondaryId[] | null => {
  const org = object(identification['orgStudyIdInfo']);
  const others = array(identification['secondaryIdInfos']);
  if (!org && !others) return complete ? [] : null;
  const ids: SecondaryId[] = [];
  const orgId = cleanText(string(org?.['id']));
  if (orgId) ids.push({ id: orgId, type: 'ORG_STUDY_ID', domain: null });
  for (const item of others ?? []) {
    const id = cleanText(string(object(item)?.['id']));
    if (id) {
      ids.push({
        id,
        type: toEnumValue(string(object(item)?.['type'])),
        domain: cleanText(string(object(item)?.['domain'])),
      });
    }
  }
  return ids;
};

/** Whether either FDA-regulated flag is set; null when the record carries neither. */
const fdaRegulated = (oversight: Json): boolean | null => {
  const flags = [oversight['isFdaRegulatedDrug'], oversight['isFdaRegulatedDevice']].filter(
    (flag): flag is boolean => typeof flag === 'boolean',
  );
  return flags.length === 0 ? null : flags.some(Boolean);
};

/** API v2's unposted event types, as the kinds both formats show. */
const SUBMISSION_EVENT_KINDS = new Map<string | null, SubmissionEvent['kind']>([
  ['RELEASE', 'submitted'],
  ['RESET', 'returned'],
  ['UNRELEASE', 'canceled'],
]);

/**
 * The day of the submission awaiting the registry's quality-control review, from the unposted
 * events: the first RELEASE (the sponsor submitting results) since the last UNRELEASE (the sponsor
 * taking it back); a RESET (the review returning it with comments) leaves it submitted. An event
 * without a date (`dateUnknown`) cannot be placed: it is left out.
 */
const pendingSubmissionDate = (events: unknown[]): PartialDate | null =>
  firstSubmissionAwaitingReview(
    events.map((item) => ({
      kind: SUBMISSION_EVENT_KINDS.get(toEnumValue(string(object(item)?.['type']))) ?? null,
      date: toPartialDate(string(object(item)?.['date'])),
    })),
  );

/**
 * The day results were first submitted: the status module's, for results the record shows; else
 * the day the submission awaiting quality-control review was made (`annotationSection`'s unposted
 * events); else none. A document limited by `fields=` that shows neither leaves it unknown (null).
 */
const resultsFirstSubmitDate = (study: Json, status: Json): PartialDate | null => {
  const submitted = study['hasResults'] !== false ? toPartialDate(string(status['resultsFirstSubmitDate'])) : null;
  if (submitted) return submitted;
  const unposted = object(object(object(study['annotationSection'])?.['annotationModule'])?.['unpostedAnnotation']);
  return pendingSubmissionDate(array(unposted?.['unpostedEvents']) ?? []);
};

export const parseApiV2Study = (
  study: unknown,
  { complete = isCompleteApiV2Study(study) }: { complete?: boolean } = {},
): TrialFacts => {
  const list = <T>(value: unknown, read: (items: unknown[]) => T[]): T[] | null => {
    const items = array(value);
    return items ? read(items) : complete ? [] : null;
  };
  const protocol = object(object(study)?.['protocolSection']);
  if (!protocol) {
    throw new SnapshotParseError(
      'snapshot.not-a-trial-record',
      'The JSON document has no protocolSection: it is not a ClinicalTrials.gov API v2 study',
    );
  }
  const module = (name: string): Json => object(protocol[name]) ?? {};
  const identification = module('identificationModule');
  const nctId = string(identification['nctId'])?.trim().toUpperCase() ?? null;
  if (!nctId || !isNctId(nctId)) {
    throw new SnapshotParseError(
      'snapshot.missing-nct-id',
      nctId
        ? `The study's nctId "${nctId}" is not an NCT ID`
        : 'The study has no protocolSection.identificationModule.nctId',
    );
  }
  const status = module('statusModule');
  const sponsors = module('sponsorCollaboratorsModule');
  const description = module('descriptionModule');
  const designModule = module('designModule');
  const designInfo = object(designModule['designInfo']) ?? {};
  const enrollmentInfo = object(designModule['enrollmentInfo']);
  const arms = module('armsInterventionsModule');
  const outcomesModule = module('outcomesModule');
  const eligibility = module('eligibilityModule');
  const phases = array(designModule['phases']);
  const enrollmentCount = enrollmentInfo?.['count'];

  return {
    ...emptyFacts(nctId),
    briefTitle: cleanText(string(identification['briefTitle'])),
    officialTitle: cleanText(string(identification['officialTitle'])),
    acronym: cleanText(string(identification['acronym'])),
    briefSummary: reflowParagraphs(string(description['briefSummary'])),
    overallStatus: toEnumValue(string(status['overallStatus'])),
    lastKnownStatus: toEnumValue(string(status['lastKnownStatus'])),
    whyStopped: cleanText(string(status['whyStopped'])),
    statusVerifiedDate: toPartialDate(string(status['statusVerifiedDate'])),
    startDate: dateStruct(status['startDateStruct']),
    primaryCompletionDate: dateStruct(status['primaryCompletionDateStruct']),
    completionDate: dateStruct(status['completionDateStruct']),
    studyFirstSubmitDate: toPartialDate(string(status['studyFirstSubmitDate'])),
    studyFirstPostDate: dateStruct(status['studyFirstPostDateStruct']),
    lastUpdateSubmitDate: toPartialDate(string(status['lastUpdateSubmitDate'])),
    lastUpdatePostDate: dateStruct(status['lastUpdatePostDateStruct']),
    resultsFirstSubmitDate: resultsFirstSubmitDate(object(study)!, status),
    resultsFirstPostDate: dateStruct(status['resultsFirstPostDateStruct']),
    hasResults: typeof object(study)?.['hasResults'] === 'boolean' ? (object(study)!['hasResults'] as boolean) : null,
    enrollment: enrollmentInfo
      ? {
          // A number of participants; anything else (-3, 12.5) is no count the registry gives, so unknown.
          count:
            Number.isSafeInteger(enrollmentCount) && (enrollmentCount as number) >= 0
              ? (enrollmentCount as number)
              : null,
          type: toDateType(string(enrollmentInfo['type'])),
        }
      : null,
    studyType: toEnumValue(string(designModule['studyType'])),
    phases: phases ? sortPhases(strings(phases).map((phase) => toEnumValue(phase)!)) : null,
    design: object(designModule['designInfo'])
      ? {
          allocation: toEnumValue(string(designInfo['allocation'])),
          interventionModel: toEnumValue(string(designInfo['interventionModel'])),
          primaryPurpose: toEnumValue(string(designInfo['primaryPurpose'])),
          masking: toEnumValue(string(object(designInfo['maskingInfo'])?.['masking'])),
          observationalModel: toEnumValue(string(designInfo['observationalModel'])),
          timePerspective: toEnumValue(string(designInfo['timePerspective'])),
        }
      : null,
    conditions: list(module('conditionsModule')['conditions'], strings),
    keywords: list(module('conditionsModule')['keywords'], strings),
    interventions: list(arms['interventions'], (items) =>
      items.flatMap((item) => {
        const name = cleanText(string(object(item)?.['name']));
        return name ? [{ type: toEnumValue(string(object(item)?.['type'])), name }] : [];
      }),
    ),
    armGroups: list(arms['armGroups'], (items) =>
      items.flatMap((item) => {
        const label = cleanText(string(object(item)?.['label']));
        return label ? [{ label, type: toEnumValue(string(object(item)?.['type'])) }] : [];
      }),
    ),
    primaryOutcomes: list(outcomesModule['primaryOutcomes'], outcomes),
    secondaryOutcomes: list(outcomesModule['secondaryOutcomes'], outcomes),
    eligibility: Object.keys(eligibility).length
      ? {
          minimumAge: ageOf(eligibility['minimumAge']),
          maximumAge: ageOf(eligibility['maximumAge']),
          sex: toEnumValue(string(eligibility['sex'])),
          healthyVolunteers:
            typeof eligibility['healthyVolunteers'] === 'boolean' ? eligibility['healthyVolunteers'] : null,
          criteria: cleanBlock(string(eligibility['eligibilityCriteria'])),
        }
      : null,
    leadSponsor: sponsor(sponsors['leadSponsor']),
    collaborators: list(sponsors['collaborators'], (items) =>
      items.map(sponsor).filter((item): item is Sponsor => item !== null),
    ),
    locations: list(module('contactsLocationsModule')['locations'], locations),
    secondaryIds: secondaryIds(identification, complete),
    references: list(module('referencesModule')['references'], references),
    overallOfficials: list(module('contactsLocationsModule')['overallOfficials'], officials),
    nctIdAliases: list(identification['nctIdAliases'], (items) =>
      strings(items)
        .map((item) => item.trim().toUpperCase())
        .filter(isNctId),
    ),
    fdaRegulated: fdaRegulated(module('oversightModule')),
  };
};
