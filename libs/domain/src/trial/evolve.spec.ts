import {
  armGroupsChanged,
  collaboratorsChanged,
  completionDateChanged,
  conditionsChanged,
  designChanged,
  eligibilityChanged,
  enrollmentUpdated,
  factsLearned,
  interventionsChanged,
  keywordsChanged,
  lastKnownStatusChanged,
  lastUpdatePostedDateMoved,
  leadSponsorChanged,
  locationsChanged,
  overallStatusChanged,
  phasesChanged,
  primaryCompletionDateChanged,
  primaryOutcomesChanged,
  registrationDatesCorrected,
  resultsPosted,
  resultsRemoved,
  secondaryOutcomesChanged,
  startDateChanged,
  statusVerifiedDateMoved,
  studyTypeChanged,
  summaryChanged,
  titleChanged,
  trialRegistered,
  whyStoppedChanged,
  type DomainEvent,
} from '../events/index.js';
import { FACT_FIELDS, type TrialFacts } from '../snapshot/trial-snapshot.js';
import {
  aLocation,
  anOutcome,
  aTrial,
  actual,
  anUnknownTrial,
  estimated,
  NCT_ID,
  registered,
} from '../testing/trial-facts.js';
import { given } from '../testing/trial-spec.js';
import { TrialStreamCorruptError } from './evolve.js';

const trial = aTrial();

describe('a trial stream starts with trial.registered', () => {
  it('a stream that starts with any other event is corrupt', () => {
    const error = given([completionDateChanged({ from: null, to: actual('2025-12-20') })]).thenThrows(
      TrialStreamCorruptError,
    );
    expect(error.code).toBe('trial.stream-corrupt');
    expect(error.kind).toBe('unavailable');
    expect(error.details).toEqual({ type: 'trial.completion-date-changed' });
    expect(error.message).toContain('must start with trial.registered');
  });

  it('an empty stream has no state', () => {
    given([]).then(null);
  });

  it('the registration is the state; every field it does not carry is unknown', () => {
    given([trialRegistered({ facts: { nctId: NCT_ID, overallStatus: 'RECRUITING', conditions: [] } })]).then(
      anUnknownTrial({ overallStatus: 'RECRUITING', conditions: [] }),
    );
  });

  it('a registration that knows everything is exactly those facts', () => {
    given([registered(trial)]).then(trial);
  });

  it('later events apply in order, the last one winning', () => {
    given([
      registered(),
      completionDateChanged({ from: estimated('2025-12'), to: estimated('2026-03') }),
      completionDateChanged({ from: estimated('2026-03'), to: actual('2026-04-15') }),
    ]).then(aTrial({ completionDate: actual('2026-04-15') }));
  });
});

describe('learned facts', () => {
  it('a learned value, or a learned none, is known from then on', () => {
    const history = [
      trialRegistered({ facts: { nctId: NCT_ID, overallStatus: 'RECRUITING' } }),
      factsLearned({ facts: { acronym: null, conditions: ['Lupus'] } }),
    ];
    given(history).then(anUnknownTrial({ overallStatus: 'RECRUITING', conditions: ['Lupus'] }));
    given(history).thenUnknown(
      FACT_FIELDS.filter((field) => !['overallStatus', 'acronym', 'conditions'].includes(field)),
    );
  });
});

describe('overall status', () => {
  it('a status change records the new status with its reason for stopping', () => {
    given([
      registered(),
      overallStatusChanged({
        from: 'RECRUITING',
        to: 'TERMINATED',
        whyStopped: 'Sponsor decision',
        lastKnownStatus: null,
      }),
    ]).then(aTrial({ overallStatus: 'TERMINATED', whyStopped: 'Sponsor decision' }));
  });

  it('a status change into UNKNOWN records the last known status', () => {
    given([
      registered(),
      overallStatusChanged({ from: 'RECRUITING', to: 'UNKNOWN', whyStopped: null, lastKnownStatus: 'RECRUITING' }),
    ]).then(aTrial({ overallStatus: 'UNKNOWN', lastKnownStatus: 'RECRUITING' }));
  });

  it('a status change that shows no reason or last known status keeps the known ones', () => {
    const stopped = aTrial({ overallStatus: 'SUSPENDED', whyStopped: 'Drug supply', lastKnownStatus: 'RECRUITING' });
    given([
      registered(stopped),
      overallStatusChanged({ from: 'SUSPENDED', to: 'TERMINATED', whyStopped: null, lastKnownStatus: null }),
    ]).then({ ...stopped, overallStatus: 'TERMINATED' });
  });
});

interface ValueRule {
  rule: string;
  event: DomainEvent;
  after: Partial<TrialFacts>;
}

describe('single values: the new value replaces the old one', () => {
  const rules: ValueRule[] = [
    {
      rule: 'the last known status',
      event: lastKnownStatusChanged({ from: null, to: 'ACTIVE_NOT_RECRUITING' }),
      after: { lastKnownStatus: 'ACTIVE_NOT_RECRUITING' },
    },
    {
      rule: 'the reason for stopping',
      event: whyStoppedChanged({ from: null, to: 'Slow accrual' }),
      after: { whyStopped: 'Slow accrual' },
    },
    {
      rule: 'the enrollment',
      event: enrollmentUpdated({ from: trial.enrollment, to: { count: 412, type: 'ACTUAL' } }),
      after: { enrollment: { count: 412, type: 'ACTUAL' } },
    },
    {
      rule: 'the start date',
      event: startDateChanged({ from: trial.startDate, to: actual('2023-04-01') }),
      after: { startDate: actual('2023-04-01') },
    },
    {
      rule: 'the primary completion date',
      event: primaryCompletionDateChanged({ from: trial.primaryCompletionDate, to: estimated('2025-09') }),
      after: { primaryCompletionDate: estimated('2025-09') },
    },
    {
      rule: 'the completion date',
      event: completionDateChanged({ from: trial.completionDate, to: estimated('2026-02') }),
      after: { completionDate: estimated('2026-02') },
    },
    {
      rule: 'the phases',
      event: phasesChanged({ from: ['PHASE3'], to: ['PHASE2', 'PHASE3'] }),
      after: { phases: ['PHASE2', 'PHASE3'] },
    },
    {
      rule: 'an empty list of phases (the registry says there are none)',
      event: phasesChanged({ from: ['PHASE3'], to: [] }),
      after: { phases: [] },
    },
    {
      rule: 'the study type',
      event: studyTypeChanged({ from: 'INTERVENTIONAL', to: 'OBSERVATIONAL' }),
      after: { studyType: 'OBSERVATIONAL' },
    },
    {
      rule: 'the brief title',
      event: titleChanged({ field: 'briefTitle', from: trial.briefTitle, to: 'Semaglutide for Weight Loss' }),
      after: { briefTitle: 'Semaglutide for Weight Loss' },
    },
    {
      rule: 'the official title',
      event: titleChanged({ field: 'officialTitle', from: trial.officialTitle, to: 'An Open-label Trial' }),
      after: { officialTitle: 'An Open-label Trial' },
    },
    {
      rule: 'the acronym',
      event: titleChanged({ field: 'acronym', from: 'STEP-X', to: 'STEP-Y' }),
      after: { acronym: 'STEP-Y' },
    },
    {
      rule: 'the summary',
      event: summaryChanged({ from: trial.briefSummary, to: 'A shorter summary.' }),
      after: { briefSummary: 'A shorter summary.' },
    },
    {
      rule: 'the lead sponsor',
      event: leadSponsorChanged({ from: trial.leadSponsor, to: { name: 'Eli Lilly and Company', class: 'INDUSTRY' } }),
      after: { leadSponsor: { name: 'Eli Lilly and Company', class: 'INDUSTRY' } },
    },
    {
      rule: 'the status verified date',
      event: statusVerifiedDateMoved({ from: '2024-04', to: '2024-10' }),
      after: { statusVerifiedDate: '2024-10' },
    },
  ];

  it.each(rules)('$rule', ({ event, after }) => {
    given([registered(), event]).then(aTrial(after));
  });
});

describe('single values: a change to none clears the value (a complete record stated it as none)', () => {
  const rules: { rule: string; field: keyof TrialFacts; event: DomainEvent }[] = [
    {
      rule: 'the last known status',
      field: 'lastKnownStatus',
      event: lastKnownStatusChanged({ from: 'RECRUITING', to: null }),
    },
    {
      rule: 'the reason for stopping',
      field: 'whyStopped',
      event: whyStoppedChanged({ from: 'Drug supply', to: null }),
    },
    { rule: 'the enrollment', field: 'enrollment', event: enrollmentUpdated({ from: trial.enrollment, to: null }) },
    { rule: 'the start date', field: 'startDate', event: startDateChanged({ from: trial.startDate, to: null }) },
    {
      rule: 'the primary completion date',
      field: 'primaryCompletionDate',
      event: primaryCompletionDateChanged({ from: trial.primaryCompletionDate, to: null }),
    },
    {
      rule: 'the completion date',
      field: 'completionDate',
      event: completionDateChanged({ from: trial.completionDate, to: null }),
    },
    { rule: 'the study type', field: 'studyType', event: studyTypeChanged({ from: 'INTERVENTIONAL', to: null }) },
    { rule: 'a title', field: 'acronym', event: titleChanged({ field: 'acronym', from: 'STEP-X', to: null }) },
    { rule: 'the summary', field: 'briefSummary', event: summaryChanged({ from: trial.briefSummary, to: null }) },
    {
      rule: 'the lead sponsor',
      field: 'leadSponsor',
      event: leadSponsorChanged({ from: trial.leadSponsor, to: null }),
    },
  ];

  it.each(rules)('$rule', ({ field, event }) => {
    const everythingKnown = aTrial({ whyStopped: 'Drug supply', lastKnownStatus: 'RECRUITING' });
    given([registered(everythingKnown), event]).then({ ...everythingKnown, [field]: null });
  });
});

describe('results', () => {
  it('posted results set the flag and the date they were first posted', () => {
    given([registered(), resultsPosted({ firstPostDate: actual('2026-05-02') })]).then(
      aTrial({ hasResults: true, resultsFirstPostDate: actual('2026-05-02') }),
    );
  });

  it('removed results clear the flag but keep the date they were first posted', () => {
    const withResults = aTrial({ hasResults: true, resultsFirstPostDate: actual('2026-05-02') });
    given([registered(withResults), resultsRemoved({})]).then({ ...withResults, hasResults: false });
  });

  it('results posted again without a date keep the date known from before', () => {
    const withResults = aTrial({ hasResults: true, resultsFirstPostDate: actual('2026-05-02') });
    given([registered(withResults), resultsRemoved({}), resultsPosted({ firstPostDate: null })]).then(withResults);
  });
});

describe('list changes', () => {
  it('added items are appended to what is known', () => {
    given([registered(), conditionsChanged({ added: ['Type 2 Diabetes'], removed: [] })]).then(
      aTrial({ conditions: ['Obesity', 'Overweight', 'Type 2 Diabetes'] }),
    );
  });

  it('removed items are taken out by their exact key', () => {
    given([registered(), conditionsChanged({ added: [], removed: ['Overweight'] })]).then(
      aTrial({ conditions: ['Obesity'] }),
    );
  });

  it('a removed item that matches no key is taken out by the loose match (unknown parts match anything)', () => {
    given([
      registered(),
      primaryOutcomesChanged({ added: [], removed: [anOutcome('change in body weight', null)] }),
      interventionsChanged({ added: [], removed: [{ type: null, name: 'placebo' }] }),
    ]).then(aTrial({ primaryOutcomes: [], interventions: [{ type: 'DRUG', name: 'Semaglutide' }] }));
  });

  it('the exact key wins over the loose match when both would find an item', () => {
    const withTimeFrame = anOutcome('Body weight', 'Week 68');
    const withoutTimeFrame = anOutcome('Body weight', null);
    given([
      registered(aTrial({ secondaryOutcomes: [withTimeFrame, withoutTimeFrame] })),
      secondaryOutcomesChanged({ added: [], removed: [anOutcome('Body weight', null)] }),
    ]).then(aTrial({ secondaryOutcomes: [withTimeFrame] }));
  });

  it('removing an item that is not known changes nothing', () => {
    given([registered(), keywordsChanged({ added: [], removed: ['Hypertension'] })]).then(trial);
  });

  it('a list that was unknown becomes the added items', () => {
    given([registered(aTrial({ keywords: null })), keywordsChanged({ added: ['GLP-1'], removed: [] })]).then(
      aTrial({ keywords: ['GLP-1'] }),
    );
  });

  it('each list event changes its own list', () => {
    const outcome = anOutcome('HbA1c', 'Week 68');
    const group = { label: 'Open-label extension', type: 'OTHER' };
    const collaborator = { name: 'Steno Diabetes Center', class: 'OTHER' };
    given([
      registered(),
      keywordsChanged({ added: ['obesity'], removed: [] }),
      interventionsChanged({ added: [{ type: 'BEHAVIORAL', name: 'Diet' }], removed: [] }),
      armGroupsChanged({ added: [group], removed: [] }),
      collaboratorsChanged({ added: [collaborator], removed: [] }),
      primaryOutcomesChanged({ added: [outcome], removed: [] }),
      secondaryOutcomesChanged({ added: [], removed: trial.secondaryOutcomes! }),
    ]).then(
      aTrial({
        keywords: [...trial.keywords!, 'obesity'],
        interventions: [...trial.interventions!, { type: 'BEHAVIORAL', name: 'Diet' }],
        armGroups: [...trial.armGroups!, group],
        collaborators: [...trial.collaborators!, collaborator],
        primaryOutcomes: [...trial.primaryOutcomes!, outcome],
        secondaryOutcomes: [],
      }),
    );
  });
});

describe('locations', () => {
  const mayo = aLocation();
  const cleveland = trial.locations![1]!;

  it('sites are added and removed like any list', () => {
    const houston = aLocation({ facility: 'MD Anderson', city: 'Houston', state: 'Texas' });
    given([registered(), locationsChanged({ added: [houston], removed: [cleveland], statusChanged: [] })]).then(
      aTrial({ locations: [mayo, houston] }),
    );
  });

  it('a site removed among sites alike in all but status is the one with its status', () => {
    const withdrawn = { ...mayo, status: 'WITHDRAWN' };
    given([
      registered(aTrial({ locations: [mayo, withdrawn] })),
      locationsChanged({ added: [], removed: [withdrawn], statusChanged: [] }),
    ]).then(aTrial({ locations: [mayo] }));
  });

  it("a site's status change updates that site and no other", () => {
    given([
      registered(),
      locationsChanged({
        added: [],
        removed: [],
        statusChanged: [{ location: { ...mayo, status: 'COMPLETED' }, from: 'RECRUITING', to: 'COMPLETED' }],
      }),
    ]).then(aTrial({ locations: [{ ...mayo, status: 'COMPLETED' }, cleveland] }));
  });

  it('a status change lands on the site with its own name, not on one without a facility name in the same place', () => {
    const unnamed = { ...mayo, facility: null };
    given([
      registered(aTrial({ locations: [unnamed, mayo] })),
      locationsChanged({
        added: [],
        removed: [],
        statusChanged: [{ location: { ...mayo, status: 'COMPLETED' }, from: 'RECRUITING', to: 'COMPLETED' }],
      }),
    ]).then(aTrial({ locations: [unnamed, { ...mayo, status: 'COMPLETED' }] }));
  });

  it('a status change shown with fewer site details still finds its site', () => {
    const shownBriefly = aLocation({ city: null, state: null, country: null, status: 'ACTIVE_NOT_RECRUITING' });
    given([
      registered(),
      locationsChanged({
        added: [],
        removed: [],
        statusChanged: [{ location: shownBriefly, from: 'RECRUITING', to: 'ACTIVE_NOT_RECRUITING' }],
      }),
    ]).then(aTrial({ locations: [{ ...mayo, status: 'ACTIVE_NOT_RECRUITING' }, cleveland] }));
  });
});

describe('struct changes', () => {
  it('a design change sets the changed attribute and keeps the others', () => {
    given([registered(), designChanged({ masking: { from: 'QUADRUPLE', to: 'NONE' } })]).then(
      aTrial({ design: { ...trial.design!, masking: 'NONE' } }),
    );
  });

  it('an attribute changed to none is cleared, as a complete record that leaves it out states', () => {
    given([
      registered(),
      designChanged({ masking: { from: 'QUADRUPLE', to: null }, allocation: { from: 'RANDOMIZED', to: 'NA' } }),
    ]).then(aTrial({ design: { ...trial.design!, masking: null, allocation: 'NA' } }));
  });

  it('a design that was unknown starts from every attribute unknown', () => {
    given([
      registered(aTrial({ design: null })),
      designChanged({ primaryPurpose: { from: null, to: 'PREVENTION' } }),
    ]).then(
      aTrial({
        design: {
          allocation: null,
          interventionModel: null,
          primaryPurpose: 'PREVENTION',
          masking: null,
          observationalModel: null,
          timePerspective: null,
        },
      }),
    );
  });

  it('an eligibility change sets the criteria and keeps the age limits and sex', () => {
    given([
      registered(),
      eligibilityChanged({ criteria: { from: trial.eligibility!.criteria, to: '* BMI 27+' } }),
    ]).then(aTrial({ eligibility: { ...trial.eligibility!, criteria: '* BMI 27+' } }));
  });

  it('healthy volunteers turning false is a value, not an unknown', () => {
    const acceptsVolunteers = aTrial({ eligibility: { ...trial.eligibility!, healthyVolunteers: true } });
    given([
      registered(acceptsVolunteers),
      eligibilityChanged({ healthyVolunteers: { from: true, to: false }, maximumAge: { from: '75 Years', to: null } }),
    ]).then(aTrial({ eligibility: { ...trial.eligibility!, maximumAge: null } }));
  });

  it('eligibility that was unknown starts from every attribute unknown', () => {
    given([registered(aTrial({ eligibility: null })), eligibilityChanged({ sex: { from: null, to: 'FEMALE' } })]).then(
      aTrial({
        eligibility: { minimumAge: null, maximumAge: null, sex: 'FEMALE', healthyVolunteers: null, criteria: null },
      }),
    );
  });
});

describe('parts of the design and eligibility known to be none', () => {
  const noLimit = aTrial({ eligibility: { ...trial.eligibility!, maximumAge: null } });
  /** The facts with a value, as a page shows them: it states no field as none. */
  const shown = (facts: TrialFacts) =>
    Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== null)) as Pick<TrialFacts, 'nctId'>;

  it('a registration knows the parts it names as none, and no other null part', () => {
    given([trialRegistered({ facts: shown(noLimit), noneParts: { eligibility: ['maximumAge'] } })]).thenNoneParts({
      design: [],
      eligibility: ['maximumAge'],
    });
  });

  it('a page registration knows no part to be none: what it does not show is unknown', () => {
    given([trialRegistered({ facts: shown(noLimit) })]).thenNoneParts({ design: [], eligibility: [] });
  });

  it('a registration written before they named them: its facts state fields as none, so it came from a complete record', () => {
    given([trialRegistered({ facts: { ...shown(noLimit), whyStopped: null } })]).thenNoneParts({
      design: ['observationalModel', 'timePerspective'],
      eligibility: ['maximumAge'],
    });
  });

  it('a part cleared is none; a part given a value is no longer none', () => {
    given([
      trialRegistered({ facts: shown(noLimit), noneParts: { eligibility: ['maximumAge'] } }),
      designChanged({ masking: { from: 'QUADRUPLE', to: null } }),
      eligibilityChanged({ maximumAge: { from: null, to: '65 Years' } }),
    ]).thenNoneParts({ design: ['masking'], eligibility: [] });
  });

  it('learned facts add the parts they name and keep those known before that are still none', () => {
    given([
      trialRegistered({ facts: shown(noLimit), noneParts: { eligibility: ['maximumAge'] } }),
      factsLearned({ facts: { design: trial.design }, noneParts: { design: ['timePerspective'] } }),
    ]).thenNoneParts({ design: ['timePerspective'], eligibility: ['maximumAge'] });
  });
});

describe('registration and last update bookkeeping', () => {
  it('a registration correction replaces only the corrected date', () => {
    given([
      registered(),
      registrationDatesCorrected({ studyFirstSubmitDate: { from: '2023-01-10', to: '2023-01-09' } }),
    ]).then(aTrial({ studyFirstSubmitDate: '2023-01-09' }));
  });

  it('both registration dates can be corrected at once', () => {
    given([
      registered(),
      registrationDatesCorrected({
        studyFirstSubmitDate: { from: '2023-01-10', to: '2023-01-09' },
        studyFirstPostDate: { from: actual('2023-01-18'), to: actual('2023-01-19') },
      }),
    ]).then(aTrial({ studyFirstSubmitDate: '2023-01-09', studyFirstPostDate: actual('2023-01-19') }));
  });

  it('a new version of the record moves both last update dates', () => {
    given([
      registered(),
      lastUpdatePostedDateMoved({
        from: actual('2024-04-05'),
        to: actual('2024-06-11'),
        submitDate: { from: '2024-04-02', to: '2024-06-07' },
      }),
    ]).then(aTrial({ lastUpdatePostDate: actual('2024-06-11'), lastUpdateSubmitDate: '2024-06-07' }));
  });

  it('a last update date the new version does not show is not kept from the version before', () => {
    given([
      registered(),
      lastUpdatePostedDateMoved({
        from: actual('2024-04-05'),
        to: null,
        submitDate: { from: '2024-04-02', to: '2024-06-07' },
      }),
    ]).then(aTrial({ lastUpdatePostDate: null, lastUpdateSubmitDate: '2024-06-07' }));
  });
});
