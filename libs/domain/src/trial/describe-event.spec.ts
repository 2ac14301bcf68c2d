import {
  armGroupsChanged,
  collaboratorsChanged,
  conditionsChanged,
  designChanged,
  eligibilityChanged,
  factsLearned,
  interventionsChanged,
  lastUpdatePostedDateMoved,
  leadSponsorChanged,
  locationsChanged,
  nctIdAliasesChanged,
  officialsChanged,
  overallStatusChanged,
  phasesChanged,
  referencesChanged,
  registrationDatesCorrected,
  resultsSubmitted,
  secondaryIdsChanged,
  studyTypeChanged,
  trialRegistered,
  whyStoppedChanged,
} from '../events/index.js';
import { EVERY_EVENT_TYPE, NOT_WORDS, REGISTRY_CODE } from '../testing/every-event-type.js';
import { actual, aLocation } from '../testing/trial-facts.js';
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
    ).toEqual(['Other IDs: added ISRCTN12345678 (registry, ISRCTN) — removed 2004-000001-11 (EudraCT number)']);
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
    ).toEqual(['Interventions: added Anakinra (Biological) — removed Anakinra (Drug)']);
    expect(
      describeEvent(
        armGroupsChanged({
          removed: [{ label: 'Arm A', type: 'ACTIVE_COMPARATOR' }],
          added: [{ label: 'Arm A', type: 'PLACEBO_COMPARATOR' }],
        }),
      ),
    ).toEqual(['Arms: added Arm A (Placebo comparator) — removed Arm A (Active comparator)']);
    expect(
      describeEvent(
        collaboratorsChanged({
          removed: [{ name: 'Rho', class: 'OTHER' }],
          added: [{ name: 'Rho', class: 'INDUSTRY' }],
        }),
      ),
    ).toEqual(['Collaborators: added Rho (industry) — removed Rho (other)']);
    expect(
      describeEvent(
        leadSponsorChanged({
          from: { name: 'Duke University', class: 'OTHER' },
          to: { name: 'Duke University', class: 'NIH' },
        }),
      ),
    ).toEqual(['Lead sponsor: Duke University (other) -> Duke University (NIH)']);
  });

  it('says which publication was cited, of what kind, with its PubMed ID, and who the officials are', () => {
    expect(
      describeEvent(
        referencesChanged({
          added: [{ pmid: '36000001', type: 'RESULT', citation: 'Results of STEP-X. Lancet. 2025.' }],
          removed: [{ pmid: null, type: 'BACKGROUND', citation: 'Smith A. Obesity. 2019.' }],
        }),
      ),
    ).toEqual([
      'References: added Results of STEP-X. Lancet. 2025. (results, PubMed ID 36000001) — removed Smith A. Obesity. 2019. (background)',
    ]);
    expect(
      describeEvent(
        officialsChanged({
          added: [{ name: 'Ana Lopez, MD', affiliation: 'Mayo Clinic', role: 'PRINCIPAL_INVESTIGATOR' }],
          removed: [{ name: 'John Wilding', affiliation: null, role: null }],
        }),
      ),
    ).toEqual(['Overall officials: added Ana Lopez, MD (principal investigator, Mayo Clinic) — removed John Wilding']);
    expect(describeEvent(factsLearned({ facts: { references: [], overallOfficials: [] } }))).toEqual([
      'References (learned): none',
      'Overall officials (learned): none',
    ]);
  });

  it("says results were submitted on their day and await the registry's review, or that the submission was withdrawn", () => {
    expect(describeEvent(resultsSubmitted({ from: null, to: '2023-05-11', posted: false }))).toEqual([
      'Results submitted on 2023-05-11 (awaiting quality-control review)',
    ]);
    expect(describeEvent(resultsSubmitted({ from: null, to: '2023-05-11', posted: true }))).toEqual([
      'Results first submitted on 2023-05-11',
    ]);
    expect(describeEvent(resultsSubmitted({ from: '2023-05-11', to: null, posted: false }))).toEqual([
      'Results submitted on 2023-05-11 withdrawn: the record shows none submitted',
    ]);
    expect(describeEvent(resultsSubmitted({ from: '2023-05-11', to: '2023-07-02', posted: false }))).toEqual([
      'Results first submitted: 2023-05-11 -> 2023-07-02',
    ]);
    expect(describeEvent(factsLearned({ facts: { resultsFirstSubmitDate: null } }))).toEqual([
      'Results first submitted (learned): none',
    ]);
  });

  it('says a learned field the record states as none is none, not unknown', () => {
    expect(describeEvent(factsLearned({ facts: { whyStopped: null, collaborators: [] } }))).toEqual([
      'Why stopped (learned): none',
      'Collaborators (learned): none',
    ]);
  });

  it('says the reason for stopping the record gave with the status it stopped at, and the last known status with an unknown one', () => {
    expect(
      describeEvent(
        overallStatusChanged({
          from: 'RECRUITING',
          to: 'TERMINATED',
          whyStopped: 'Sponsor decision',
          lastKnownStatus: null,
        }),
      ),
    ).toEqual(['Overall status: Recruiting -> Terminated (why stopped: Sponsor decision)']);
    expect(
      describeEvent(
        overallStatusChanged({ from: 'RECRUITING', to: 'UNKNOWN', whyStopped: null, lastKnownStatus: 'RECRUITING' }),
      ),
    ).toEqual(['Overall status: Recruiting -> Unknown status (last known status: Recruiting)']);
    expect(
      describeEvent(
        overallStatusChanged({ from: 'RECRUITING', to: 'COMPLETED', whyStopped: null, lastKnownStatus: null }),
      ),
    ).toEqual(['Overall status: Recruiting -> Completed']);
  });

  it('puts statuses, phases, the study type and design and eligibility codes in the words of the pages', () => {
    expect(
      describeEvent(
        overallStatusChanged({
          from: 'RECRUITING',
          to: 'ACTIVE_NOT_RECRUITING',
          whyStopped: null,
          lastKnownStatus: null,
        }),
      ),
    ).toEqual(['Overall status: Recruiting -> Active, not recruiting']);
    expect(describeEvent(phasesChanged({ from: ['PHASE2'], to: ['PHASE2', 'PHASE3'] }))).toEqual([
      'Phases: Phase 2 -> Phase 2/Phase 3',
    ]);
    expect(describeEvent(studyTypeChanged({ from: 'INTERVENTIONAL', to: 'OBSERVATIONAL' }))).toEqual([
      'Study type: Interventional -> Observational',
    ]);
    expect(describeEvent(designChanged({ allocation: { from: 'NON_RANDOMIZED', to: 'RANDOMIZED' } }))).toEqual([
      'Allocation: Non randomized -> Randomized',
    ]);
    expect(describeEvent(eligibilityChanged({ sex: { from: 'ALL', to: 'FEMALE' } }))).toEqual(['Sex: All -> Female']);
    expect(describeEvent(factsLearned({ facts: { phases: ['EARLY_PHASE1'], overallStatus: 'WITHDRAWN' } }))).toEqual([
      'Phases (learned): Early phase 1',
      'Overall status (learned): Withdrawn',
    ]);
    expect(
      describeEvent(trialRegistered({ facts: { nctId: 'NCT01234567', overallStatus: 'NOT_YET_RECRUITING' } })),
    ).toEqual(['Registered: NCT01234567 (Not yet recruiting)']);
  });

  it('keeps what was added apart from what was removed when either holds several items', () => {
    expect(
      describeEvent(conditionsChanged({ added: ['Lupus', 'Lupus nephritis'], removed: ['SLE', 'Nephritis'] })),
    ).toEqual(['Conditions: added Lupus; Lupus nephritis — removed SLE; Nephritis']);
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

describe.each(
  Object.entries(EVERY_EVENT_TYPE).flatMap(([type, events]) => events.map((event) => [type, event] as const)),
)('every event type in words: %s', (_type, event) => {
  it('describes each change in words', () => {
    const lines = describeEvent(event);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toMatch(NOT_WORDS);
  });

  it('puts registry codes in words', () => {
    for (const line of describeEvent(event)) expect(line).not.toMatch(REGISTRY_CODE);
  });
});
