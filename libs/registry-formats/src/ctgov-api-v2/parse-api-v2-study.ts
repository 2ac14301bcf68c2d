import type { DateStruct, Location, Outcome, Sponsor, TrialFacts } from '@app/domain';
import { emptyFacts, isNctId } from '@app/domain';
import { SnapshotParseError } from '../errors.js';
import {
  cleanBlock,
  cleanText,
  reflowParagraphs,
  sortPhases,
  toDateType,
  toEnumValue,
  toPartialDate,
} from '../vocabulary.js';

/* The subset of a ClinicalTrials.gov API v2 study document that trialwatch reads. */
type Json = Record<string, unknown>;

const object = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
const array = (value: unknown): unknown[] | undefined => (Array.isArray(value) ? value : undefined);
const string = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const strings = (value: unknown): string[] =>
  (array(value) ?? []).map((item) => cleanText(string(item))).filter((item): item is string => item !== null);

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
  (array(value) ?? []).map((item) => {
    const location = object(item) ?? {};
    return {
      facility: cleanText(string(location['facility'])),
      city: cleanText(string(location['city'])),
      state: cleanText(string(location['state'])),
      country: cleanText(string(location['country'])),
      status: toEnumValue(string(location['status'])),
    };
  });

export const isApiV2Study = (value: unknown): boolean => object(object(value)?.['protocolSection']) !== undefined;

/** The date the registry produced this version of the document, if it says. */
export const apiV2DocumentDate = (study: unknown): string | null =>
  toPartialDate(string(object(object(object(study)?.['derivedSection'])?.['miscInfoModule'])?.['versionHolder']));

/**
 * Reads one API v2 study document. API v2 documents are complete records: a list the document
 * leaves out (no collaborators, no locations) is a list of none; a scalar it leaves out is unknown.
 */
export const parseApiV2Study = (study: unknown): TrialFacts => {
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
    resultsFirstPostDate: dateStruct(status['resultsFirstPostDateStruct']),
    hasResults: typeof object(study)?.['hasResults'] === 'boolean' ? (object(study)!['hasResults'] as boolean) : null,
    enrollment: enrollmentInfo
      ? {
          count: typeof enrollmentCount === 'number' && Number.isFinite(enrollmentCount) ? enrollmentCount : null,
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
    conditions: strings(module('conditionsModule')['conditions']),
    keywords: strings(module('conditionsModule')['keywords']),
    interventions: (array(arms['interventions']) ?? []).flatMap((item) => {
      const name = cleanText(string(object(item)?.['name']));
      return name ? [{ type: toEnumValue(string(object(item)?.['type'])), name }] : [];
    }),
    armGroups: (array(arms['armGroups']) ?? []).flatMap((item) => {
      const label = cleanText(string(object(item)?.['label']));
      return label ? [{ label, type: toEnumValue(string(object(item)?.['type'])) }] : [];
    }),
    primaryOutcomes: outcomes(outcomesModule['primaryOutcomes']),
    secondaryOutcomes: outcomes(outcomesModule['secondaryOutcomes']),
    eligibility: Object.keys(eligibility).length
      ? {
          minimumAge: cleanText(string(eligibility['minimumAge'])),
          maximumAge: cleanText(string(eligibility['maximumAge'])),
          sex: toEnumValue(string(eligibility['sex'])),
          healthyVolunteers:
            typeof eligibility['healthyVolunteers'] === 'boolean' ? eligibility['healthyVolunteers'] : null,
          criteria: cleanBlock(string(eligibility['eligibilityCriteria'])),
        }
      : null,
    leadSponsor: sponsor(sponsors['leadSponsor']),
    collaborators: (array(sponsors['collaborators']) ?? [])
      .map(sponsor)
      .filter((item): item is Sponsor => item !== null),
    locations: locations(module('contactsLocationsModule')['locations']),
  };
};
