import type { DateStruct, Sponsor, TrialFacts } from '@app/domain';

/*
 * Writes trial facts as a ClinicalTrials.gov API v2 study document, the shape the registry serves
 * (`GET /api/v2/studies/{nctId}`): what a test needs to show one registry version of a trial through
 * the API next to the same version seen through a page. A full record leaves empty values out, as
 * the registry does; `limitedApiV2Study` writes what a `fields=` request returns instead.
 */

type Json = Record<string, unknown>;

const date = (struct: DateStruct | null): Json | undefined =>
  struct ? { date: struct.date, ...(struct.type ? { type: struct.type } : {}) } : undefined;

const sponsor = (value: Sponsor | null): Json | undefined =>
  value ? { name: value.name, ...(value.class ? { class: value.class } : {}) } : undefined;

/** Drops undefined values and empty objects and lists, as API v2 leaves empty fields out. */
const compact = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    const items = value.map(compact).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, compact(item)] as const)
      .filter(([, item]) => item !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value === null ? undefined : value;
};

const protocolSection = (facts: TrialFacts): Json => ({
  identificationModule: {
    nctId: facts.nctId,
    briefTitle: facts.briefTitle,
    officialTitle: facts.officialTitle,
    acronym: facts.acronym,
    orgStudyIdInfo: (facts.secondaryIds ?? [])
      .filter((item) => item.type === 'ORG_STUDY_ID')
      .map((item) => ({ id: item.id }))[0],
    secondaryIdInfos: (facts.secondaryIds ?? [])
      .filter((item) => item.type !== 'ORG_STUDY_ID')
      .map((item) => ({ id: item.id, type: item.type ?? undefined, domain: item.domain ?? undefined })),
    nctIdAliases: facts.nctIdAliases,
  },
  oversightModule: { isFdaRegulatedDrug: facts.fdaRegulated ?? undefined },
  statusModule: {
    statusVerifiedDate: facts.statusVerifiedDate,
    overallStatus: facts.overallStatus,
    lastKnownStatus: facts.lastKnownStatus,
    whyStopped: facts.whyStopped,
    startDateStruct: date(facts.startDate),
    primaryCompletionDateStruct: date(facts.primaryCompletionDate),
    completionDateStruct: date(facts.completionDate),
    studyFirstSubmitDate: facts.studyFirstSubmitDate,
    studyFirstPostDateStruct: date(facts.studyFirstPostDate),
    // The day results were first submitted shows here once they are posted; before, in the annotations.
    resultsFirstSubmitDate: facts.hasResults === true ? facts.resultsFirstSubmitDate : undefined,
    resultsFirstPostDateStruct: date(facts.resultsFirstPostDate),
    lastUpdateSubmitDate: facts.lastUpdateSubmitDate,
    lastUpdatePostDateStruct: date(facts.lastUpdatePostDate),
  },
  sponsorCollaboratorsModule: {
    leadSponsor: sponsor(facts.leadSponsor),
    collaborators: (facts.collaborators ?? []).map(sponsor),
  },
  descriptionModule: { briefSummary: facts.briefSummary },
  conditionsModule: { conditions: facts.conditions ?? [], keywords: facts.keywords ?? [] },
  designModule: {
    studyType: facts.studyType,
    phases: facts.phases ?? [],
    designInfo: facts.design
      ? {
          allocation: facts.design.allocation,
          interventionModel: facts.design.interventionModel,
          primaryPurpose: facts.design.primaryPurpose,
          observationalModel: facts.design.observationalModel,
          timePerspective: facts.design.timePerspective,
          maskingInfo: { masking: facts.design.masking },
        }
      : undefined,
    enrollmentInfo: facts.enrollment ? { count: facts.enrollment.count, type: facts.enrollment.type } : undefined,
  },
  armsInterventionsModule: {
    armGroups: (facts.armGroups ?? []).map((group) => ({ label: group.label, type: group.type })),
    interventions: (facts.interventions ?? []).map((item) => ({ type: item.type, name: item.name })),
  },
  outcomesModule: {
    primaryOutcomes: (facts.primaryOutcomes ?? []).map((item) => ({
      measure: item.measure,
      timeFrame: item.timeFrame,
    })),
    secondaryOutcomes: (facts.secondaryOutcomes ?? []).map((item) => ({
      measure: item.measure,
      timeFrame: item.timeFrame,
    })),
  },
  eligibilityModule: facts.eligibility
    ? {
        eligibilityCriteria: facts.eligibility.criteria,
        healthyVolunteers: facts.eligibility.healthyVolunteers,
        sex: facts.eligibility.sex,
        minimumAge: facts.eligibility.minimumAge,
        maximumAge: facts.eligibility.maximumAge,
      }
    : undefined,
  contactsLocationsModule: {
    locations: (facts.locations ?? []).map((location) => ({ ...location })),
    overallOfficials: (facts.overallOfficials ?? []).map((official) => ({
      name: official.name,
      affiliation: official.affiliation ?? undefined,
      role: official.role ?? undefined,
    })),
  },
  referencesModule: {
    references: (facts.references ?? []).map((reference) => ({
      pmid: reference.pmid ?? undefined,
      type: reference.type ?? undefined,
      citation: reference.citation,
    })),
  },
});

/** Results submitted and not posted: awaiting the registry's quality-control review. */
const annotationSection = (facts: TrialFacts): Json | undefined =>
  facts.hasResults !== true && facts.resultsFirstSubmitDate
    ? {
        annotationModule: {
          unpostedAnnotation: {
            unpostedResponsibleParty: facts.leadSponsor?.name ?? 'Sponsor',
            unpostedEvents: [{ type: 'RELEASE', date: facts.resultsFirstSubmitDate }],
          },
        },
      }
    : undefined;

/** A full API v2 study document (as `GET /api/v2/studies/{nctId}` serves it) for these facts. */
export const apiV2Study = (facts: TrialFacts): Json => ({
  protocolSection: compact(protocolSection(facts)),
  ...(annotationSection(facts) ? { annotationSection: annotationSection(facts) } : {}),
  derivedSection: {
    miscInfoModule: { versionHolder: facts.lastUpdatePostDate?.date ?? facts.lastUpdateSubmitDate ?? '2026-01-01' },
  },
  hasResults: facts.hasResults === true,
});

/**
 * What a search with `fields=` returns for the study: only the named pieces (here the ones a 2026
 * response to a common request held), dates without their types, no derived section, no `hasResults`.
 */
export const limitedApiV2Study = (facts: TrialFacts): Json =>
  compact({
    protocolSection: {
      identificationModule: { nctId: facts.nctId, briefTitle: facts.briefTitle },
      statusModule: {
        overallStatus: facts.overallStatus,
        startDateStruct: facts.startDate ? { date: facts.startDate.date } : undefined,
        completionDateStruct: facts.completionDate ? { date: facts.completionDate.date } : undefined,
      },
      sponsorCollaboratorsModule: { leadSponsor: facts.leadSponsor ? { name: facts.leadSponsor.name } : undefined },
      descriptionModule: { briefSummary: facts.briefSummary },
      conditionsModule: { conditions: facts.conditions ?? [] },
      designModule: {
        studyType: facts.studyType,
        phases: facts.phases ?? [],
        enrollmentInfo: facts.enrollment?.count != null ? { count: facts.enrollment.count } : undefined,
      },
      armsInterventionsModule: { interventions: (facts.interventions ?? []).map((item) => ({ name: item.name })) },
      eligibilityModule: facts.eligibility?.minimumAge ? { minimumAge: facts.eligibility.minimumAge } : undefined,
    },
  }) as Json;
