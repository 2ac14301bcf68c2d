import {
  armGroupsChanged,
  collaboratorsChanged,
  completionDateChanged,
  conditionsChanged,
  designChanged,
  REGISTRY_CHANGE_TYPES,
  eligibilityChanged,
  enrollmentUpdated,
  fdaRegulationChanged,
  interventionsChanged,
  keywordsChanged,
  lastKnownStatusChanged,
  lastUpdatePostedDateMoved,
  leadSponsorChanged,
  locationsChanged,
  nctIdAliasesChanged,
  overallStatusChanged,
  phasesChanged,
  primaryCompletionDateChanged,
  officialsChanged,
  primaryOutcomesChanged,
  referencesChanged,
  registrationDatesCorrected,
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
  type Change,
  type DomainEvent,
  type ListChange,
} from '../events/index.js';
import type { DateStruct, Outcome, TrialFacts } from '../snapshot/trial-snapshot.js';
import {
  aLocation,
  anOutcome,
  aSnapshot,
  aTrial,
  actual,
  anUnknownTrial,
  estimated,
  NCT_ID,
  on,
  registered,
} from '../testing/trial-facts.js';
import { given } from '../testing/trial-spec.js';

/** `aTrial()` with one field set, for rules that hold for several fields alike. */
const trialWith = <K extends keyof TrialFacts>(field: K, value: TrialFacts[K]): TrialFacts => {
  const facts = aTrial();
  facts[field] = value;
  return facts;
};

const trial = aTrial();

describe('trial.registered: the first snapshot of a trial', () => {
  it('registers the trial with every value the snapshot knows', () => {
    const {
      whyStopped: _whyStopped,
      lastKnownStatus: _lastKnown,
      resultsFirstSubmitDate: _submitted,
      resultsFirstPostDate: _results,
      ...known
    } = trial;
    given()
      .when(trial)
      .then([trialRegistered({ facts: known })]);
  });

  it('leaves out what the snapshot does not show, but keeps a list it shows as empty', () => {
    given()
      .when(anUnknownTrial({ overallStatus: 'RECRUITING', conditions: [], hasResults: false }))
      .then([
        trialRegistered({ facts: { nctId: NCT_ID, overallStatus: 'RECRUITING', conditions: [], hasResults: false } }),
      ]);
  });

  it('does not carry where the snapshot came from', () => {
    given()
      .when(aSnapshot(anUnknownTrial({ briefTitle: 'Semaglutide' })))
      .then([trialRegistered({ facts: { nctId: NCT_ID, briefTitle: 'Semaglutide' } })]);
  });

  it('a trial already registered is not registered again', () => {
    given([registered()]).when(trial).thenNothingHappened();
  });
});

describe('a snapshot that changes nothing', () => {
  it('the same facts again produce no event', () => {
    given(trial).when(aTrial()).thenNothingHappened();
  });

  it('a snapshot that shows nothing produces no event and erases nothing', () => {
    given(trial).when(anUnknownTrial()).thenNothingHappened();
    given(trial).when(anUnknownTrial()).thenState(trial);
  });

  it('when everything changes at once, events come in the documented order, one per family', () => {
    const everythingChanged = aTrial({
      overallStatus: 'TERMINATED',
      whyStopped: 'Sponsor decision',
      enrollment: { count: 120, type: 'ACTUAL' },
      startDate: actual('2023-03-15'),
      primaryCompletionDate: actual('2024-05-30'),
      completionDate: actual('2024-06-30'),
      hasResults: true,
      resultsFirstSubmitDate: '2024-09-20',
      resultsFirstPostDate: actual('2024-11-02'),
      phases: ['PHASE2', 'PHASE3'],
      studyType: 'OBSERVATIONAL',
      design: { ...trial.design!, masking: 'NONE' },
      primaryOutcomes: [anOutcome('Change in body weight', 'Week 52')],
      secondaryOutcomes: [],
      locations: [aLocation({ status: 'TERMINATED' })],
      conditions: ['Obesity'],
      keywords: [],
      interventions: [{ type: 'DRUG', name: 'Semaglutide' }],
      armGroups: [{ label: 'Semaglutide 2.4 mg', type: 'EXPERIMENTAL' }],
      briefTitle: 'Semaglutide Versus Placebo in Obesity',
      briefSummary: 'Stopped early.',
      leadSponsor: { name: 'Novo Nordisk', class: 'OTHER' },
      collaborators: [],
      secondaryIds: [{ id: 'NN9536-4999', type: 'ORG_STUDY_ID', domain: null }],
      references: [{ pmid: '36000001', type: 'RESULT', citation: 'Results of STEP-X. Lancet. 2025.' }],
      overallOfficials: [],
      nctIdAliases: ['NCT05999999'],
      fdaRegulated: false,
      eligibility: { ...trial.eligibility!, minimumAge: '16 Years' },
      statusVerifiedDate: '2024-11',
      studyFirstSubmitDate: '2023-01-09',
      lastUpdateSubmitDate: '2024-11-01',
      lastUpdatePostDate: actual('2024-11-02'),
    });
    const notExpected = [
      'trial.registered',
      'trial.last-known-status-changed',
      'trial.why-stopped-changed',
      'trial.results-removed',
    ];
    given(trial)
      .when(everythingChanged)
      .thenEventTypes(REGISTRY_CHANGE_TYPES.filter((type) => !notExpected.includes(type)));
  });
});

describe('overall status', () => {
  it('a status that moves is one event with from and to', () => {
    given(trial)
      .when(aTrial({ overallStatus: 'ACTIVE_NOT_RECRUITING' }))
      .then([
        overallStatusChanged({
          from: 'RECRUITING',
          to: 'ACTIVE_NOT_RECRUITING',
          whyStopped: null,
          lastKnownStatus: null,
        }),
      ]);
  });

  it('a trial that stops carries its reason in the status change, not as a separate event', () => {
    given(trial)
      .when(aTrial({ overallStatus: 'TERMINATED', whyStopped: 'Sponsor decision' }))
      .then([
        overallStatusChanged({
          from: 'RECRUITING',
          to: 'TERMINATED',
          whyStopped: 'Sponsor decision',
          lastKnownStatus: null,
        }),
      ]);
  });

  it('a record going UNKNOWN carries its last known status in the status change', () => {
    given(trial)
      .when(aTrial({ overallStatus: 'UNKNOWN', lastKnownStatus: 'RECRUITING' }))
      .then([
        overallStatusChanged({ from: 'RECRUITING', to: 'UNKNOWN', whyStopped: null, lastKnownStatus: 'RECRUITING' }),
      ]);
  });

  it('a status shown where none was known is a change from nothing', () => {
    given(aTrial({ overallStatus: null }))
      .when(trial)
      .then([overallStatusChanged({ from: null, to: 'RECRUITING', whyStopped: null, lastKnownStatus: null })]);
  });

  it('the same status in another letter case is not a change', () => {
    given(trial)
      .when(aTrial({ overallStatus: 'Recruiting' }))
      .thenNothingHappened();
  });

  it('an unknown status never produces an event and never erases a known one', () => {
    given(trial)
      .when(aTrial({ overallStatus: null }))
      .thenNothingHappened();
    given(trial)
      .when(aTrial({ overallStatus: null }))
      .thenState(trial);
  });
});

describe('why stopped and last known status, while the overall status stays', () => {
  const stopped = aTrial({ overallStatus: 'TERMINATED', whyStopped: 'Slow accrual' });
  const unknown = aTrial({ overallStatus: 'UNKNOWN', lastKnownStatus: 'RECRUITING' });

  it('a reworded reason for stopping is one event with from and to', () => {
    given(stopped)
      .when({ ...stopped, whyStopped: 'Sponsor decision' })
      .then([whyStoppedChanged({ from: 'Slow accrual', to: 'Sponsor decision' })]);
  });

  it('the same reason re-wrapped or in another letter case is not a change', () => {
    given(stopped)
      .when({ ...stopped, whyStopped: '  slow\n   ACCRUAL ' })
      .thenNothingHappened();
  });

  it('a reason shown where none was known is a change from nothing', () => {
    given(aTrial({ overallStatus: 'TERMINATED' }))
      .when(stopped)
      .then([whyStoppedChanged({ from: null, to: 'Slow accrual' })]);
  });

  it('an unknown reason never erases a known one', () => {
    given(stopped)
      .when({ ...stopped, whyStopped: null })
      .thenNothingHappened();
    given(stopped)
      .when({ ...stopped, whyStopped: null })
      .thenState(stopped);
  });

  it('a changed last known status is one event with from and to', () => {
    given(unknown)
      .when({ ...unknown, lastKnownStatus: 'ACTIVE_NOT_RECRUITING' })
      .then([lastKnownStatusChanged({ from: 'RECRUITING', to: 'ACTIVE_NOT_RECRUITING' })]);
  });

  it('the same last known status in another letter case is not a change', () => {
    given(unknown)
      .when({ ...unknown, lastKnownStatus: 'recruiting' })
      .thenNothingHappened();
  });

  it('an unknown last known status never erases a known one', () => {
    given(unknown)
      .when({ ...unknown, lastKnownStatus: null })
      .thenState(unknown);
  });
});

describe('enrollment', () => {
  it('a new participant count is one event with from and to', () => {
    given(trial)
      .when(aTrial({ enrollment: { count: 412, type: 'ESTIMATED' } }))
      .then([enrollmentUpdated({ from: { count: 300, type: 'ESTIMATED' }, to: { count: 412, type: 'ESTIMATED' } })]);
  });

  it('an estimated count becoming actual is a change, even with the same number', () => {
    given(trial)
      .when(aTrial({ enrollment: { count: 300, type: 'ACTUAL' } }))
      .then([enrollmentUpdated({ from: { count: 300, type: 'ESTIMATED' }, to: { count: 300, type: 'ACTUAL' } })]);
  });

  it('the actual/estimated label shown on one side only is not a change', () => {
    given(trial)
      .when(aTrial({ enrollment: { count: 300, type: null } }))
      .thenNothingHappened();
    given(aTrial({ enrollment: { count: 300, type: null } }))
      .when(trial)
      .thenNothingHappened();
  });

  it('a count shown where none was known is a change from nothing', () => {
    given(aTrial({ enrollment: null }))
      .when(trial)
      .then([enrollmentUpdated({ from: null, to: { count: 300, type: 'ESTIMATED' } })]);
  });

  it('an unknown enrollment never erases a known one', () => {
    given(trial)
      .when(aTrial({ enrollment: null }))
      .thenNothingHappened();
    given(trial)
      .when(aTrial({ enrollment: null }))
      .thenState(trial);
  });

  it('an enrollment without a count is unknown, whatever its label', () => {
    given(trial)
      .when(aTrial({ enrollment: { count: null, type: 'ACTUAL' } }))
      .thenNothingHappened();
  });
});

const DATE_FAMILIES = [
  { name: 'start date', field: 'startDate', event: startDateChanged },
  { name: 'primary completion date', field: 'primaryCompletionDate', event: primaryCompletionDateChanged },
  { name: 'completion date', field: 'completionDate', event: completionDateChanged },
] satisfies {
  name: string;
  field: 'startDate' | 'primaryCompletionDate' | 'completionDate';
  event: (change: Change<DateStruct>) => DomainEvent;
}[];

describe.each(DATE_FAMILIES)('the $name', ({ field, event }) => {
  const known = estimated('2025-06');
  const before = trialWith(field, known);

  it('a date that slips is one event with from and to', () => {
    given(before)
      .when(trialWith(field, estimated('2025-09')))
      .then([event({ from: known, to: estimated('2025-09') })]);
  });

  it('an estimated date that turns actual is a change, even on the same date', () => {
    given(before)
      .when(trialWith(field, actual('2025-06')))
      .then([event({ from: known, to: actual('2025-06') })]);
  });

  it('a month made precise to a day is a change', () => {
    given(before)
      .when(trialWith(field, estimated('2025-06-30')))
      .then([event({ from: known, to: estimated('2025-06-30') })]);
  });

  it('the actual/estimated label shown on one side only is not a change', () => {
    given(before)
      .when(trialWith(field, on('2025-06')))
      .thenNothingHappened();
    given(trialWith(field, on('2025-06')))
      .when(before)
      .thenNothingHappened();
  });

  it('a date shown where none was known is a change from nothing', () => {
    given(trialWith(field, null))
      .when(before)
      .then([event({ from: null, to: known })]);
  });

  it('an unknown date never erases a known one', () => {
    given(before).when(trialWith(field, null)).thenNothingHappened();
    given(before).when(trialWith(field, null)).thenState(before);
  });
});

describe('results', () => {
  const withResults = aTrial({ hasResults: true, resultsFirstPostDate: actual('2026-05-02') });

  it('results posted for the first time are one event with their first posted date', () => {
    given(trial)
      .when(withResults)
      .then([resultsPosted({ firstPostDate: actual('2026-05-02') })]);
  });

  it('results shown where nothing was known about them are posted', () => {
    given(aTrial({ hasResults: null }))
      .when(withResults)
      .then([resultsPosted({ firstPostDate: actual('2026-05-02') })]);
  });

  it('results posted without a first posted date are still posted', () => {
    given(trial)
      .when(aTrial({ hasResults: true }))
      .then([resultsPosted({ firstPostDate: null })]);
  });

  it('results taken down are one event', () => {
    given(withResults)
      .when({ ...withResults, hasResults: false })
      .then([resultsRemoved({})]);
  });

  it("results submitted, awaiting the registry's review, are one event with the day they were submitted", () => {
    given(trial)
      .when(aTrial({ resultsFirstSubmitDate: '2026-03-10' }))
      .then([resultsSubmitted({ from: null, to: '2026-03-10', posted: false })]);
  });

  it('results posted by the record that first gives the day they were submitted are posted, submitted then', () => {
    given(trial)
      .when({ ...withResults, resultsFirstSubmitDate: '2026-03-10' })
      .then([
        resultsPosted({ firstPostDate: actual('2026-05-02') }),
        resultsSubmitted({ from: null, to: '2026-03-10', posted: true }),
      ]);
  });

  it('results posted the day they were first submitted says is no new submission', () => {
    const submitted = aTrial({ resultsFirstSubmitDate: '2026-03-10' });
    given(submitted)
      .when({ ...withResults, resultsFirstSubmitDate: '2026-03-10' })
      .then([resultsPosted({ firstPostDate: actual('2026-05-02') })]);
  });

  it('a submission shown again from another first day is one event; unknown never erases it', () => {
    const submitted = aTrial({ resultsFirstSubmitDate: '2026-03-10' });
    given(submitted)
      .when(aTrial({ resultsFirstSubmitDate: '2026-04-01' }))
      .then([resultsSubmitted({ from: '2026-03-10', to: '2026-04-01', posted: false })]);
    given(submitted).when(aTrial()).thenState(submitted);
  });

  it('results still posted are no event', () => {
    given(withResults).when(withResults).thenNothingHappened();
  });

  it('an unknown results flag never takes posted results down', () => {
    given(withResults)
      .when({ ...withResults, hasResults: null })
      .thenNothingHappened();
    given(withResults)
      .when({ ...withResults, hasResults: null })
      .thenState(withResults);
  });

  it('no results, where nothing was known about them, is no event', () => {
    given(aTrial({ hasResults: null }))
      .when(trial)
      .thenNothingHappened();
  });
});

describe('phases', () => {
  it('a phase added is one event with the phases before and after', () => {
    given(trial)
      .when(aTrial({ phases: ['PHASE2', 'PHASE3'] }))
      .then([phasesChanged({ from: ['PHASE3'], to: ['PHASE2', 'PHASE3'] })]);
  });

  it('the same phases in another order or letter case are not a change', () => {
    given(aTrial({ phases: ['PHASE2', 'PHASE3'] }))
      .when(aTrial({ phases: ['phase3', 'Phase2'] }))
      .thenNothingHappened();
  });

  it('phases shown where none were known are a change from nothing', () => {
    given(aTrial({ phases: null }))
      .when(trial)
      .then([phasesChanged({ from: null, to: ['PHASE3'] })]);
  });

  it('an empty list of phases is a change: the registry says there are none', () => {
    given(trial)
      .when(aTrial({ phases: [] }))
      .then([phasesChanged({ from: ['PHASE3'], to: [] })]);
  });

  it('unknown phases never erase known ones', () => {
    given(trial)
      .when(aTrial({ phases: null }))
      .thenState(trial);
  });
});

describe('study type', () => {
  it('a new study type is one event with from and to', () => {
    given(trial)
      .when(aTrial({ studyType: 'OBSERVATIONAL' }))
      .then([studyTypeChanged({ from: 'INTERVENTIONAL', to: 'OBSERVATIONAL' })]);
  });

  it('the same study type in another letter case is not a change', () => {
    given(trial)
      .when(aTrial({ studyType: 'Interventional' }))
      .thenNothingHappened();
  });

  it('a study type shown where none was known is a change from nothing', () => {
    given(aTrial({ studyType: null }))
      .when(trial)
      .then([studyTypeChanged({ from: null, to: 'INTERVENTIONAL' })]);
  });

  it('an unknown study type never erases a known one', () => {
    given(trial)
      .when(aTrial({ studyType: null }))
      .thenState(trial);
  });
});

describe('design', () => {
  const design = trial.design!;

  it('one attribute that changes is one event naming only that attribute', () => {
    given(trial)
      .when(aTrial({ design: { ...design, masking: 'NONE' } }))
      .then([designChanged({ masking: { from: 'QUADRUPLE', to: 'NONE' } })]);
  });

  it('an attribute shown where it was unknown is a change from nothing', () => {
    given(trial)
      .when(aTrial({ design: { ...design, timePerspective: 'PROSPECTIVE' } }))
      .then([designChanged({ timePerspective: { from: null, to: 'PROSPECTIVE' } })]);
  });

  it('attributes in another letter case are not a change', () => {
    given(trial)
      .when(
        aTrial({
          design: { ...design, allocation: 'Randomized', interventionModel: 'parallel', masking: 'Quadruple' },
        }),
      )
      .thenNothingHappened();
  });

  it('an attribute the next snapshot does not show is not a change and keeps its value', () => {
    given(trial)
      .when(aTrial({ design: { ...design, masking: null, allocation: null } }))
      .thenNothingHappened();
    given(trial)
      .when(aTrial({ design: { ...design, masking: null, allocation: null } }))
      .thenState(trial);
  });

  it('a design shown where none was known is every known attribute from nothing', () => {
    given(aTrial({ design: null }))
      .when(trial)
      .then([
        designChanged({
          allocation: { from: null, to: 'RANDOMIZED' },
          interventionModel: { from: null, to: 'PARALLEL' },
          primaryPurpose: { from: null, to: 'TREATMENT' },
          masking: { from: null, to: 'QUADRUPLE' },
        }),
      ]);
  });

  it('an unknown design never erases a known one', () => {
    given(trial)
      .when(aTrial({ design: null }))
      .thenState(trial);
  });
});

const OUTCOME_FAMILIES = [
  { name: 'primary outcomes', field: 'primaryOutcomes', event: primaryOutcomesChanged },
  { name: 'secondary outcomes', field: 'secondaryOutcomes', event: secondaryOutcomesChanged },
] satisfies {
  name: string;
  field: 'primaryOutcomes' | 'secondaryOutcomes';
  event: (change: ListChange<Outcome>) => DomainEvent;
}[];

describe.each(OUTCOME_FAMILIES)('$name', ({ field, event }) => {
  const weight = anOutcome('Change in body weight', 'Week 68');
  const waist = anOutcome('Change in waist circumference', 'Week 68');
  const before = trialWith(field, [weight, waist]);

  it('a new outcome is one event listing it as added', () => {
    const hba1c = anOutcome('Change in HbA1c', 'Week 68');
    given(before)
      .when(trialWith(field, [weight, waist, hba1c]))
      .then([event({ added: [hba1c], removed: [] })]);
  });

  it('a dropped outcome is one event listing it as removed', () => {
    given(before)
      .when(trialWith(field, [weight]))
      .then([event({ added: [], removed: [waist] })]);
  });

  it('a changed time frame shows as one removed and one added, so outcome switching is visible', () => {
    const earlier = anOutcome('Change in body weight', 'Week 52');
    given(before)
      .when(trialWith(field, [earlier, waist]))
      .then([event({ added: [earlier], removed: [weight] })]);
  });

  it('a reworded measure shows as one removed and one added', () => {
    const reworded = anOutcome('Percent change in body weight', 'Week 68');
    given(before)
      .when(trialWith(field, [reworded, waist]))
      .then([event({ added: [reworded], removed: [weight] })]);
  });

  it('an outcome shown without its time frame is the same outcome, and keeps its time frame', () => {
    const brief = trialWith(field, [anOutcome('Change in body weight'), waist]);
    given(before).when(brief).thenNothingHappened();
    given(before).when(brief).thenState(before);
  });

  it('outcomes re-wrapped, in another letter case or order are not a change', () => {
    given(before)
      .when(trialWith(field, [anOutcome('change in waist\ncircumference', 'WEEK 68'), weight]))
      .thenNothingHappened();
  });

  it('outcomes shown where none were known are all added', () => {
    given(trialWith(field, null))
      .when(before)
      .then([event({ added: [weight, waist], removed: [] })]);
  });

  it('unknown outcomes never erase known ones', () => {
    given(before).when(trialWith(field, null)).thenNothingHappened();
    given(before).when(trialWith(field, null)).thenState(before);
  });
});

describe('locations', () => {
  const mayo = aLocation();
  const cleveland = trial.locations![1]!;
  const houston = aLocation({ facility: 'MD Anderson Cancer Center', city: 'Houston', state: 'Texas' });

  it('a new site is one event listing it as added', () => {
    given(trial)
      .when(aTrial({ locations: [mayo, cleveland, houston] }))
      .then([locationsChanged({ added: [houston], removed: [], statusChanged: [] })]);
  });

  it('a site no longer listed is one event listing it as removed', () => {
    given(trial)
      .when(aTrial({ locations: [mayo] }))
      .then([locationsChanged({ added: [], removed: [cleveland], statusChanged: [] })]);
  });

  it("a site's new status is one event with the site, from and to", () => {
    const completed = { ...mayo, status: 'COMPLETED' };
    given(trial)
      .when(aTrial({ locations: [completed, cleveland] }))
      .then([
        locationsChanged({
          added: [],
          removed: [],
          statusChanged: [{ location: completed, from: 'RECRUITING', to: 'COMPLETED' }],
        }),
      ]);
  });

  it('sites added, removed and changing status in one snapshot are one event', () => {
    const recruiting = { ...cleveland, status: 'RECRUITING' };
    given(trial)
      .when(aTrial({ locations: [recruiting, houston] }))
      .then([
        locationsChanged({
          added: [houston],
          removed: [mayo],
          statusChanged: [{ location: recruiting, from: 'NOT_YET_RECRUITING', to: 'RECRUITING' }],
        }),
      ]);
  });

  it('a status shown where none was known is a change from nothing', () => {
    given(aTrial({ locations: [{ ...mayo, status: null }, cleveland] }))
      .when(trial)
      .then([
        locationsChanged({ added: [], removed: [], statusChanged: [{ location: mayo, from: null, to: 'RECRUITING' }] }),
      ]);
  });

  it('the same status in another letter case is not a change', () => {
    given(trial)
      .when(aTrial({ locations: [{ ...mayo, status: 'Recruiting' }, cleveland] }))
      .thenNothingHappened();
  });

  it('a site whose status is not shown keeps its status', () => {
    const noStatus = aTrial({ locations: [{ ...mayo, status: null }, cleveland] });
    given(trial).when(noStatus).thenNothingHappened();
    given(trial).when(noStatus).thenState(trial);
  });

  it('a site shown with fewer details is the same site', () => {
    const facilityOnly = aLocation({ city: null, state: null, country: null });
    given(trial)
      .when(aTrial({ locations: [facilityOnly, cleveland] }))
      .thenNothingHappened();
  });

  it('sites in another order, letter case or wrapping are not a change', () => {
    given(trial)
      .when(aTrial({ locations: [cleveland, { ...mayo, facility: 'MAYO\n clinic', country: 'united states' }] }))
      .thenNothingHappened();
  });

  it('an empty list of sites removes every known site', () => {
    given(trial)
      .when(aTrial({ locations: [] }))
      .then([locationsChanged({ added: [], removed: [mayo, cleveland], statusChanged: [] })]);
  });

  it('unknown sites never erase known ones', () => {
    given(trial)
      .when(aTrial({ locations: null }))
      .thenNothingHappened();
    given(trial)
      .when(aTrial({ locations: null }))
      .thenState(trial);
  });
});

const TERM_FAMILIES = [
  { name: 'conditions', field: 'conditions', event: conditionsChanged },
  { name: 'keywords', field: 'keywords', event: keywordsChanged },
] satisfies {
  name: string;
  field: 'conditions' | 'keywords';
  event: (change: ListChange<string>) => DomainEvent;
}[];

describe.each(TERM_FAMILIES)('$name', ({ field, event }) => {
  const before = trialWith(field, ['Obesity', 'Overweight']);

  it('terms added and removed in one snapshot are one event', () => {
    given(before)
      .when(trialWith(field, ['Obesity', 'Type 2 Diabetes']))
      .then([event({ added: ['Type 2 Diabetes'], removed: ['Overweight'] })]);
  });

  it('the same terms in another order, letter case or spacing are not a change', () => {
    given(before)
      .when(trialWith(field, [' overweight', 'OBESITY']))
      .thenNothingHappened();
  });

  it('terms shown where none were known are all added', () => {
    given(trialWith(field, null))
      .when(before)
      .then([event({ added: ['Obesity', 'Overweight'], removed: [] })]);
  });

  it('an empty list removes every known term', () => {
    given(before)
      .when(trialWith(field, []))
      .then([event({ added: [], removed: ['Obesity', 'Overweight'] })]);
  });

  it('unknown terms never erase known ones', () => {
    given(before).when(trialWith(field, null)).thenState(before);
  });
});

describe('interventions', () => {
  const [semaglutide, placebo] = trial.interventions!;

  it('a new intervention is one event listing it as added', () => {
    const diet = { type: 'BEHAVIORAL', name: 'Diet and exercise' };
    given(trial)
      .when(aTrial({ interventions: [semaglutide!, placebo!, diet] }))
      .then([interventionsChanged({ added: [diet], removed: [] })]);
  });

  it('a renamed intervention shows as one removed and one added', () => {
    const renamed = { type: 'DRUG', name: 'Semaglutide 2.4 mg' };
    given(trial)
      .when(aTrial({ interventions: [renamed, placebo!] }))
      .then([interventionsChanged({ added: [renamed], removed: [semaglutide!] })]);
  });

  it('a changed intervention type shows as one removed and one added', () => {
    const biological = { type: 'BIOLOGICAL', name: 'Semaglutide' };
    given(trial)
      .when(aTrial({ interventions: [biological, placebo!] }))
      .then([interventionsChanged({ added: [biological], removed: [semaglutide!] })]);
  });

  it('an intervention shown without its type, or with its type in another letter case, is the same one', () => {
    given(trial)
      .when(
        aTrial({
          interventions: [
            { type: null, name: 'semaglutide' },
            { type: 'Drug', name: 'Placebo' },
          ],
        }),
      )
      .thenNothingHappened();
  });

  it('unknown interventions never erase known ones', () => {
    given(trial)
      .when(aTrial({ interventions: null }))
      .thenState(trial);
  });
});

describe('arm groups', () => {
  const [experimental, placebo] = trial.armGroups!;

  it('a new arm is one event listing it as added', () => {
    const extension = { label: 'Open-label extension', type: 'OTHER' };
    given(trial)
      .when(aTrial({ armGroups: [experimental!, placebo!, extension] }))
      .then([armGroupsChanged({ added: [extension], removed: [] })]);
  });

  it('an arm whose type changes shows as one removed and one added', () => {
    const sham = { label: 'Placebo', type: 'SHAM_COMPARATOR' };
    given(trial)
      .when(aTrial({ armGroups: [experimental!, sham] }))
      .then([armGroupsChanged({ added: [sham], removed: [placebo!] })]);
  });

  it('an arm shown without its type, or with its label re-wrapped, is the same arm', () => {
    given(trial)
      .when(
        aTrial({
          armGroups: [
            { label: 'semaglutide\n2.4 MG', type: 'EXPERIMENTAL' },
            { label: 'Placebo', type: null },
          ],
        }),
      )
      .thenNothingHappened();
  });

  it('unknown arms never erase known ones', () => {
    given(trial)
      .when(aTrial({ armGroups: null }))
      .thenState(trial);
  });
});

describe('collaborators', () => {
  const copenhagen = trial.collaborators![0]!;

  it('a new collaborator is one event listing it as added', () => {
    const steno = { name: 'Steno Diabetes Center', class: 'OTHER' };
    given(trial)
      .when(aTrial({ collaborators: [copenhagen, steno] }))
      .then([collaboratorsChanged({ added: [steno], removed: [] })]);
  });

  it('a collaborator no longer listed is one event listing it as removed', () => {
    given(trial)
      .when(aTrial({ collaborators: [] }))
      .then([collaboratorsChanged({ added: [], removed: [copenhagen] })]);
  });

  it('a collaborator shown without its class, or in another letter case, is the same one', () => {
    given(trial)
      .when(aTrial({ collaborators: [{ name: 'UNIVERSITY OF COPENHAGEN', class: null }] }))
      .thenNothingHappened();
  });

  it('unknown collaborators never erase known ones', () => {
    given(trial)
      .when(aTrial({ collaborators: null }))
      .thenState(trial);
  });
});

describe('other identifiers, merged NCT IDs and FDA regulation', () => {
  const [orgStudyId, euCt] = trial.secondaryIds!;

  it('a new identifier is one event listing it as added; one gone is listed as removed', () => {
    const isrctn = { id: 'ISRCTN12345678', type: 'REGISTRY', domain: 'ISRCTN' };
    given(trial)
      .when(aTrial({ secondaryIds: [orgStudyId!, isrctn] }))
      .then([secondaryIdsChanged({ added: [isrctn], removed: [euCt!] })]);
  });

  it('an identifier written with spaces, another dash or in lower case, or without its type, is the same one', () => {
    given(trial)
      .when(
        aTrial({
          secondaryIds: [
            { id: 'nn9536 – 4999', type: null, domain: null },
            { id: '2022-500123-12-00', type: 'CTIS', domain: null },
          ],
        }),
      )
      .thenNothingHappened();
  });

  it('an NCT ID merged into the trial is an added alias', () => {
    given(trial)
      .when(aTrial({ nctIdAliases: ['NCT05999999'] }))
      .then([nctIdAliasesChanged({ added: ['NCT05999999'], removed: [] })]);
  });

  it('the FDA-regulation flag changing is one event; unknown never erases it', () => {
    given(trial)
      .when(aTrial({ fdaRegulated: false }))
      .then([fdaRegulationChanged({ from: true, to: false })]);
    given(trial)
      .when(aTrial({ fdaRegulated: null, secondaryIds: null, nctIdAliases: null }))
      .thenState(trial);
  });
});

describe('references and overall officials', () => {
  const [background] = trial.references!;
  const [director] = trial.overallOfficials!;
  const results = { pmid: '36000001', type: 'RESULT', citation: 'Results of STEP-X. Lancet. 2025.' };

  it('a results publication cited is one event listing it as added; one no longer cited is listed as removed', () => {
    given(trial)
      .when(aTrial({ references: [results] }))
      .then([referencesChanged({ added: [results], removed: [background!] })]);
  });

  it('a reference shown without its type or PubMed ID, or its citation re-wrapped, is the same one', () => {
    given(trial)
      .when(aTrial({ references: [{ pmid: null, type: null, citation: `  ${background!.citation.toUpperCase()}\n` }] }))
      .thenNothingHappened();
  });

  it('a reference with the same PubMed ID and a corrected citation is the same publication', () => {
    given(trial)
      .when(
        aTrial({ references: [{ ...background!, citation: 'Wilding JPH, et al. N Engl J Med. 2021;384:989-1002.' }] }),
      )
      .thenNothingHappened();
  });

  it('a reference retyped from background to results is the background one removed and a results one added', () => {
    const retyped = { ...background!, type: 'RESULT' };
    given(trial)
      .when(aTrial({ references: [retyped] }))
      .then([referencesChanged({ added: [retyped], removed: [background!] })]);
  });

  it('a new principal investigator is one event listing who came and who went', () => {
    const investigator = { name: 'Ana Lopez, MD', affiliation: 'Mayo Clinic', role: 'PRINCIPAL_INVESTIGATOR' };
    given(trial)
      .when(aTrial({ overallOfficials: [investigator] }))
      .then([officialsChanged({ added: [investigator], removed: [director!] })]);
  });

  it('an official shown without a role or affiliation, or in another letter case, is the same one', () => {
    given(trial)
      .when(aTrial({ overallOfficials: [{ name: 'CLINICAL REPORTING ANCHOR', affiliation: null, role: null }] }))
      .thenNothingHappened();
  });

  it('unknown references and officials never erase known ones', () => {
    given(trial)
      .when(aTrial({ references: null, overallOfficials: null }))
      .thenState(trial);
  });
});

describe('titles', () => {
  const TITLES = [
    { field: 'briefTitle', rewritten: 'Semaglutide Versus Placebo in Obesity' },
    { field: 'officialTitle', rewritten: 'An Open-label Trial of Semaglutide' },
    { field: 'acronym', rewritten: 'STEP-Y' },
  ] as const;

  it.each(TITLES)('a new $field is one title change naming the field', ({ field, rewritten }) => {
    given(trial)
      .when(trialWith(field, rewritten))
      .then([titleChanged({ field, from: trial[field], to: rewritten })]);
  });

  it.each(TITLES)('a $field shown where none was known is a change from nothing', ({ field }) => {
    given(trialWith(field, null))
      .when(trial)
      .then([titleChanged({ field, from: null, to: trial[field] })]);
  });

  it.each(TITLES)('an unknown $field never erases a known one', ({ field }) => {
    given(trial).when(trialWith(field, null)).thenState(trial);
  });

  it('a title re-wrapped, in another letter case or with markdown escapes is not a change', () => {
    given(trial)
      .when(
        aTrial({
          briefTitle: 'semaglutide in adults\nwith  obesity',
          officialTitle:
            'A Randomised, Double\\-blind, Placebo\\-controlled Trial of Semaglutide in Adults With Obesity',
          acronym: 'step-x',
        }),
      )
      .thenNothingHappened();
  });
});

describe('summary', () => {
  it('a rewritten summary is one event with from and to', () => {
    given(trial)
      .when(aTrial({ briefSummary: 'This study was stopped early.' }))
      .then([summaryChanged({ from: trial.briefSummary, to: 'This study was stopped early.' })]);
  });

  it('a summary only re-wrapped or escaped differently is not a change', () => {
    given(trial)
      .when(
        aTrial({ briefSummary: 'This study looks at how much weight\nadults with obesity lose with semaglutide\\.' }),
      )
      .thenNothingHappened();
  });

  it('a summary shown where none was known is a change from nothing', () => {
    given(aTrial({ briefSummary: null }))
      .when(trial)
      .then([summaryChanged({ from: null, to: trial.briefSummary })]);
  });

  it('an unknown summary never erases a known one', () => {
    given(trial)
      .when(aTrial({ briefSummary: null }))
      .thenState(trial);
  });
});

describe('lead sponsor', () => {
  const novo = trial.leadSponsor!;

  it('a new lead sponsor is one event with from and to', () => {
    const lilly = { name: 'Eli Lilly and Company', class: 'INDUSTRY' };
    given(trial)
      .when(aTrial({ leadSponsor: lilly }))
      .then([leadSponsorChanged({ from: novo, to: lilly })]);
  });

  it("a change of the sponsor's class is a change", () => {
    const other = { ...novo, class: 'OTHER' };
    given(trial)
      .when(aTrial({ leadSponsor: other }))
      .then([leadSponsorChanged({ from: novo, to: other })]);
  });

  it('the same sponsor without its class, re-spaced or in another letter case, is not a change', () => {
    given(trial)
      .when(aTrial({ leadSponsor: { name: 'novo  nordisk a/s', class: null } }))
      .thenNothingHappened();
  });

  it('a lead sponsor shown where none was known is a change from nothing', () => {
    given(aTrial({ leadSponsor: null }))
      .when(trial)
      .then([leadSponsorChanged({ from: null, to: novo })]);
  });

  it('an unknown lead sponsor never erases a known one', () => {
    given(trial)
      .when(aTrial({ leadSponsor: null }))
      .thenState(trial);
  });
});

describe('eligibility', () => {
  const eligibility = trial.eligibility!;

  it('rewritten criteria are one event naming only the criteria', () => {
    const criteria = 'Inclusion Criteria:\n\n* BMI of 27 kg/m2 or more\n\nExclusion Criteria:\n\n* Diabetes';
    given(trial)
      .when(aTrial({ eligibility: { ...eligibility, criteria } }))
      .then([eligibilityChanged({ criteria: { from: eligibility.criteria, to: criteria } })]);
  });

  it('criteria in another bullet style, wrapping or without heading colons are not a change', () => {
    const otherFormat = 'Inclusion Criteria\n\n  - BMI of 30 kg/m2\n    or more\nExclusion Criteria\n  • Diabetes';
    given(trial)
      .when(aTrial({ eligibility: { ...eligibility, criteria: otherFormat } }))
      .thenNothingHappened();
  });

  it('a changed age limit is one event naming only that limit', () => {
    given(trial)
      .when(aTrial({ eligibility: { ...eligibility, minimumAge: '16 Years' } }))
      .then([eligibilityChanged({ minimumAge: { from: '18 Years', to: '16 Years' } })]);
  });

  it('sex and age limits in another letter case are not a change', () => {
    given(trial)
      .when(aTrial({ eligibility: { ...eligibility, sex: 'All', maximumAge: '75 years' } }))
      .thenNothingHappened();
  });

  it('healthy volunteers becoming accepted is a change', () => {
    given(trial)
      .when(aTrial({ eligibility: { ...eligibility, healthyVolunteers: true } }))
      .then([eligibilityChanged({ healthyVolunteers: { from: false, to: true } })]);
  });

  it('an attribute the next snapshot does not show is not a change and keeps its value', () => {
    const partly = aTrial({ eligibility: { ...eligibility, criteria: null, healthyVolunteers: null } });
    given(trial).when(partly).thenNothingHappened();
    given(trial).when(partly).thenState(trial);
  });

  it('eligibility shown where none was known is every known attribute from nothing, false included', () => {
    given(aTrial({ eligibility: null }))
      .when(trial)
      .then([
        eligibilityChanged({
          minimumAge: { from: null, to: '18 Years' },
          maximumAge: { from: null, to: '75 Years' },
          sex: { from: null, to: 'ALL' },
          healthyVolunteers: { from: null, to: false },
          criteria: { from: null, to: eligibility.criteria },
        }),
      ]);
  });
});

describe('status verified date', () => {
  it('a re-verified status is one event with from and to', () => {
    given(trial)
      .when(aTrial({ statusVerifiedDate: '2024-10' }))
      .then([statusVerifiedDateMoved({ from: '2024-04', to: '2024-10' })]);
  });

  it('a verified date shown where none was known is a change from nothing', () => {
    given(aTrial({ statusVerifiedDate: null }))
      .when(trial)
      .then([statusVerifiedDateMoved({ from: null, to: '2024-04' })]);
  });

  it('an unknown verified date never erases a known one', () => {
    given(trial)
      .when(aTrial({ statusVerifiedDate: null }))
      .thenNothingHappened();
    given(trial)
      .when(aTrial({ statusVerifiedDate: null }))
      .thenState(trial);
  });
});

describe('registration dates corrected', () => {
  it('a corrected first submitted date is one correction with from and to', () => {
    given(trial)
      .when(aTrial({ studyFirstSubmitDate: '2023-01-09' }))
      .then([registrationDatesCorrected({ studyFirstSubmitDate: { from: '2023-01-10', to: '2023-01-09' } })]);
  });

  it('a corrected first posted date is one correction with from and to', () => {
    given(trial)
      .when(aTrial({ studyFirstPostDate: actual('2023-01-19') }))
      .then([
        registrationDatesCorrected({ studyFirstPostDate: { from: actual('2023-01-18'), to: actual('2023-01-19') } }),
      ]);
  });

  it('both dates corrected at once are one event', () => {
    given(trial)
      .when(aTrial({ studyFirstSubmitDate: '2023-01-09', studyFirstPostDate: actual('2023-01-19') }))
      .then([
        registrationDatesCorrected({
          studyFirstSubmitDate: { from: '2023-01-10', to: '2023-01-09' },
          studyFirstPostDate: { from: actual('2023-01-18'), to: actual('2023-01-19') },
        }),
      ]);
  });

  it('the actual/estimated label of the first posted date alone is not a correction', () => {
    given(trial)
      .when(aTrial({ studyFirstPostDate: estimated('2023-01-18') }))
      .thenNothingHappened();
  });

  it('registration dates shown where none were known are not a correction', () => {
    given(aTrial({ studyFirstSubmitDate: null, studyFirstPostDate: null }))
      .when(trial)
      .thenNothingHappened();
  });

  it('unknown registration dates are not a correction and erase nothing', () => {
    const unshown = aTrial({ studyFirstSubmitDate: null, studyFirstPostDate: null });
    given(trial).when(unshown).thenNothingHappened();
    given(trial).when(unshown).thenState(trial);
  });
});

describe('last update posted date', () => {
  it('a new version of the record is one event with both the posted and the submitted dates', () => {
    given(trial)
      .when(aTrial({ lastUpdatePostDate: actual('2024-06-11'), lastUpdateSubmitDate: '2024-06-07' }))
      .then([
        lastUpdatePostedDateMoved({
          from: actual('2024-04-05'),
          to: actual('2024-06-11'),
          submitDate: { from: '2024-04-02', to: '2024-06-07' },
        }),
      ]);
  });

  it('a new submit date alone moves it', () => {
    given(trial)
      .when(aTrial({ lastUpdateSubmitDate: '2024-04-03' }))
      .then([
        lastUpdatePostedDateMoved({
          from: actual('2024-04-05'),
          to: actual('2024-04-05'),
          submitDate: { from: '2024-04-02', to: '2024-04-03' },
        }),
      ]);
  });

  it('a new posted date alone moves it', () => {
    given(trial)
      .when(aTrial({ lastUpdatePostDate: actual('2024-04-08') }))
      .then([
        lastUpdatePostedDateMoved({
          from: actual('2024-04-05'),
          to: actual('2024-04-08'),
          submitDate: { from: '2024-04-02', to: '2024-04-02' },
        }),
      ]);
  });

  it('the actual/estimated label of the posted date alone is no move', () => {
    given(trial)
      .when(aTrial({ lastUpdatePostDate: estimated('2024-04-05') }))
      .thenNothingHappened();
  });

  it('the first last update dates shown are a move from nothing', () => {
    given(aTrial({ lastUpdatePostDate: null, lastUpdateSubmitDate: null }))
      .when(trial)
      .then([
        lastUpdatePostedDateMoved({
          from: null,
          to: actual('2024-04-05'),
          submitDate: { from: null, to: '2024-04-02' },
        }),
      ]);
  });

  it('last update dates the next snapshot does not show are no move and erase nothing', () => {
    const unshown = aTrial({ lastUpdatePostDate: null, lastUpdateSubmitDate: null });
    given(trial).when(unshown).thenNothingHappened();
    given(trial).when(unshown).thenState(trial);
  });

  it('a posted date known before and only a later submit date shown now: the version moved, dated as each shows it', () => {
    given(aTrial({ lastUpdateSubmitDate: null }))
      .when(aTrial({ lastUpdatePostDate: null, lastUpdateSubmitDate: '2024-06-07' }))
      .then([
        lastUpdatePostedDateMoved({
          from: actual('2024-04-05'),
          to: null,
          submitDate: { from: null, to: '2024-06-07' },
        }),
      ]);
  });

  it('a submit date known before and only a posted date of another day shown now: the version moved', () => {
    given(aTrial({ lastUpdatePostDate: null, lastUpdateSubmitDate: '2016-06-29' }))
      .when(aTrial({ lastUpdatePostDate: actual('2018-01-10'), lastUpdateSubmitDate: null }))
      .thenState(aTrial({ lastUpdatePostDate: actual('2018-01-10'), lastUpdateSubmitDate: null }));
  });

  it('a posted date known before and a submit date of the same day shown now: no move', () => {
    given(aTrial({ lastUpdateSubmitDate: null }))
      .when(aTrial({ lastUpdatePostDate: null, lastUpdateSubmitDate: '2024-04-05' }))
      .thenNothingHappened();
  });
});
