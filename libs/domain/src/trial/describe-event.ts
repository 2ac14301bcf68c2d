import { HYGIENE_FLAG_DESCRIPTIONS } from '../signal/hygiene.js';
import type { DomainEvent, OverallStatusChanged } from '../events/index.js';
import {
  type ArmGroup,
  COMPLETE_RECORD_FIELDS,
  type DateStruct,
  type Design,
  type Eligibility,
  type Enrollment,
  type Intervention,
  type Location,
  type Official,
  type Outcome,
  type Reference,
  type SecondaryId,
  type Sponsor,
} from '../snapshot/trial-snapshot.js';
import { type FieldChange, fieldChangesOf } from './field-changes.js';

const FIELD_LABELS: Record<string, string> = {
  overallStatus: 'Overall status',
  lastKnownStatus: 'Last known status',
  whyStopped: 'Why stopped',
  enrollment: 'Enrollment',
  startDate: 'Start date',
  primaryCompletionDate: 'Primary completion date',
  completionDate: 'Completion date',
  hasResults: 'Results posted',
  phases: 'Phases',
  studyType: 'Study type',
  primaryOutcomes: 'Primary outcomes',
  secondaryOutcomes: 'Secondary outcomes',
  locations: 'Sites',
  'locations.status': 'Site status',
  conditions: 'Conditions',
  keywords: 'Keywords',
  interventions: 'Interventions',
  armGroups: 'Arms',
  collaborators: 'Collaborators',
  briefTitle: 'Title',
  officialTitle: 'Official title',
  acronym: 'Acronym',
  briefSummary: 'Summary',
  leadSponsor: 'Lead sponsor',
  statusVerifiedDate: 'Status verified',
  lastUpdatePostDate: 'Last update posted',
  lastUpdateSubmitDate: 'Last update submitted',
  studyFirstSubmitDate: 'First submitted',
  studyFirstPostDate: 'First posted',
  'registration.studyFirstSubmitDate': 'First submitted',
  'registration.studyFirstPostDate': 'First posted',
  resultsFirstSubmitDate: 'Results first submitted',
  resultsFirstPostDate: 'Results first posted',
  design: 'Design',
  'design.allocation': 'Allocation',
  'design.interventionModel': 'Intervention model',
  'design.primaryPurpose': 'Primary purpose',
  'design.masking': 'Masking',
  'design.observationalModel': 'Observational model',
  'design.timePerspective': 'Time perspective',
  eligibility: 'Eligibility',
  'eligibility.minimumAge': 'Minimum age',
  'eligibility.maximumAge': 'Maximum age',
  'eligibility.sex': 'Sex',
  'eligibility.healthyVolunteers': 'Healthy volunteers',
  'eligibility.criteria': 'Criteria',
  secondaryIds: 'Other IDs',
  references: 'References',
  overallOfficials: 'Overall officials',
  nctIdAliases: 'Merged NCT IDs',
  fdaRegulated: 'FDA-regulated product',
};

export const fieldLabel = (field: string): string =>
  FIELD_LABELS[field] ??
  field
    .split('.')
    .pop()!
    .replace(/([A-Z])/g, ' $1')
    .replace(/^./, (first) => first.toUpperCase());

const isDate = (value: unknown): value is DateStruct =>
  typeof value === 'object' && value !== null && 'date' in value && typeof (value as DateStruct).date === 'string';

const ENUM_LABELS: Record<string, string> = {
  NOT_YET_RECRUITING: 'Not yet recruiting',
  RECRUITING: 'Recruiting',
  ENROLLING_BY_INVITATION: 'Enrolling by invitation',
  ACTIVE_NOT_RECRUITING: 'Active, not recruiting',
  SUSPENDED: 'Suspended',
  TERMINATED: 'Terminated',
  COMPLETED: 'Completed',
  WITHDRAWN: 'Withdrawn',
  UNKNOWN: 'Unknown status',
  AVAILABLE: 'Available',
  NO_LONGER_AVAILABLE: 'No longer available',
  TEMPORARILY_NOT_AVAILABLE: 'Temporarily not available',
  APPROVED_FOR_MARKETING: 'Approved for marketing',
  WITHHELD: 'Withheld',
  EARLY_PHASE1: 'Early phase 1',
  PHASE1: 'Phase 1',
  PHASE2: 'Phase 2',
  PHASE3: 'Phase 3',
  PHASE4: 'Phase 4',
  NA: 'Not applicable',
};

/** A registry enum as a person reads it: `ACTIVE_NOT_RECRUITING` -> `Active, not recruiting`, `NON_RANDOMIZED` -> `Non randomized`. */
export const enumLabel = (value: string): string =>
  ENUM_LABELS[value] ?? value.charAt(0).toUpperCase() + value.slice(1).toLowerCase().replace(/_/g, ' ');

export const statusLabel = (status: string | null | undefined): string => (status ? enumLabel(status) : 'unknown');

/** `Phase 2/Phase 3`; `unknown` when the source does not say, `none` for an empty list. */
export const phasesLabel = (phases: readonly string[] | null | undefined): string => {
  if (!phases) return 'unknown';
  return phases.length === 0 ? 'none' : phases.map(enumLabel).join('/');
};

const CODE_FIELDS = new Set(['overallStatus', 'lastKnownStatus', 'studyType', 'eligibility.sex']);

/** Whether a field's value is one registry code, read through `enumLabel`: a status, the study type, sex, a part of the design. */
export const holdsRegistryCode = (field: string): boolean => CODE_FIELDS.has(field) || field.startsWith('design.');

const SPONSOR_CLASS_LABELS: Record<string, string> = {
  NIH: 'NIH',
  FED: 'US federal',
  OTHER_GOV: 'other government',
  INDIV: 'individual',
  INDUSTRY: 'industry',
  NETWORK: 'network',
  OTHER: 'other',
  AMBIG: 'ambiguous',
  UNKNOWN: 'unknown',
};

const SECONDARY_ID_TYPE_LABELS: Record<string, string> = {
  ORG_STUDY_ID: "sponsor's ID",
  EUDRACT_NUMBER: 'EudraCT number',
  CTIS: 'EU CT number',
  NIH: 'NIH grant',
  FDA: 'FDA',
  OTHER_GRANT: 'grant',
  REGISTRY: 'registry',
  OTHER: 'other',
};

const REFERENCE_TYPE_LABELS: Record<string, string> = {
  BACKGROUND: 'background',
  RESULT: 'results',
  DERIVED: 'linked from PubMed',
};

const OFFICIAL_ROLE_LABELS: Record<string, string> = {
  PRINCIPAL_INVESTIGATOR: 'principal investigator',
  STUDY_DIRECTOR: 'study director',
  STUDY_CHAIR: 'study chair',
  SUB_INVESTIGATOR: 'sub-investigator',
};

const withNote = (text: string, note: string | null): string => (note ? `${text} (${note})` : text);

/** `Duke University (other)`: the class shown, as a change of class alone is a change. */
export const describeSponsor = ({ name, class: sponsorClass }: Sponsor): string =>
  withNote(name, sponsorClass ? (SPONSOR_CLASS_LABELS[sponsorClass] ?? enumLabel(sponsorClass).toLowerCase()) : null);

/** `ISRCTN12345678 (registry, ISRCTN)`, `2004-000001-11 (EudraCT number)`. */
export const describeSecondaryId = ({ id, type, domain }: SecondaryId): string => {
  const typeLabel = type ? (SECONDARY_ID_TYPE_LABELS[type] ?? enumLabel(type).toLowerCase()) : null;
  return withNote(id, [typeLabel, domain].filter(Boolean).join(', ') || null);
};

/** A reference's type in words: `RESULT` -> `results`, `DERIVED` -> `linked from PubMed`. */
export const referenceTypeLabel = (type: string): string =>
  REFERENCE_TYPE_LABELS[type] ?? enumLabel(type).toLowerCase();

/** An official's role in words: `PRINCIPAL_INVESTIGATOR` -> `principal investigator`. */
export const officialRoleLabel = (role: string): string => OFFICIAL_ROLE_LABELS[role] ?? enumLabel(role).toLowerCase();

/** `Wilding JPH, et al. … N Engl J Med. 2021. (results, PubMed ID 33567185)`. */
export const describeReference = ({ pmid, type, citation }: Reference): string =>
  withNote(
    shortened(citation),
    [type ? referenceTypeLabel(type) : null, pmid ? `PubMed ID ${pmid}` : null].filter(Boolean).join(', ') || null,
  );

/** `Ana Lopez, MD (principal investigator, Mayo Clinic)`. */
export const describeOfficial = ({ name, affiliation, role }: Official): string =>
  withNote(name, [role ? officialRoleLabel(role) : null, affiliation].filter(Boolean).join(', ') || null);

const DESIGN_PARTS: readonly (keyof Design)[] = [
  'allocation',
  'interventionModel',
  'primaryPurpose',
  'masking',
  'observationalModel',
  'timePerspective',
];

/** `Allocation: Randomized; Masking: None`: the parts it gives, in words. */
export const describeDesign = (design: Design): string =>
  DESIGN_PARTS.filter((part) => design[part])
    .map((part) => `${fieldLabel(`design.${part}`)}: ${enumLabel(design[part]!)}`)
    .join('; ') || 'none';

/** `Minimum age: 18 Years; Sex: Female; Healthy volunteers: no; Criteria: …`: the parts it gives. */
export const describeEligibility = (eligibility: Eligibility): string =>
  [
    eligibility.minimumAge ? `Minimum age: ${eligibility.minimumAge}` : null,
    eligibility.maximumAge ? `Maximum age: ${eligibility.maximumAge}` : null,
    eligibility.sex ? `Sex: ${enumLabel(eligibility.sex)}` : null,
    eligibility.healthyVolunteers === null || eligibility.healthyVolunteers === undefined
      ? null
      : `Healthy volunteers: ${eligibility.healthyVolunteers ? 'yes' : 'no'}`,
    eligibility.criteria ? `Criteria: ${eligibility.criteria}` : null,
  ]
    .filter(Boolean)
    .join('; ') || 'none';

/** `Mayo Clinic, Rochester, United States (Recruiting)`. */
const describeLocation = (location: Location): string =>
  withNote(
    [location.facility, location.city, location.country].filter(Boolean).join(', '),
    location.status ? statusLabel(location.status) : null,
  );

const has = (value: object, ...keys: string[]) => keys.every((key) => key in value);

/** Registry text as the pages and feeds quote it: cut at 200 characters, lest one pasted value fill the line. */
export const shortened = (text: string): string => (text.length > 200 ? `${text.slice(0, 197)}…` : text);

/**
 * A value as a person reads it: `2018-06 (estimated)`, `1000 (estimated)`, `none`; a list item with the
 * detail whose change alone is a change: an intervention's or arm's type, a sponsor's class, a site's
 * status, an identifier's kind, a reference's kind, an official's role.
 */
export const describeValue = (value: unknown): string => {
  if (value === null || value === undefined) return 'unknown';
  if (isDate(value)) return value.type ? `${value.date} (${value.type.toLowerCase()})` : value.date;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(describeValue).join('; ');
  if (typeof value === 'object') {
    if (has(value, 'count')) {
      const { count, type } = value as Enrollment;
      return count === null ? 'unknown' : withNote(String(count), type ? type.toLowerCase() : null);
    }
    if (has(value, 'measure')) {
      const { measure, timeFrame } = value as Outcome;
      return timeFrame ? `${measure} [${timeFrame}]` : measure;
    }
    if (has(value, 'id', 'domain')) return describeSecondaryId(value as SecondaryId);
    if (has(value, 'citation')) return describeReference(value as Reference);
    if (has(value, 'name', 'role')) return describeOfficial(value as Official);
    if (has(value, 'facility') || has(value, 'city')) return describeLocation(value as Location);
    if (has(value, 'name', 'class')) return describeSponsor(value as Sponsor);
    if (has(value, 'name')) {
      const { name, type } = value as Intervention;
      return withNote(name, type ? enumLabel(type) : null);
    }
    if (has(value, 'label')) {
      const { label, type } = value as ArmGroup;
      return withNote(label, type ? enumLabel(type) : null);
    }
    if (has(value, 'allocation', 'masking')) return describeDesign(value as Design);
    if (has(value, 'criteria', 'sex')) return shortened(describeEligibility(value as Eligibility));
    // A shape this does not know yet still reads as words, part by part, never as code.
    return (
      Object.entries(value)
        .filter(([, part]) => part !== null && part !== undefined)
        .map(([key, part]) => `${fieldLabel(key)}: ${describeValue(part)}`)
        .join('; ') || 'none'
    );
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return shortened(String(value));
};

/**
 * Whether a registry change's `to` says the registry removed the value: a change to nothing always
 * does (a complete record left it out), but for the dates of a new version, whose source may not show one.
 */
export const removedByRegistry = (field: string, to: unknown): boolean =>
  to === null && field !== 'lastUpdatePostDate' && field !== 'lastUpdateSubmitDate';

/**
 * Whether a registry change's `from` of nothing means the trial held none: it knew the field (an unknown
 * one is learned, not changed), and only a complete record states a field, or a part of the design or
 * eligibility, as none.
 */
export const addedWhereNone = (field: string, from: unknown): boolean =>
  from === null &&
  ((COMPLETE_RECORD_FIELDS as readonly string[]).includes(field) ||
    field.startsWith('design.') ||
    field.startsWith('eligibility.'));

/** A field's value in words, a registry code as the pages show it: `Active, not recruiting`, `Phase 2/Phase 3`. */
const describeFieldValue = (field: string, value: unknown): string => {
  if (typeof value === 'string' && holdsRegistryCode(field)) return enumLabel(value);
  if (field === 'phases' && Array.isArray(value)) return phasesLabel(value as string[]);
  return describeValue(value);
};

/**
 * What the record said beside a move of the overall status, which no change of its own then shows:
 * `why stopped` `Funding`, `last known status` `Recruiting`.
 */
export const statusChangeNotes = ({
  whyStopped,
  lastKnownStatus,
}: OverallStatusChanged['data']): { label: string; value: string }[] => [
  ...(whyStopped ? [{ label: 'why stopped', value: whyStopped }] : []),
  ...(lastKnownStatus ? [{ label: 'last known status', value: statusLabel(lastKnownStatus) }] : []),
];

/** One field change in words: `Enrollment: 500 (estimated) -> 1000 (estimated)`; a list says what was added and removed. */
const describeFieldChange = ({ field, from, to }: FieldChange): string => {
  const label = fieldLabel(field);
  if (field === 'locations.status') {
    const before = from as Location[];
    const sites = (to as Location[]).map(
      (site, index) =>
        `${describeLocation({ ...site, status: null })}: ${statusLabel(before[index]?.status)} -> ${statusLabel(site.status)}`,
    );
    return `${label}: ${sites.join('; ')}`;
  }
  if (field !== 'phases' && (Array.isArray(from) || Array.isArray(to))) {
    const added = Array.isArray(to) && to.length ? `added ${describeValue(to)}` : '';
    const removed = Array.isArray(from) && from.length ? `removed ${describeValue(from)}` : '';
    // Items within a group are separated by `; `: the groups by a dash, lest a removed item read as added.
    return `${label}: ${[added, removed].filter(Boolean).join(' — ')}`;
  }
  return `${label}: ${addedWhereNone(field, from) ? 'none' : describeFieldValue(field, from)} -> ${removedByRegistry(field, to) ? 'none' : describeFieldValue(field, to)}`;
};

/** One line per field change: `Enrollment: 500 (estimated) -> 1000 (estimated)`; lists say what was added and removed. */
export const describeEvent = (event: DomainEvent): string[] => {
  if (event.type === 'trial.registered') {
    const { facts } = event.data;
    const status = facts.overallStatus ? ` (${statusLabel(facts.overallStatus)})` : '';
    return [`Registered: ${facts.briefTitle ?? facts.nctId}${status}`];
  }
  if (event.type === 'trial.facts-learned') {
    // A learned `null` or `[]` is known to be none, not unknown.
    return fieldChangesOf(event).map(
      ({ field, to }) =>
        `${fieldLabel(field)} (learned): ${to === null || (Array.isArray(to) && to.length === 0) ? 'none' : describeFieldValue(field, to)}`,
    );
  }
  if (event.type === 'trial.results-overdue') {
    return [`Results overdue: due on ${event.data.dueDate}, none posted`];
  }
  if (event.type === 'trial.hygiene-flag-raised') {
    return [`Flagged: ${HYGIENE_FLAG_DESCRIPTIONS[event.data.flag]}`];
  }
  if (event.type === 'trial.hygiene-flag-cleared') {
    return [`No longer flagged: ${HYGIENE_FLAG_DESCRIPTIONS[event.data.flag]}`];
  }
  if (event.type === 'trial.results-posted') {
    return [`Results posted${event.data.firstPostDate ? ` on ${event.data.firstPostDate.date}` : ''}`];
  }
  if (event.type === 'trial.results-submitted') {
    const { from, to } = event.data;
    if (from === null && to !== null) {
      return [
        event.data.posted
          ? `Results first submitted on ${to}`
          : `Results submitted on ${to} (awaiting quality-control review)`,
      ];
    }
    if (to === null && from !== null) {
      return [`Results submitted on ${from} withdrawn: the record shows none submitted`];
    }
  }
  if (event.type === 'trial.overall-status-changed') {
    const notes = statusChangeNotes(event.data).map(({ label, value }) => `${label}: ${value}`);
    return fieldChangesOf(event)
      .map(describeFieldChange)
      .map((line) => (notes.length ? `${line} (${notes.join('; ')})` : line));
  }
  return fieldChangesOf(event).map(describeFieldChange);
};
