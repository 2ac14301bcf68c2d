import { HYGIENE_FLAG_DESCRIPTIONS } from '../signal/hygiene.js';
import type { DomainEvent } from '../events/index.js';
import { COMPLETE_RECORD_FIELDS, type DateStruct } from '../snapshot/trial-snapshot.js';
import { fieldChangesOf } from './field-changes.js';

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

/** A value as a person reads it: `2018-06 (estimated)`, `1000 (estimated)`, `PHASE2, PHASE3`, `none`. */
export const describeValue = (value: unknown): string => {
  if (value === null || value === undefined) return 'unknown';
  if (isDate(value)) return value.type ? `${value.date} (${value.type.toLowerCase()})` : value.date;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(describeValue).join('; ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('count' in record)
      return record['type']
        ? `${String(record['count'])} (${String(record['type']).toLowerCase()})`
        : String(record['count']);
    if ('measure' in record)
      return record['timeFrame']
        ? `${String(record['measure'])} [${String(record['timeFrame'])}]`
        : String(record['measure']);
    if ('name' in record) return String(record['name']);
    if ('label' in record) return String(record['label']);
    if ('facility' in record || 'city' in record) {
      return (
        [record['facility'], record['city'], record['country']].filter(Boolean).join(', ') +
        (record['status'] ? ` (${String(record['status'])})` : '')
      );
    }
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const text = String(value);
  return text.length > 200 ? `${text.slice(0, 197)}…` : text;
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

/** One line per field change: `Enrollment: 500 (estimated) -> 1000 (estimated)`; lists say what was added and removed. */
export const describeEvent = (event: DomainEvent): string[] => {
  if (event.type === 'trial.registered') {
    const { facts } = event.data;
    return [`Registered: ${facts.briefTitle ?? facts.nctId}${facts.overallStatus ? ` (${facts.overallStatus})` : ''}`];
  }
  if (event.type === 'trial.facts-learned') {
    return fieldChangesOf(event).map(({ field, to }) => `${fieldLabel(field)} (learned): ${describeValue(to)}`);
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
  return fieldChangesOf(event).map(({ field, from, to }) => {
    const label = fieldLabel(field);
    if (Array.isArray(from) || Array.isArray(to)) {
      if (field === 'phases' || field === 'locations.status')
        return `${label}: ${describeValue(from)} -> ${describeValue(to)}`;
      const added = Array.isArray(to) && to.length ? `added ${describeValue(to)}` : '';
      const removed = Array.isArray(from) && from.length ? `removed ${describeValue(from)}` : '';
      return `${label}: ${[added, removed].filter(Boolean).join('; ')}`;
    }
    return `${label}: ${addedWhereNone(field, from) ? 'none' : describeValue(from)} -> ${removedByRegistry(field, to) ? 'none' : describeValue(to)}`;
  });
};
