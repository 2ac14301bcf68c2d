import { partialDateStart, type PartialDate } from '../shared/partial-date.js';

/*
 * The normalized trial snapshot, in ClinicalTrials.gov API v2 vocabulary.
 *
 * `null` means the source does not show the value (unknown); it is never a claim that the value
 * is absent. An empty list means the source says there are none.
 */

export type DateType = 'ACTUAL' | 'ESTIMATED';

export interface DateStruct {
  date: PartialDate;
  /** `null` when the source gives the date without saying whether it is actual or estimated. */
  type: DateType | null;
}

export interface Enrollment {
  count: number | null;
  type: DateType | null;
}

export interface Design {
  allocation: string | null;
  interventionModel: string | null;
  primaryPurpose: string | null;
  masking: string | null;
  observationalModel: string | null;
  timePerspective: string | null;
}

export interface Intervention {
  type: string | null;
  name: string;
}

export interface ArmGroup {
  label: string;
  type: string | null;
}

export interface Outcome {
  measure: string;
  timeFrame: string | null;
}

export interface Eligibility {
  minimumAge: string | null;
  maximumAge: string | null;
  sex: string | null;
  healthyVolunteers: boolean | null;
  criteria: string | null;
}

export interface Sponsor {
  name: string;
  class: string | null;
}

export interface Location {
  facility: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  status: string | null;
}

export const SNAPSHOT_FORMATS = [
  'ctgov-api-v2-json',
  'ctgov-legacy-xml',
  'registry-mirror-text',
  'registry-mirror-html',
  'ctgov-classic-text',
  'ctgov-classic-html',
  'veeva-text',
  'veeva-html',
] as const;
export type SnapshotFormat = (typeof SNAPSHOT_FORMATS)[number];

export interface SnapshotSource {
  format: SnapshotFormat;
  /** ISO timestamp of when the snapshot was taken (downloaded, saved, fetched). */
  observedAt: string;
  /** SHA-256 (hex) of the raw content the snapshot was parsed from. */
  contentSha256: string;
}

/** Everything a registry record says about a trial; the part of a snapshot that changes are computed on. */
export interface TrialFacts {
  nctId: string;
  briefTitle: string | null;
  officialTitle: string | null;
  acronym: string | null;
  briefSummary: string | null;
  overallStatus: string | null;
  lastKnownStatus: string | null;
  whyStopped: string | null;
  statusVerifiedDate: PartialDate | null;
  startDate: DateStruct | null;
  primaryCompletionDate: DateStruct | null;
  completionDate: DateStruct | null;
  studyFirstSubmitDate: PartialDate | null;
  studyFirstPostDate: DateStruct | null;
  lastUpdateSubmitDate: PartialDate | null;
  lastUpdatePostDate: DateStruct | null;
  resultsFirstPostDate: DateStruct | null;
  hasResults: boolean | null;
  enrollment: Enrollment | null;
  studyType: string | null;
  phases: string[] | null;
  design: Design | null;
  conditions: string[] | null;
  keywords: string[] | null;
  interventions: Intervention[] | null;
  armGroups: ArmGroup[] | null;
  primaryOutcomes: Outcome[] | null;
  secondaryOutcomes: Outcome[] | null;
  eligibility: Eligibility | null;
  leadSponsor: Sponsor | null;
  collaborators: Sponsor[] | null;
  locations: Location[] | null;
}

export interface TrialSnapshot extends TrialFacts {
  source: SnapshotSource;
}

/** A snapshot with every field unknown, for parsers to fill in. */
export const emptyFacts = (nctId: string): TrialFacts => ({
  nctId,
  briefTitle: null,
  officialTitle: null,
  acronym: null,
  briefSummary: null,
  overallStatus: null,
  lastKnownStatus: null,
  whyStopped: null,
  statusVerifiedDate: null,
  startDate: null,
  primaryCompletionDate: null,
  completionDate: null,
  studyFirstSubmitDate: null,
  studyFirstPostDate: null,
  lastUpdateSubmitDate: null,
  lastUpdatePostDate: null,
  resultsFirstPostDate: null,
  hasResults: null,
  enrollment: null,
  studyType: null,
  phases: null,
  design: null,
  conditions: null,
  keywords: null,
  interventions: null,
  armGroups: null,
  primaryOutcomes: null,
  secondaryOutcomes: null,
  eligibility: null,
  leadSponsor: null,
  collaborators: null,
  locations: null,
});

export const factsOf = (snapshot: TrialSnapshot): TrialFacts => {
  const { source: _source, ...facts } = snapshot;
  return facts;
};

/**
 * The registry's own date for this version of the record: when it was last posted (or submitted),
 * else when the snapshot was observed. Events computed from the snapshot occurred at this time.
 */
export const effectiveDateOf = (snapshot: TrialSnapshot): string => {
  const registryDate = snapshot.lastUpdatePostDate?.date ?? snapshot.lastUpdateSubmitDate;
  return registryDate ? partialDateStart(registryDate) : snapshot.source.observedAt;
};
