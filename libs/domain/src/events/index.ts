export * from './trial-event.js';
export * from './arm-groups-changed.event.js';
export * from './collaborators-changed.event.js';
export * from './completion-date-changed.event.js';
export * from './conditions-changed.event.js';
export * from './design-changed.event.js';
export * from './eligibility-changed.event.js';
export * from './enrollment-updated.event.js';
export * from './facts-learned.event.js';
export * from './interventions-changed.event.js';
export * from './keywords-changed.event.js';
export * from './last-known-status-changed.event.js';
export * from './last-update-posted-date-moved.event.js';
export * from './lead-sponsor-changed.event.js';
export * from './locations-changed.event.js';
export * from './overall-status-changed.event.js';
export * from './phases-changed.event.js';
export * from './primary-completion-date-changed.event.js';
export * from './primary-outcomes-changed.event.js';
export * from './registration-dates-corrected.event.js';
export * from './results-posted.event.js';
export * from './results-removed.event.js';
export * from './secondary-outcomes-changed.event.js';
export * from './start-date-changed.event.js';
export * from './status-verified-date-moved.event.js';
export * from './study-type-changed.event.js';
export * from './summary-changed.event.js';
export * from './title-changed.event.js';
export * from './trial-registered.event.js';
export * from './why-stopped-changed.event.js';
export * from './fda-regulation-changed.event.js';
export * from './hygiene-flag-cleared.event.js';
export * from './hygiene-flag-raised.event.js';
export * from './results-overdue.event.js';
export * from './nct-id-aliases-changed.event.js';
export * from './secondary-ids-changed.event.js';
export * from './references-changed.event.js';
export * from './officials-changed.event.js';
export * from './results-submitted.event.js';

import type { ArmGroupsChanged } from './arm-groups-changed.event.js';
import type { CollaboratorsChanged } from './collaborators-changed.event.js';
import type { CompletionDateChanged } from './completion-date-changed.event.js';
import type { ConditionsChanged } from './conditions-changed.event.js';
import type { DesignChanged } from './design-changed.event.js';
import type { EligibilityChanged } from './eligibility-changed.event.js';
import type { EnrollmentUpdated } from './enrollment-updated.event.js';
import type { FactsLearned } from './facts-learned.event.js';
import type { InterventionsChanged } from './interventions-changed.event.js';
import type { KeywordsChanged } from './keywords-changed.event.js';
import type { LastKnownStatusChanged } from './last-known-status-changed.event.js';
import type { LastUpdatePostedDateMoved } from './last-update-posted-date-moved.event.js';
import type { LeadSponsorChanged } from './lead-sponsor-changed.event.js';
import type { LocationsChanged } from './locations-changed.event.js';
import type { OverallStatusChanged } from './overall-status-changed.event.js';
import type { PhasesChanged } from './phases-changed.event.js';
import type { PrimaryCompletionDateChanged } from './primary-completion-date-changed.event.js';
import type { PrimaryOutcomesChanged } from './primary-outcomes-changed.event.js';
import type { RegistrationDatesCorrected } from './registration-dates-corrected.event.js';
import type { ResultsPosted } from './results-posted.event.js';
import type { ResultsRemoved } from './results-removed.event.js';
import type { SecondaryOutcomesChanged } from './secondary-outcomes-changed.event.js';
import type { StartDateChanged } from './start-date-changed.event.js';
import type { StatusVerifiedDateMoved } from './status-verified-date-moved.event.js';
import type { StudyTypeChanged } from './study-type-changed.event.js';
import type { SummaryChanged } from './summary-changed.event.js';
import type { TitleChanged } from './title-changed.event.js';
import type { TrialRegistered } from './trial-registered.event.js';
import type { WhyStoppedChanged } from './why-stopped-changed.event.js';
import type { FdaRegulationChanged } from './fda-regulation-changed.event.js';
import type { HygieneFlagCleared } from './hygiene-flag-cleared.event.js';
import type { HygieneFlagRaised } from './hygiene-flag-raised.event.js';
import type { ResultsOverdue } from './results-overdue.event.js';
import type { NctIdAliasesChanged } from './nct-id-aliases-changed.event.js';
import type { SecondaryIdsChanged } from './secondary-ids-changed.event.js';
import type { ReferencesChanged } from './references-changed.event.js';
import type { OfficialsChanged } from './officials-changed.event.js';
import type { ResultsSubmitted } from './results-submitted.event.js';
import { ARM_GROUPS_CHANGED } from './arm-groups-changed.event.js';
import { COLLABORATORS_CHANGED } from './collaborators-changed.event.js';
import { COMPLETION_DATE_CHANGED } from './completion-date-changed.event.js';
import { CONDITIONS_CHANGED } from './conditions-changed.event.js';
import { DESIGN_CHANGED } from './design-changed.event.js';
import { ELIGIBILITY_CHANGED } from './eligibility-changed.event.js';
import { ENROLLMENT_UPDATED } from './enrollment-updated.event.js';
import { FACTS_LEARNED } from './facts-learned.event.js';
import { INTERVENTIONS_CHANGED } from './interventions-changed.event.js';
import { KEYWORDS_CHANGED } from './keywords-changed.event.js';
import { LAST_KNOWN_STATUS_CHANGED } from './last-known-status-changed.event.js';
import { LAST_UPDATE_POSTED_DATE_MOVED } from './last-update-posted-date-moved.event.js';
import { LEAD_SPONSOR_CHANGED } from './lead-sponsor-changed.event.js';
import { LOCATIONS_CHANGED } from './locations-changed.event.js';
import { OVERALL_STATUS_CHANGED } from './overall-status-changed.event.js';
import { PHASES_CHANGED } from './phases-changed.event.js';
import { PRIMARY_COMPLETION_DATE_CHANGED } from './primary-completion-date-changed.event.js';
import { PRIMARY_OUTCOMES_CHANGED } from './primary-outcomes-changed.event.js';
import { REGISTRATION_DATES_CORRECTED } from './registration-dates-corrected.event.js';
import { RESULTS_POSTED } from './results-posted.event.js';
import { RESULTS_REMOVED } from './results-removed.event.js';
import { SECONDARY_OUTCOMES_CHANGED } from './secondary-outcomes-changed.event.js';
import { START_DATE_CHANGED } from './start-date-changed.event.js';
import { STATUS_VERIFIED_DATE_MOVED } from './status-verified-date-moved.event.js';
import { STUDY_TYPE_CHANGED } from './study-type-changed.event.js';
import { SUMMARY_CHANGED } from './summary-changed.event.js';
import { TITLE_CHANGED } from './title-changed.event.js';
import { TRIAL_REGISTERED } from './trial-registered.event.js';
import { WHY_STOPPED_CHANGED } from './why-stopped-changed.event.js';
import { FDA_REGULATION_CHANGED } from './fda-regulation-changed.event.js';
import { HYGIENE_FLAG_CLEARED } from './hygiene-flag-cleared.event.js';
import { HYGIENE_FLAG_RAISED } from './hygiene-flag-raised.event.js';
import { RESULTS_OVERDUE } from './results-overdue.event.js';
import { NCT_ID_ALIASES_CHANGED } from './nct-id-aliases-changed.event.js';
import { SECONDARY_IDS_CHANGED } from './secondary-ids-changed.event.js';
import { REFERENCES_CHANGED } from './references-changed.event.js';
import { OFFICIALS_CHANGED } from './officials-changed.event.js';
import { RESULTS_SUBMITTED } from './results-submitted.event.js';

/** Every event a trial's stream can hold. */
export type DomainEvent =
  | ArmGroupsChanged
  | CollaboratorsChanged
  | CompletionDateChanged
  | ConditionsChanged
  | DesignChanged
  | EligibilityChanged
  | EnrollmentUpdated
  | FactsLearned
  | InterventionsChanged
  | KeywordsChanged
  | LastKnownStatusChanged
  | LastUpdatePostedDateMoved
  | LeadSponsorChanged
  | LocationsChanged
  | OverallStatusChanged
  | PhasesChanged
  | PrimaryCompletionDateChanged
  | PrimaryOutcomesChanged
  | RegistrationDatesCorrected
  | ResultsPosted
  | ResultsRemoved
  | ResultsSubmitted
  | SecondaryOutcomesChanged
  | StartDateChanged
  | StatusVerifiedDateMoved
  | StudyTypeChanged
  | SummaryChanged
  | TitleChanged
  | TrialRegistered
  | WhyStoppedChanged
  | SecondaryIdsChanged
  | ReferencesChanged
  | OfficialsChanged
  | NctIdAliasesChanged
  | FdaRegulationChanged
  | ResultsOverdue
  | HygieneFlagRaised
  | HygieneFlagCleared;

export type DomainEventType = DomainEvent['type'];

/** The persisted type strings, in the order `diff` emits them. */
export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = [
  TRIAL_REGISTERED,
  OVERALL_STATUS_CHANGED,
  LAST_KNOWN_STATUS_CHANGED,
  WHY_STOPPED_CHANGED,
  ENROLLMENT_UPDATED,
  START_DATE_CHANGED,
  PRIMARY_COMPLETION_DATE_CHANGED,
  COMPLETION_DATE_CHANGED,
  RESULTS_POSTED,
  RESULTS_REMOVED,
  RESULTS_SUBMITTED,
  PHASES_CHANGED,
  STUDY_TYPE_CHANGED,
  DESIGN_CHANGED,
  PRIMARY_OUTCOMES_CHANGED,
  SECONDARY_OUTCOMES_CHANGED,
  LOCATIONS_CHANGED,
  CONDITIONS_CHANGED,
  KEYWORDS_CHANGED,
  INTERVENTIONS_CHANGED,
  ARM_GROUPS_CHANGED,
  TITLE_CHANGED,
  SUMMARY_CHANGED,
  LEAD_SPONSOR_CHANGED,
  COLLABORATORS_CHANGED,
  SECONDARY_IDS_CHANGED,
  REFERENCES_CHANGED,
  OFFICIALS_CHANGED,
  NCT_ID_ALIASES_CHANGED,
  FDA_REGULATION_CHANGED,
  ELIGIBILITY_CHANGED,
  STATUS_VERIFIED_DATE_MOVED,
  REGISTRATION_DATES_CORRECTED,
  LAST_UPDATE_POSTED_DATE_MOVED,
  FACTS_LEARNED,
  RESULTS_OVERDUE,
  HYGIENE_FLAG_RAISED,
  HYGIENE_FLAG_CLEARED,
];

/** Events trialwatch records from the calendar (its daily check), not from a snapshot. */
export const SIGNAL_EVENT_TYPES: readonly DomainEventType[] = [
  RESULTS_OVERDUE,
  HYGIENE_FLAG_RAISED,
  HYGIENE_FLAG_CLEARED,
];

export const isSignalEvent = (type: string): boolean => (SIGNAL_EVENT_TYPES as readonly string[]).includes(type);

/**
 * Events that record what the registry changed: not what trialwatch learned (`trial.facts-learned`),
 * nor what its daily check recorded.
 */
export const REGISTRY_CHANGE_TYPES: readonly DomainEventType[] = DOMAIN_EVENT_TYPES.filter(
  (type) => type !== FACTS_LEARNED && !isSignalEvent(type),
);

export const isRegistryChange = (type: string): boolean => (REGISTRY_CHANGE_TYPES as readonly string[]).includes(type);

/**
 * What the change feed, its stream, the feeds and webhooks carry unless asked otherwise: registry changes
 * and the daily check's signals; learned facts only when their type is named.
 */
export const ANNOUNCED_EVENT_TYPES: readonly DomainEventType[] = DOMAIN_EVENT_TYPES.filter(
  (type) => type !== FACTS_LEARNED,
);

export const isAnnounced = (type: string): boolean => (ANNOUNCED_EVENT_TYPES as readonly string[]).includes(type);

export const isDomainEventType = (type: string): type is DomainEventType =>
  (DOMAIN_EVENT_TYPES as readonly string[]).includes(type);
