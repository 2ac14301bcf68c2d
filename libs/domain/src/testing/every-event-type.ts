import {
  armGroupsChanged,
  collaboratorsChanged,
  completionDateChanged,
  conditionsChanged,
  designChanged,
  type DomainEvent,
  type DomainEventType,
  eligibilityChanged,
  enrollmentUpdated,
  factsLearned,
  fdaRegulationChanged,
  hygieneFlagCleared,
  hygieneFlagRaised,
  interventionsChanged,
  keywordsChanged,
  lastKnownStatusChanged,
  lastUpdatePostedDateMoved,
  leadSponsorChanged,
  locationsChanged,
  nctIdAliasesChanged,
  officialsChanged,
  overallStatusChanged,
  phasesChanged,
  primaryCompletionDateChanged,
  primaryOutcomesChanged,
  referencesChanged,
  registrationDatesCorrected,
  resultsOverdue,
  resultsPosted,
  resultsRemoved,
  resultsSubmitted,
  secondaryIdsChanged,
  secondaryOutcomesChanged,
  startDateChanged,
  statusVerifiedDateMoved,
  studyTypeChanged,
  summaryChanged,
  titleChanged,
  trialRegistered,
  whyStoppedChanged,
} from '../events/index.js';
import { actual, aLocation, anOutcome, aTrial, estimated } from './trial-facts.js';

/*
 * One or more events of every type, with the values that are hardest to put into words (objects, nones,
 * unknowns), for the specs that check every event type reads in words.
 */

const { nctId: _nctId, ...everyFact } = aTrial({ nctIdAliases: ['NCT00000001'], whyStopped: null });

/** Every event type, with the values that are hardest to put into words: objects, nones, unknowns. */
export const EVERY_EVENT_TYPE: { [Type in DomainEventType]: Extract<DomainEvent, { type: Type }>[] } = {
  'trial.registered': [trialRegistered({ facts: aTrial() }), trialRegistered({ facts: { nctId: 'NCT01234567' } })],
  'trial.facts-learned': [factsLearned({ facts: everyFact })],
  'trial.overall-status-changed': [
    overallStatusChanged({ from: 'RECRUITING', to: 'TERMINATED', whyStopped: 'Funding', lastKnownStatus: null }),
    overallStatusChanged({ from: null, to: 'RECRUITING', whyStopped: null, lastKnownStatus: null }),
    overallStatusChanged({
      from: 'RECRUITING',
      to: 'UNKNOWN',
      whyStopped: null,
      lastKnownStatus: 'ACTIVE_NOT_RECRUITING',
    }),
  ],
  'trial.last-known-status-changed': [lastKnownStatusChanged({ from: 'RECRUITING', to: 'ACTIVE_NOT_RECRUITING' })],
  'trial.why-stopped-changed': [whyStoppedChanged({ from: 'Funding', to: null })],
  'trial.enrollment-updated': [
    enrollmentUpdated({ from: { count: 10, type: 'ESTIMATED' }, to: { count: null, type: null } }),
    enrollmentUpdated({ from: null, to: { count: 0, type: 'ACTUAL' } }),
  ],
  'trial.start-date-changed': [startDateChanged({ from: estimated('2026-12-01'), to: estimated('2026-12-20') })],
  'trial.primary-completion-date-changed': [
    primaryCompletionDateChanged({ from: estimated('2026-01'), to: actual('2027-03-05') }),
    primaryCompletionDateChanged({ from: estimated('2026-01'), to: null }),
  ],
  'trial.completion-date-changed': [completionDateChanged({ from: null, to: estimated('2026-07') })],
  'trial.results-posted': [
    resultsPosted({ firstPostDate: actual('2025-01-02') }),
    resultsPosted({ firstPostDate: null }),
  ],
  'trial.results-removed': [resultsRemoved({})],
  'trial.phases-changed': [phasesChanged({ from: ['PHASE2'], to: ['PHASE2', 'PHASE3'] })],
  'trial.study-type-changed': [studyTypeChanged({ from: 'INTERVENTIONAL', to: 'OBSERVATIONAL' })],
  'trial.design-changed': [
    designChanged({ interventionModel: { from: 'PARALLEL', to: 'CROSSOVER' }, masking: { from: null, to: 'DOUBLE' } }),
  ],
  'trial.eligibility-changed': [
    eligibilityChanged({
      healthyVolunteers: { from: false, to: true },
      minimumAge: { from: '18 Years', to: null },
      sex: { from: 'ALL', to: 'FEMALE' },
    }),
  ],
  'trial.primary-outcomes-changed': [
    primaryOutcomesChanged({ removed: [anOutcome('Death', '1 year')], added: [anOutcome('Death', null)] }),
  ],
  'trial.secondary-outcomes-changed': [secondaryOutcomesChanged({ removed: [anOutcome('Length of stay')], added: [] })],
  'trial.locations-changed': [
    locationsChanged({
      added: [aLocation({ facility: null, status: null })],
      removed: [aLocation({ status: 'WITHDRAWN' })],
      statusChanged: [{ location: aLocation(), from: null, to: 'RECRUITING' }],
    }),
  ],
  'trial.conditions-changed': [conditionsChanged({ added: ['Lupus'], removed: ['SLE'] })],
  'trial.keywords-changed': [keywordsChanged({ added: [], removed: ['weight loss'] })],
  'trial.interventions-changed': [
    interventionsChanged({ added: [{ type: null, name: 'Placebo' }], removed: [{ type: 'DRUG', name: 'Placebo' }] }),
  ],
  'trial.arm-groups-changed': [armGroupsChanged({ added: [{ label: 'Arm B', type: null }], removed: [] })],
  'trial.title-changed': [
    titleChanged({ field: 'acronym', from: 'STEP', to: null }),
    titleChanged({ field: 'officialTitle', from: 'A trial', to: 'A randomised trial' }),
  ],
  'trial.summary-changed': [summaryChanged({ from: 'Short.', to: 'Longer.' })],
  'trial.lead-sponsor-changed': [
    leadSponsorChanged({
      from: { name: 'Duke University', class: null },
      to: { name: 'Duke University', class: 'NIH' },
    }),
    leadSponsorChanged({ from: { name: 'Duke University', class: 'OTHER' }, to: null }),
  ],
  'trial.collaborators-changed': [collaboratorsChanged({ added: [{ name: 'Rho', class: 'OTHER_GOV' }], removed: [] })],
  'trial.secondary-ids-changed': [
    secondaryIdsChanged({ added: [{ id: 'U1111-1111-1111', type: null, domain: 'WHO' }], removed: [] }),
  ],
  'trial.references-changed': [
    referencesChanged({
      added: [{ pmid: '36000001', type: 'RESULT', citation: 'Results of STEP-X. Lancet. 2025.' }],
      removed: [{ pmid: null, type: null, citation: 'STEP-X protocol. BMJ Open. 2023.' }],
    }),
    referencesChanged({
      added: [{ pmid: '37000003', type: 'DERIVED', citation: 'Jones B. Semaglutide. BMJ. 2023.' }],
      removed: [{ pmid: '31000002', type: 'BACKGROUND', citation: 'Smith A. Obesity. Lancet. 2019.' }],
    }),
  ],
  'trial.officials-changed': [
    officialsChanged({
      added: [{ name: 'Ana Lopez, MD', affiliation: null, role: 'PRINCIPAL_INVESTIGATOR' }],
      removed: [{ name: 'John Wilding', affiliation: 'University of Liverpool', role: null }],
    }),
    officialsChanged({
      added: [],
      removed: [{ name: 'Ana Lopez, MD', affiliation: 'Mayo Clinic', role: 'STUDY_CHAIR' }],
    }),
  ],
  'trial.nct-id-aliases-changed': [
    nctIdAliasesChanged({ added: ['NCT00000001'], removed: [] }),
    nctIdAliasesChanged({ added: [], removed: ['NCT00000001'] }),
  ],
  'trial.results-submitted': [
    resultsSubmitted({ from: null, to: '2023-05-11', posted: false }),
    resultsSubmitted({ from: '2023-05-11', to: null, posted: false }),
    resultsSubmitted({ from: '2023-05-11', to: '2023-07-02', posted: false }),
  ],
  'trial.fda-regulation-changed': [fdaRegulationChanged({ from: null, to: false })],
  'trial.status-verified-date-moved': [statusVerifiedDateMoved({ from: '2025-01', to: '2025-02' })],
  'trial.registration-dates-corrected': [
    registrationDatesCorrected({ studyFirstPostDate: { from: actual('2020-01-05'), to: actual('2020-01-06') } }),
  ],
  'trial.last-update-posted-date-moved': [
    lastUpdatePostedDateMoved({ from: actual('2025-01-01'), to: null, submitDate: { from: '2024-12-31', to: null } }),
  ],
  'trial.results-overdue': [resultsOverdue({ dueDate: '2025-01-01', primaryCompletionDate: null })],
  'trial.hygiene-flag-raised': [hygieneFlagRaised({ flag: 'merged-into-another', since: '2025-01-01' })],
  'trial.hygiene-flag-cleared': [hygieneFlagCleared({ flag: 'merged-into-another' })],
};

/** What a person should never read: code (JSON, field names), a program's nothing, or an object's default text. */
export const NOT_WORDS = /[{}]|"\w+":|\bnull\b|\bundefined\b|\bNaN\b|\[object Object\]|\b[a-z]+[A-Z]\w*/;

/** A registry code a person should read in words: `ACTIVE_NOT_RECRUITING`, `PHASE2`, `FEMALE` (an acronym like `STEP` is registry text). */
export const REGISTRY_CODE =
  /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\bPHASE\d\b|\b(?:RECRUITING|SUSPENDED|TERMINATED|COMPLETED|WITHDRAWN|UNKNOWN|INTERVENTIONAL|OBSERVATIONAL|RANDOMIZED|PARALLEL|CROSSOVER|SINGLE|DOUBLE|NONE|TREATMENT|PREVENTION|FEMALE|MALE|ALL|ACTUAL|ESTIMATED|DRUG|BIOLOGICAL|INDUSTRY|OTHER)\b/;
