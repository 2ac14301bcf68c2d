import type { DomainEvent } from '../events/index.js';
import { FACT_FIELDS } from '../snapshot/trial-snapshot.js';

/** One field's before and after, as the field history and notifications show it. */
export interface FieldChange {
  /** The snapshot field (dotted for a part of a struct: `design.masking`, `eligibility.criteria`). */
  field: string;
  from: unknown;
  to: unknown;
  /** Knowledge trialwatch gained (`trial.facts-learned`), not a change the registry made. */
  learned?: true;
}

const structChanges = (
  prefix: string,
  changes: Record<string, { from: unknown; to: unknown } | undefined>,
): FieldChange[] =>
  Object.entries(changes)
    .filter((entry): entry is [string, { from: unknown; to: unknown }] => entry[1] !== undefined)
    .map(([key, change]) => ({ field: `${prefix}.${key}`, from: change.from, to: change.to }));

/** The event types that change no field (`fieldChangesOf` yields none): a reader of changes needs none of their data. */
export const TYPES_WITHOUT_FIELD_CHANGES: readonly string[] = ['trial.registered'];

/**
 * The field-level changes an event makes. List fields show what was removed as `from` and what was
 * added as `to`. `trial.registered` records initial values, not changes, and yields none.
 */
export const fieldChangesOf = (event: DomainEvent): FieldChange[] => {
  switch (event.type) {
    case 'trial.registered':
      return [];
    case 'trial.facts-learned':
      return Object.entries(event.data.facts).map(([field, value]) => ({
        field,
        from: null,
        to: value,
        learned: true as const,
      }));
    case 'trial.overall-status-changed':
      return [{ field: 'overallStatus', from: event.data.from, to: event.data.to }];
    case 'trial.last-known-status-changed':
      return [{ field: 'lastKnownStatus', ...event.data }];
    case 'trial.why-stopped-changed':
      return [{ field: 'whyStopped', ...event.data }];
    case 'trial.enrollment-updated':
      return [{ field: 'enrollment', ...event.data }];
    case 'trial.start-date-changed':
      return [{ field: 'startDate', ...event.data }];
    case 'trial.primary-completion-date-changed':
      return [{ field: 'primaryCompletionDate', ...event.data }];
    case 'trial.completion-date-changed':
      return [{ field: 'completionDate', ...event.data }];
    case 'trial.results-posted':
      return [{ field: 'hasResults', from: false, to: true }];
    case 'trial.results-removed':
      return [{ field: 'hasResults', from: true, to: false }];
    case 'trial.results-submitted':
      return [{ field: 'resultsFirstSubmitDate', ...event.data }];
    case 'trial.phases-changed':
      return [{ field: 'phases', ...event.data }];
    case 'trial.study-type-changed':
      return [{ field: 'studyType', ...event.data }];
    case 'trial.design-changed':
      return structChanges('design', event.data);
    case 'trial.eligibility-changed':
      return structChanges('eligibility', event.data);
    case 'trial.primary-outcomes-changed':
      return [{ field: 'primaryOutcomes', from: event.data.removed, to: event.data.added }];
    case 'trial.secondary-outcomes-changed':
      return [{ field: 'secondaryOutcomes', from: event.data.removed, to: event.data.added }];
    case 'trial.locations-changed': {
      const changes: FieldChange[] = [];
      if (event.data.added.length > 0 || event.data.removed.length > 0) {
        changes.push({ field: 'locations', from: event.data.removed, to: event.data.added });
      }
      if (event.data.statusChanged.length > 0) {
        changes.push({
          field: 'locations.status',
          from: event.data.statusChanged.map(({ location, from }) => ({ ...location, status: from })),
          to: event.data.statusChanged.map(({ location }) => location),
        });
      }
      return changes;
    }
    case 'trial.conditions-changed':
      return [{ field: 'conditions', from: event.data.removed, to: event.data.added }];
    case 'trial.keywords-changed':
      return [{ field: 'keywords', from: event.data.removed, to: event.data.added }];
    case 'trial.interventions-changed':
      return [{ field: 'interventions', from: event.data.removed, to: event.data.added }];
    case 'trial.arm-groups-changed':
      return [{ field: 'armGroups', from: event.data.removed, to: event.data.added }];
    case 'trial.collaborators-changed':
      return [{ field: 'collaborators', from: event.data.removed, to: event.data.added }];
    case 'trial.results-overdue':
    case 'trial.hygiene-flag-raised':
    case 'trial.hygiene-flag-cleared':
      return [];
    case 'trial.secondary-ids-changed':
      return [{ field: 'secondaryIds', from: event.data.removed, to: event.data.added }];
    case 'trial.references-changed':
      return [{ field: 'references', from: event.data.removed, to: event.data.added }];
    case 'trial.officials-changed':
      return [{ field: 'overallOfficials', from: event.data.removed, to: event.data.added }];
    case 'trial.nct-id-aliases-changed':
      return [{ field: 'nctIdAliases', from: event.data.removed, to: event.data.added }];
    case 'trial.fda-regulation-changed':
      return [{ field: 'fdaRegulated', from: event.data.from, to: event.data.to }];
    case 'trial.title-changed':
      return [{ field: event.data.field, from: event.data.from, to: event.data.to }];
    case 'trial.summary-changed':
      return [{ field: 'briefSummary', ...event.data }];
    case 'trial.lead-sponsor-changed':
      return [{ field: 'leadSponsor', ...event.data }];
    case 'trial.status-verified-date-moved':
      return [{ field: 'statusVerifiedDate', ...event.data }];
    case 'trial.registration-dates-corrected':
      return structChanges('registration', event.data);
    case 'trial.last-update-posted-date-moved':
      return [
        { field: 'lastUpdatePostDate', from: event.data.from, to: event.data.to },
        { field: 'lastUpdateSubmitDate', from: event.data.submitDate.from, to: event.data.submitDate.to },
      ];
  }
};

/** Every field name the field history can hold, for validating `?field=`: each fact, and parts of some. */
export const TRACKED_FIELDS: readonly string[] = [
  ...FACT_FIELDS,
  'design.allocation',
  'design.interventionModel',
  'design.primaryPurpose',
  'design.masking',
  'design.observationalModel',
  'design.timePerspective',
  'eligibility.minimumAge',
  'eligibility.maximumAge',
  'eligibility.sex',
  'eligibility.healthyVolunteers',
  'eligibility.criteria',
  'locations.status',
  'registration.studyFirstSubmitDate',
  'registration.studyFirstPostDate',
];
