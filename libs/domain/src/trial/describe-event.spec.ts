import {
  armGroupsChanged,
  completionDateChanged,
  conditionsChanged,
  designChanged,
  type DomainEvent,
  type DomainEventType,
  enrollmentUpdated,
  fdaRegulationChanged,
  hygieneFlagCleared,
  hygieneFlagRaised,
  keywordsChanged,
  lastKnownStatusChanged,
  locationsChanged,
  overallStatusChanged,
  phasesChanged,
  primaryCompletionDateChanged,
  primaryOutcomesChanged,
  resultsOverdue,
  resultsPosted,
  resultsRemoved,
  secondaryOutcomesChanged,
  startDateChanged,
  statusVerifiedDateMoved,
  studyTypeChanged,
  summaryChanged,
  titleChanged,
  trialRegistered,
  collaboratorsChanged,
  eligibilityChanged,
  factsLearned,
  interventionsChanged,
  leadSponsorChanged,
  nctIdAliasesChanged,
  secondaryIdsChanged,
  lastUpdatePostedDateMoved,
  registrationDatesCorrected,
  whyStoppedChanged,
} from '../events/index.js';
import { actual, aLocation, anOutcome, aTrial, estimated } from '../testing/trial-facts.js';
import { describeEvent, fieldLabel } from './describe-event.js';

describe('describeEvent', () => {
  it('says a value the registry removed went to none, not that it became unknown', () => {
    expect(describeEvent(eligibilityChanged({ maximumAge: { from: '64 Years', to: null } }))).toEqual([
      'Maximum age: 64 Years -> none',
    ]);
    expect(describeEvent(whyStoppedChanged({ from: 'Drug supply interrupted', to: null }))).toEqual([
      'Why stopped: Drug supply interrupted -> none',
    ]);
  });

  it('says a value a newer record gives where the trial held none came from none', () => {
    expect(describeEvent(eligibilityChanged({ maximumAge: { from: null, to: '65 Years' } }))).toEqual([
      'Maximum age: none -> 65 Years',
    ]);
    expect(describeEvent(whyStoppedChanged({ from: null, to: 'Funding' }))).toEqual(['Why stopped: none -> Funding']);
  });

  it('says a new version whose source shows no posted date does not show it, not that it has none', () => {
    const moved = lastUpdatePostedDateMoved({
      from: { date: '2017-06-16', type: 'ACTUAL' },
      to: null,
      submitDate: { from: '2017-06-15', to: '2018-05-10' },
    });
    expect(describeEvent(moved)[0]).toMatch(/-> unknown$/);
  });

  it('names corrected registration dates as everywhere else: First submitted, First posted', () => {
    const corrected = registrationDatesCorrected({
      studyFirstSubmitDate: { from: '2020-01-01', to: '2020-01-02' },
      studyFirstPostDate: { from: actual('2020-01-05'), to: actual('2020-01-06') },
    });
    expect(describeEvent(corrected)).toEqual([
      'First submitted: 2020-01-01 -> 2020-01-02',
      'First posted: 2020-01-05 (actual) -> 2020-01-06 (actual)',
    ]);
    expect(fieldLabel('registration.studyFirstSubmitDate')).toBe(fieldLabel('studyFirstSubmitDate'));
    expect(fieldLabel('registration.studyFirstPostDate')).toBe(fieldLabel('studyFirstPostDate'));
  });

  it('names the parts of the design and eligibility in the case of every other label', () => {
    expect(
      [
        'design.interventionModel',
        'design.primaryPurpose',
        'eligibility.minimumAge',
        'eligibility.healthyVolunteers',
      ].map(fieldLabel),
    ).toEqual(['Intervention model', 'Primary purpose', 'Minimum age', 'Healthy volunteers']);
  });

  it('describes other identifiers, a design and eligibility in words, never as code', () => {
    expect(
      describeEvent(
        secondaryIdsChanged({
          removed: [{ id: '2004-000001-11', type: 'EUDRACT_NUMBER', domain: null }],
          added: [{ id: 'ISRCTN12345678', type: 'REGISTRY', domain: 'ISRCTN' }],
        }),
      ),
    ).toEqual(['Other IDs: added ISRCTN12345678 (registry, ISRCTN); removed 2004-000001-11 (EudraCT number)']);
    expect(describeEvent(nctIdAliasesChanged({ removed: [], added: ['NCT01234567'] }))).toEqual([
      'Merged NCT IDs: added NCT01234567',
    ]);
    expect(
      describeEvent(
        factsLearned({
          facts: {
            design: {
              allocation: 'RANDOMIZED',
              interventionModel: 'PARALLEL',
              primaryPurpose: 'TREATMENT',
              masking: 'NONE',
              observationalModel: null,
              timePerspective: null,
            },
            eligibility: {
              minimumAge: '18 Years',
              maximumAge: null,
              sex: 'FEMALE',
              healthyVolunteers: false,
              criteria: 'Pregnant women with lupus',
            },
            secondaryIds: [{ id: 'Pro00012345', type: 'ORG_STUDY_ID', domain: null }],
          },
        }),
      ),
    ).toEqual([
      'Design (learned): Allocation: Randomized; Intervention model: Parallel; Primary purpose: Treatment; Masking: None',
      'Eligibility (learned): Minimum age: 18 Years; Sex: Female; Healthy volunteers: no; Criteria: Pregnant women with lupus',
      "Other IDs (learned): Pro00012345 (sponsor's ID)",
    ]);
  });

  it("says a drug turned biological, an arm's or a collaborator's new type and a sponsor's new class, not the same name twice", () => {
    expect(
      describeEvent(
        interventionsChanged({
          removed: [{ type: 'DRUG', name: 'Anakinra' }],
          added: [{ type: 'BIOLOGICAL', name: 'Anakinra' }],
        }),
      ),
    ).toEqual(['Interventions: added Anakinra (Biological); removed Anakinra (Drug)']);
    expect(
      describeEvent(
        armGroupsChanged({
          removed: [{ label: 'Arm A', type: 'ACTIVE_COMPARATOR' }],
          added: [{ label: 'Arm A', type: 'PLACEBO_COMPARATOR' }],
        }),
      ),
    ).toEqual(['Arms: added Arm A (Placebo comparator); removed Arm A (Active comparator)']);
    expect(
      describeEvent(
        collaboratorsChanged({
          removed: [{ name: 'Rho', class: 'OTHER' }],
          added: [{ name: 'Rho', class: 'INDUSTRY' }],
        }),
      ),
    ).toEqual(['Collaborators: added Rho (industry); removed Rho (other)']);
    expect(
      describeEvent(
        leadSponsorChanged({
          from: { name: 'Duke University', class: 'OTHER' },
          to: { name: 'Duke University', class: 'NIH' },
        }),
      ),
    ).toEqual(['Lead sponsor: Duke University (other) -> Duke University (NIH)']);
  });

  it('says a learned field the record states as none is none, not unknown', () => {
    expect(describeEvent(factsLearned({ facts: { whyStopped: null, collaborators: [] } }))).toEqual([
      'Why stopped (learned): none',
      'Collaborators (learned): none',
    ]);
  });

  it("says each site's status change by the site, from what it was to what it is", () => {
    const mayo = aLocation({ status: 'RECRUITING' });
    const cleveland = aLocation({ facility: 'Cleveland Clinic', city: 'Cleveland', status: 'COMPLETED' });
    expect(
      describeEvent(
        locationsChanged({
          added: [],
          removed: [],
          statusChanged: [
            { location: mayo, from: null, to: 'RECRUITING' },
            { location: cleveland, from: 'ACTIVE_NOT_RECRUITING', to: 'COMPLETED' },
          ],
        }),
      ),
    ).toEqual([
      'Site status: Mayo Clinic, Rochester, United States: unknown -> Recruiting; ' +
        'Cleveland Clinic, Cleveland, United States: Active, not recruiting -> Completed',
    ]);
  });
});

const { nctId: _nctId, ...everyFact } = aTrial({ nctIdAliases: ['NCT00000001'], whyStopped: null });

/** Every event type, with the values that are hardest to put into words: objects, nones, unknowns. */
const EXAMPLES: { [Type in DomainEventType]: Extract<DomainEvent, { type: Type }>[] } = {
  'trial.registered': [trialRegistered({ facts: aTrial() }), trialRegistered({ facts: { nctId: 'NCT01234567' } })],
  'trial.facts-learned': [factsLearned({ facts: everyFact })],
  'trial.overall-status-changed': [
    overallStatusChanged({ from: 'RECRUITING', to: 'TERMINATED', whyStopped: 'Funding', lastKnownStatus: null }),
    overallStatusChanged({ from: null, to: 'RECRUITING', whyStopped: null, lastKnownStatus: null }),
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
    eligibilityChanged({ healthyVolunteers: { from: false, to: true }, minimumAge: { from: '18 Years', to: null } }),
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
  'trial.nct-id-aliases-changed': [
    nctIdAliasesChanged({ added: ['NCT00000001'], removed: [] }),
    nctIdAliasesChanged({ added: [], removed: ['NCT00000001'] }),
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
const NOT_WORDS = /[{}]|"\w+":|\bnull\b|\bundefined\b|\bNaN\b|\[object Object\]|\b[a-z]+[A-Z]\w*/;

describe.each(Object.entries(EXAMPLES).flatMap(([type, events]) => events.map((event) => [type, event] as const)))(
  'every event type in words: %s',
  (_type, event) => {
    it('describes each change in words', () => {
      const lines = describeEvent(event);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).not.toMatch(NOT_WORDS);
    });
  },
);
