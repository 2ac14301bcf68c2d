import { DomainError } from '../shared/domain-error.js';
import { isInstant, partialDateStart, type PartialDate } from '../shared/partial-date.js';

/*
 * The normalized trial snapshot, in ClinicalTrials.gov API v2 vocabulary.
 *
 * `null` means the snapshot holds no value for the field. What that means depends on the document:
 * for the fields a complete record states (`source.definitive`: a full API v2 study, legacy XML) it
 * means "none"; anywhere else it means "not shown" (a page, an API v2 document limited by `fields=`).
 * An empty list always means the source says there are none.
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

/**
 * The parts of the design and eligibility known to be none: a complete record showing the design (the
 * eligibility) left them out. A null part not listed is unknown: a page or a `fields=` document showing
 * the rest did not show it.
 */
export interface NoneParts {
  design: (keyof Design)[];
  eligibility: (keyof Eligibility)[];
}

export interface Sponsor {
  name: string;
  class: string | null;
}

/** Another identifier of the trial: the sponsor's own (type ORG_STUDY_ID), a EudraCT or EU CT number, an ISRCTN, a WHO UTN, a grant number. */
export interface SecondaryId {
  id: string;
  /** The registry's type (ORG_STUDY_ID, EUDRACT_NUMBER, CTIS, NIH, FDA, OTHER_GRANT, REGISTRY, OTHER), when shown. */
  type: string | null;
  /** Who issued it (for REGISTRY and OTHER types: "ISRCTN", "IDRCB"), when shown. */
  domain: string | null;
}

/** A publication the record cites. */
export interface Reference {
  /** The PubMed ID, when the record gives one. */
  pmid: string | null;
  /**
   * BACKGROUND (cited as background), RESULT (reports the trial's results) or DERIVED (the registry
   * found it in PubMed by the trial's NCT ID), when shown.
   */
  type: string | null;
  citation: string;
}

/** A person responsible for the scientific conduct of the trial. */
export interface Official {
  name: string;
  affiliation: string | null;
  /** PRINCIPAL_INVESTIGATOR, STUDY_DIRECTOR, STUDY_CHAIR or SUB_INVESTIGATOR, when shown. */
  role: string | null;
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

/** How a client labels where its snapshots come from (POST /snapshots?source=, `trialwatch ingest --source`). */
export const SOURCE_LABEL = /^[\w.:@/-]{1,100}$/;
/** What SOURCE_LABEL asks for, in words, for a refusal to name. */
export const SOURCE_LABEL_RULE = 'a short label (letters, digits, . : @ / - _)';

export interface SnapshotSource {
  format: SnapshotFormat;
  /** ISO timestamp of when the snapshot was taken (downloaded, saved, fetched). */
  observedAt: string;
  /** SHA-256 (hex) of the raw content the snapshot was parsed from. */
  contentSha256: string;
  /**
   * The fields this document states completely: a value it leaves out is "none", not "not shown".
   * Every field for a complete record; none for a page or a `fields=`-limited document.
   */
  definitive: readonly FactField[];
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
  /**
   * The day results were first submitted, for results the registry shows or that await its
   * quality-control review (submitted, not yet posted); null when none are (a submission the sponsor
   * took back included).
   */
  resultsFirstSubmitDate: PartialDate | null;
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
  secondaryIds: SecondaryId[] | null;
  /** The publications the record cites: background reading, the trial's results, those the registry linked. */
  references: Reference[] | null;
  /** The principal investigators, study directors and chairs. */
  overallOfficials: Official[] | null;
  /** NCT IDs the registry merged into this trial. */
  nctIdAliases: string[] | null;
  /** Whether the record says the trial studies a US FDA-regulated drug or device product. */
  fdaRegulated: boolean | null;
}

/** Every fact of a trial but its NCT ID: what a snapshot may show, leave out, or state as none. */
export type FactField = Exclude<keyof TrialFacts, 'nctId'>;

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
  resultsFirstSubmitDate: null,
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
  secondaryIds: null,
  references: null,
  overallOfficials: null,
  nctIdAliases: null,
  fdaRegulated: null,
});

export const FACT_FIELDS: readonly FactField[] = (
  Object.keys(emptyFacts('NCT00000000')) as (keyof TrialFacts)[]
).filter((field): field is FactField => field !== 'nctId');

/**
 * What a complete registry record (a full API v2 study, legacy XML) states by leaving it out: every
 * field but the phases, which the registry leaves out of observational studies (not applicable, not
 * "none"; the legacy format wrote N/A), the registry's bookkeeping dates, which older generations of
 * the formats did not carry (the legacy XML of 2016 has no first-posted or last-update-posted date)
 * and which no record ever removes, the design and eligibility, whose parts are stated one by
 * one, never removed as a whole, and the FDA-regulation flags, which records before 2017 did not carry.
 * The day results were first submitted is stated (none when no results are shown nor await review) by a
 * full API v2 record, and by a legacy XML record that shows results or `<pending_results>`; one showing
 * neither (the format did not always carry a submission awaiting review) leaves it out of its list.
 */
/** The fields that hold lists of items, whose change events say which items were added and removed. */
export const ITEM_LIST_FIELDS: readonly FactField[] = [
  'conditions',
  'keywords',
  'interventions',
  'armGroups',
  'primaryOutcomes',
  'secondaryOutcomes',
  'collaborators',
  'locations',
  'secondaryIds',
  'references',
  'overallOfficials',
  'nctIdAliases',
];

export const COMPLETE_RECORD_FIELDS: readonly FactField[] = FACT_FIELDS.filter(
  (field) =>
    ![
      'phases',
      'design',
      'eligibility',
      'statusVerifiedDate',
      'studyFirstSubmitDate',
      'studyFirstPostDate',
      'lastUpdateSubmitDate',
      'lastUpdatePostDate',
      'resultsFirstPostDate',
      // Records before 2017 carry no FDA-regulation flags.
      'fdaRegulated',
    ].includes(field),
);

export const factsOf = (snapshot: TrialSnapshot): TrialFacts => {
  const { source: _source, ...facts } = snapshot;
  return facts;
};

/** The registry's date for the version a snapshot shows (its last update, posted or submitted), if it shows one. */
export const registryDateOf = (
  facts: Pick<TrialFacts, 'lastUpdatePostDate' | 'lastUpdateSubmitDate'>,
): string | null => {
  const registryDate = facts.lastUpdatePostDate?.date ?? facts.lastUpdateSubmitDate;
  return registryDate ? partialDateStart(registryDate) : null;
};

/**
 * The registry's own date for this version of the record: when it was last posted (or submitted),
 * else when the snapshot was observed.
 */
export const effectiveDateOf = (snapshot: TrialSnapshot): string =>
  registryDateOf(snapshot) ?? new Date(snapshot.source.observedAt).toISOString();

/** How far ahead of the receiving clock an observation time may be: clocks drift, by minutes. */
export const MAX_OBSERVED_AHEAD_MS = 5 * 60_000;

export class ObservedInFutureError extends DomainError {
  readonly code = 'snapshot.observed-in-future';
  readonly kind = 'invalid' as const;
}

export class InvalidObservedAtError extends DomainError {
  readonly code = 'snapshot.invalid-observed-at';
  readonly kind = 'invalid' as const;
}

/**
 * The observation time (`observedAt`) as one canonical UTC timestamp, or null when none was given. A
 * time that cannot be read as an instant is refused, as is one more than a few minutes ahead of `now`:
 * a snapshot cannot have been taken in the future, and one dated there would make every later one look
 * older. The canonical form is what is stored, so every reader sees the instant the domain compared.
 */
export const observationTimeOf = (observedAt: string | null | undefined, now: Date): string | null => {
  if (!observedAt) return null;
  if (!isInstant(observedAt)) {
    throw new InvalidObservedAtError(
      `observedAt ${observedAt} is not a date or timestamp trialwatch can read; give an ISO 8601 date or timestamp such as 2024-01-15 or 2024-01-15T10:00:00Z`,
      { field: 'observedAt', observedAt },
    );
  }
  const at = Date.parse(observedAt);
  if (at > now.getTime() + MAX_OBSERVED_AHEAD_MS) {
    throw new ObservedInFutureError(
      `observedAt ${observedAt} is in the future (now is ${now.toISOString()}); a snapshot is observed when it was taken`,
      { field: 'observedAt', observedAt, now: now.toISOString() },
    );
  }
  return new Date(at).toISOString();
};
