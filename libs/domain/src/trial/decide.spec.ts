import {
  armGroupsChanged,
  collaboratorsChanged,
  designChanged,
  eligibilityChanged,
  factsLearned,
  interventionsChanged,
  lastKnownStatusChanged,
  lastUpdatePostedDateMoved,
  locationsChanged,
  overallStatusChanged,
  primaryOutcomesChanged,
  referencesChanged,
  resultsSubmitted,
  titleChanged,
  trialRegistered,
  whyStoppedChanged,
} from '../events/index.js';
import { emptyFacts, FACT_FIELDS, type TrialFacts, type TrialSnapshot } from '../snapshot/trial-snapshot.js';
import { streamIdOf } from '../shared/nct-id.js';
import { advance, decide, type SnapshotDecision } from './decide.js';
import { nullPartsOf } from './evolve.js';
import { itemShownKey, type LoadedTrial, loadTrial, type RecordedTrialEvent } from './trial-stream.js';
import { aCompleteRecord, aPage, COMPLETE, givenStream, recorded } from '../testing/decide-spec.js';
import { actual, aLocation, anOutcome, anUnknownTrial, aTrial, estimated, NCT_ID, on } from '../testing/trial-facts.js';

/** A version of the record posted on `date` (submitted the day before). */
const version = (date: string): Pick<TrialFacts, 'lastUpdatePostDate' | 'lastUpdateSubmitDate'> => ({
  lastUpdatePostDate: actual(date),
  lastUpdateSubmitDate: `${date.slice(0, 8)}${String(Number(date.slice(8)) - 1).padStart(2, '0')}`,
});

/** Snapshots decided one after another, each decision applied, as the appender does. */
const inTurn = () => {
  let trial: LoadedTrial = {
    streamId: streamIdOf(NCT_ID),
    state: null,
    version: 0,
    effectiveDate: null,
    lastObservedAt: null,
    shownAt: {},
    versionShown: [],
  };
  return {
    ingest: (snapshot: TrialSnapshot, effectiveAt: string | null = null): SnapshotDecision => {
      const decision = decide(trial, snapshot, effectiveAt);
      trial = advance(trial, decision);
      return decision;
    },
    state: () => trial.state!,
    trial: () => trial,
  };
};

const factsOnlyOf = ({
  unknownFields: _unknown,
  noneParts: _none,
  ...facts
}: ReturnType<ReturnType<typeof inTurn>['state']>) => facts;

const typesOf = (decision: SnapshotDecision) => decision.events.map((event) => event.type);
const nonLearned = (decision: SnapshotDecision) =>
  decision.events.filter((event) => event.type !== 'trial.facts-learned');

const registeredFrom = (facts: TrialFacts, { complete = true } = {}) => {
  const known = Object.fromEntries(
    FACT_FIELDS.filter((field) => facts[field] !== null || (complete && COMPLETE.includes(field))).map((field) => [
      field,
      facts[field],
    ]),
  );
  const noneParts = Object.fromEntries(
    (['design', 'eligibility'] as const)
      .map((field) => [field, nullPartsOf(facts[field])] as const)
      .filter(([, parts]) => complete && parts.length > 0),
  );
  return trialRegistered({
    facts: { nctId: facts.nctId, ...known },
    ...(Object.keys(noneParts).length > 0 ? { noneParts } : {}),
  });
};

/** What a Veeva page shows of a trial: no last-update date, no sites, no outcomes' time frames. */
const veevaView = (facts: TrialFacts): TrialFacts => ({
  ...emptyFacts(facts.nctId),
  briefTitle: facts.briefTitle,
  overallStatus: facts.overallStatus,
  conditions: facts.conditions,
  leadSponsor: facts.leadSponsor ? { name: facts.leadSponsor.name, class: null } : null,
  enrollment: facts.enrollment ? { count: facts.enrollment.count, type: null } : null,
  primaryOutcomes: facts.primaryOutcomes?.map((outcome) => anOutcome(outcome.measure, null)) ?? null,
});

/** What a registry mirror page shows: the last-update date, but no sites, no primary completion, no keywords. */
const mirrorView = (facts: TrialFacts): TrialFacts => ({
  ...veevaView(facts),
  lastUpdatePostDate: facts.lastUpdatePostDate ? { date: facts.lastUpdatePostDate.date, type: null } : null,
  startDate: facts.startDate,
  phases: facts.phases,
});

describe('the first snapshot registers the trial', () => {
  it('a complete record registers every field, those it leaves out as none', () => {
    givenStream()
      .when(aCompleteRecord(aTrial()))
      .thenChanged([registeredFrom(aTrial())])
      .andUnknown(FACT_FIELDS.filter((field) => aTrial()[field] === null && !COMPLETE.includes(field)));
  });

  it('a page registers what it shows; the rest stays unknown', () => {
    const page = veevaView(aTrial());
    givenStream()
      .when(aPage(page))
      .thenChanged([registeredFrom(page, { complete: false })])
      .andUnknown(FACT_FIELDS.filter((field) => page[field] === null));
  });
});

describe('staleness compares registry versions only', () => {
  const current = recorded(registeredFrom(aTrial()), '2024-04-05T00:00:00.000Z');

  it('an older registry version is stale', () => {
    givenStream(current)
      .when(aCompleteRecord(aTrial({ ...version('2023-11-20'), overallStatus: 'NOT_YET_RECRUITING' })))
      .thenStale()
      .andState(aTrial());
  });

  it('the same registry version again changes nothing', () => {
    givenStream(current).when(aCompleteRecord(aTrial())).thenUnchanged();
  });

  it('an undated page observed before the newest recorded change is stale', () => {
    givenStream(current)
      .when(aPage(veevaView(aTrial({ overallStatus: 'NOT_YET_RECRUITING' })), '2024-01-01T00:00:00.000Z'))
      .thenStale();
  });

  it('case 1: a dated record after an undated page observed later is not stale: what it knows is learned', () => {
    const page = veevaView(aTrial());
    givenStream(recorded(registeredFrom(page, { complete: false }), '2026-12-03T10:00:00.000Z'))
      .when(aCompleteRecord(aTrial({ ...version('2024-01-10') })))
      .thenEventTypes(['trial.facts-learned'])
      .andState(aTrial({ ...version('2024-01-10') }));
  });

  it('case 7: a page observed in the far future never makes the registry record stale', () => {
    const page = veevaView(aTrial());
    givenStream(recorded(registeredFrom(page, { complete: false }), '2030-01-01T00:00:00.000Z'))
      .when(aCompleteRecord(aTrial()))
      .thenEventTypes(['trial.facts-learned'])
      .thenOccurredAt('2030-01-01T00:00:00.000Z');
  });
});

describe('learning is not changing', () => {
  it('case 3: a page, then the complete record of the same registry version: only learned facts', () => {
    const full = aTrial();
    const page = mirrorView(full);
    const decision = givenStream(recorded(registeredFrom(page, { complete: false }), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(full))
      .thenEventTypes(['trial.facts-learned'])
      .andState(full);
    expect(decision.decision.outcome).toBe('learned');
    const [learned] = decision.decision.events;
    expect(Object.keys((learned as ReturnType<typeof factsLearned>).data.facts)).toEqual(
      expect.arrayContaining([
        'locations',
        'primaryCompletionDate',
        'keywords',
        'collaborators',
        'lastUpdateSubmitDate',
      ]),
    );
  });

  it('what was learned as none is known: the next version learns it not again', () => {
    const full = aTrial({ acronym: null, whyStopped: null, lastKnownStatus: null, collaborators: [] });
    const registered = recorded(registeredFrom(mirrorView(full), { complete: false }), '2024-04-05T00:00:00.000Z');
    const sameVersion = givenStream(registered).when(aCompleteRecord(full)).thenEventTypes(['trial.facts-learned']);
    expect((sameVersion.decision.events[0] as ReturnType<typeof factsLearned>).data.facts).toMatchObject({
      acronym: null,
      whyStopped: null,
      lastKnownStatus: null,
      collaborators: [],
    });
    const newer = { ...full, ...version('2024-09-01'), overallStatus: 'ACTIVE_NOT_RECRUITING' as const };
    givenStream(registered, recorded(sameVersion.decision.events[0]!, '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(newer, '2024-09-01T00:00:00.000Z'))
      .thenEventTypes(['trial.overall-status-changed', 'trial.last-update-posted-date-moved'])
      // A record without results leaves the results date out; that absence is not stated as none.
      .andUnknown(['resultsFirstPostDate']);
  });

  it('a newer version teaches what was unknown and changes what differs from what was known', () => {
    const page = veevaView(aTrial());
    const newer = aTrial({ ...version('2024-09-01'), overallStatus: 'ACTIVE_NOT_RECRUITING' });
    givenStream(recorded(registeredFrom(page, { complete: false }), '2024-06-01T00:00:00.000Z'))
      .when(aCompleteRecord(newer))
      .thenEventTypes(['trial.facts-learned', 'trial.overall-status-changed'])
      .andState(newer);
  });

  it('the same version through a complete record corrects what a page showed differently, as learned', () => {
    const full = aTrial();
    const misread = mirrorView(aTrial({ briefTitle: 'Semaglutide in adults with obesity (page title)' }));
    givenStream(recorded(registeredFrom(misread, { complete: false }), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(full))
      .thenEventTypes(['trial.facts-learned'])
      .andState(full);
  });

  it('case 8: a document limited by fields= after the full record wipes nothing', () => {
    const limited: TrialFacts = {
      ...emptyFacts(NCT_ID),
      briefTitle: aTrial().briefTitle,
      overallStatus: 'RECRUITING',
      startDate: on('2023-03-01'),
      completionDate: on('2025-12'),
      conditions: aTrial().conditions,
      leadSponsor: { name: 'Novo Nordisk A/S', class: null },
      enrollment: { count: 300, type: null },
      interventions: [
        { type: null, name: 'Semaglutide' },
        { type: null, name: 'Placebo' },
      ],
    };
    givenStream(recorded(registeredFrom(aTrial()), '2024-04-05T00:00:00.000Z'))
      .when(aPage(limited, '2026-12-03T10:00:00.000Z', 'ctgov-api-v2-json'))
      .thenUnchanged()
      .andState(aTrial());
  });

  it('a page that says a list is empty changes it: an empty list is a statement, not an omission', () => {
    givenStream(recorded(registeredFrom(aTrial()), '2024-04-05T00:00:00.000Z'))
      .when(aPage({ ...veevaView(aTrial()), primaryOutcomes: [] }, '2024-07-01T00:00:00.000Z'))
      .thenEventTypes(['trial.primary-outcomes-changed']);
  });

  it('a page that shows fewer sites, outcomes or fields than known clears nothing', () => {
    givenStream(recorded(registeredFrom(aTrial()), '2024-04-05T00:00:00.000Z'))
      .when(aPage(veevaView(aTrial()), '2024-07-01T00:00:00.000Z'))
      .thenUnchanged()
      .andState(aTrial());
  });
});

describe('the references and officials of a trial registered before trialwatch read them', () => {
  const results = {
    pmid: '36000001',
    type: 'RESULT',
    citation: 'Wilding JPH, et al. Semaglutide in adults with obesity. N Engl J Med. 2025;392:1-12.',
  };
  const officials = [
    { name: 'John Wilding, MD', affiliation: 'University of Liverpool', role: 'PRINCIPAL_INVESTIGATOR' },
  ];
  /** A complete record's registration as stored before: without the references and overall officials. */
  const registeredBefore = () => {
    const { references: _references, overallOfficials: _officials, ...facts } = registeredFrom(aTrial()).data.facts;
    return recorded(trialRegistered({ facts }), '2024-04-05T00:00:00.000Z');
  };

  it('reads them as unknown, not as none', () => {
    givenStream(registeredBefore())
      .when(aPage(anUnknownTrial({ briefTitle: aTrial().briefTitle }), '2024-05-01T00:00:00.000Z'))
      .thenUnchanged()
      .andUnknown(['resultsFirstPostDate', 'references', 'overallOfficials']);
  });

  it('learns them from the first complete record after, never announcing a results publication added', () => {
    const newer = aTrial({ ...version('2024-09-01'), references: [results], overallOfficials: officials });
    givenStream(registeredBefore())
      .when(aCompleteRecord(newer, '2024-09-02T00:00:00.000Z'))
      .thenEventTypes(['trial.facts-learned', 'trial.last-update-posted-date-moved'])
      .andState(newer);
  });

  it('learns them from a complete record of the version it holds', () => {
    givenStream(registeredBefore())
      .when(aCompleteRecord(aTrial({ references: [results], overallOfficials: officials })))
      .thenLearned({ references: [results], overallOfficials: officials });
  });

  it('announces a results publication a later version adds, once they are known', () => {
    const background = { pmid: '31000002', type: 'BACKGROUND', citation: 'Smith A. Obesity. Lancet. 2019.' };
    const learned = factsLearned({ facts: { references: [background], overallOfficials: officials } });
    const newer = aTrial({ ...version('2024-09-01'), references: [background, results], overallOfficials: officials });
    givenStream(registeredBefore(), recorded(learned, '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(newer, '2024-09-02T00:00:00.000Z'))
      .thenChanged([
        referencesChanged({ added: [results], removed: [] }),
        lastUpdatePostedDateMoved({
          from: actual('2024-04-05'),
          to: actual('2024-09-01'),
          submitDate: { from: '2024-04-02', to: '2024-09-00' },
        }),
      ]);
  });
});

describe("results submitted, awaiting the registry's quality-control review", () => {
  /** The version of 2024-09-01, with results submitted on `date` (none with null). */
  const submitted = (date: string | null) =>
    aTrial({ ...version('2024-09-01'), overallStatus: 'COMPLETED', resultsFirstSubmitDate: date });
  const completed = aTrial({ overallStatus: 'COMPLETED' });

  it('are announced between complete records, with the day they were submitted', () => {
    givenStream(recorded(registeredFrom(completed), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(submitted('2024-08-20'), '2024-09-02T00:00:00.000Z'))
      .thenChanged([
        resultsSubmitted({ from: null, to: '2024-08-20', posted: false }),
        lastUpdatePostedDateMoved({
          from: actual('2024-04-05'),
          to: actual('2024-09-01'),
          submitDate: { from: '2024-04-02', to: '2024-09-00' },
        }),
      ])
      .andState(submitted('2024-08-20'));
  });

  it('a submission the sponsor took back is announced by the complete record that no longer shows it', () => {
    givenStream(
      recorded(registeredFrom({ ...completed, resultsFirstSubmitDate: '2024-03-20' }), '2024-04-05T00:00:00.000Z'),
    )
      .when(aCompleteRecord(submitted(null), '2024-09-02T00:00:00.000Z'))
      .thenChanged([
        lastUpdatePostedDateMoved({
          from: actual('2024-04-05'),
          to: actual('2024-09-01'),
          submitDate: { from: '2024-04-02', to: '2024-09-00' },
        }),
        resultsSubmitted({ from: '2024-03-20', to: null, posted: false }),
      ])
      .andState(submitted(null));
  });

  it('a page, which does not show them, takes nothing away', () => {
    givenStream(
      recorded(registeredFrom({ ...completed, resultsFirstSubmitDate: '2024-03-20' }), '2024-04-05T00:00:00.000Z'),
    )
      .when(aPage(anUnknownTrial({ briefTitle: aTrial().briefTitle }), '2024-05-01T00:00:00.000Z'))
      .thenUnchanged();
  });

  /** A complete record's registration as stored before the day results were submitted was read. */
  const registeredBefore = () => {
    const { resultsFirstSubmitDate: _submitted, ...facts } = registeredFrom(completed).data.facts;
    return recorded(trialRegistered({ facts }), '2024-04-05T00:00:00.000Z');
  };

  it('of a trial registered before trialwatch read them are unknown, not none', () => {
    givenStream(registeredBefore())
      .when(aPage(anUnknownTrial({ briefTitle: aTrial().briefTitle }), '2024-05-01T00:00:00.000Z'))
      .thenUnchanged()
      .andUnknown(['resultsFirstSubmitDate', 'resultsFirstPostDate']);
  });

  it('of a trial registered before are learned from the first complete record after, never announced', () => {
    givenStream(registeredBefore())
      .when(aCompleteRecord(submitted('2024-08-20'), '2024-09-02T00:00:00.000Z'))
      .thenEventTypes(['trial.facts-learned', 'trial.last-update-posted-date-moved'])
      .andState(submitted('2024-08-20'));
    givenStream(registeredBefore())
      .when(aCompleteRecord(aTrial({ overallStatus: 'COMPLETED', resultsFirstSubmitDate: '2024-03-01' })))
      .thenLearned({ resultsFirstSubmitDate: '2024-03-01' });
  });
});

describe('a newer version after an undated snapshot observed since it was posted', () => {
  const v1 = aTrial({
    ...version('2023-12-14'),
    overallStatus: 'RECRUITING',
    primaryCompletionDate: estimated('2025-02-01'),
  });
  const v2 = aTrial({
    ...version('2024-05-02'),
    overallStatus: 'ACTIVE_NOT_RECRUITING',
    primaryCompletionDate: estimated('2026-02-01'),
  });
  /** A `fields=` search result or a page: the status alone, no date. */
  const statusOnly = (facts: TrialFacts, observedAt: string) =>
    aPage({ ...emptyFacts(NCT_ID), overallStatus: facts.overallStatus }, observedAt);

  it('announces the changes of fields the snapshot in between did not show', () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(v1, '2023-12-15T00:00:00.000Z'));
    // Seen after v2 was posted: it showed v2's status (a change then), nothing of the dates.
    expect(typesOf(ingest(statusOnly(v2, '2024-06-01T00:00:00.000Z')))).toEqual(['trial.overall-status-changed']);
    const second = ingest(aCompleteRecord(v2, '2024-07-01T00:00:00.000Z'));
    expect(second.outcome).toBe('changed');
    expect(typesOf(second)).toEqual(['trial.primary-completion-date-changed', 'trial.last-update-posted-date-moved']);
    expect(state().primaryCompletionDate).toEqual(estimated('2026-02-01'));
  });

  it('announces them when the snapshot in between showed nothing new at all', () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(v1, '2023-12-15T00:00:00.000Z'));
    expect(ingest(statusOnly(v1, '2024-06-01T00:00:00.000Z')).outcome).toBe('unchanged');
    expect(typesOf(ingest(aCompleteRecord(v2, '2024-07-01T00:00:00.000Z')))).toEqual([
      'trial.overall-status-changed',
      'trial.primary-completion-date-changed',
      'trial.last-update-posted-date-moved',
    ]);
  });

  it('learns, not announces, what differs in a field the snapshot in between showed', () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(v1, '2023-12-15T00:00:00.000Z'));
    // The page shows the new title shortened; the version's record has it whole.
    const page = aPage({ ...emptyFacts(NCT_ID), briefTitle: 'A Shorter Title' }, '2024-06-01T00:00:00.000Z');
    expect(typesOf(ingest(page))).toEqual(['trial.title-changed']);
    const second = ingest(aCompleteRecord({ ...v1, ...version('2024-05-02'), briefTitle: 'A Shorter Title, Whole' }));
    expect(typesOf(second)).toEqual(['trial.facts-learned', 'trial.last-update-posted-date-moved']);
    expect(state().briefTitle).toBe('A Shorter Title, Whole');
  });

  it('announces them when a page showed the field only before the version the trial holds', () => {
    const { ingest, state } = inTurn();
    // Registered from a page with no registry date, then the first registry version.
    const page = aPage(
      { ...emptyFacts(NCT_ID), overallStatus: 'RECRUITING', primaryCompletionDate: estimated('2025-02-01') },
      '2023-12-01T00:00:00.000Z',
    );
    expect(ingest(page).outcome).toBe('changed');
    ingest(aCompleteRecord(v1, '2023-12-15T00:00:00.000Z'));
    expect(ingest(statusOnly(v1, '2024-06-01T00:00:00.000Z')).outcome).toBe('unchanged');
    expect(typesOf(ingest(aCompleteRecord({ ...v2, overallStatus: v1.overallStatus })))).toEqual([
      'trial.primary-completion-date-changed',
      'trial.last-update-posted-date-moved',
    ]);
    expect(state().primaryCompletionDate).toEqual(estimated('2026-02-01'));
  });

  it('announces them when only dated records showed the field, a lossy page of the version among them', () => {
    const withEnrollment = (facts: TrialFacts, count: number) => ({
      ...facts,
      enrollment: { count, type: 'ESTIMATED' as const },
    });
    const { ingest } = inTurn();
    // A dated page of v1 that shows the enrollment without its type, then the API record of v1.
    const mirror = aPage(
      { ...emptyFacts(NCT_ID), ...version('2023-12-14'), enrollment: { count: 300, type: null } },
      '2023-12-15T00:00:00.000Z',
      'registry-mirror-html',
    );
    ingest(mirror);
    expect(ingest(aCompleteRecord(withEnrollment(v1, 300), '2023-12-16T00:00:00.000Z')).outcome).toBe('learned');
    expect(ingest(statusOnly(v1, '2024-06-01T00:00:00.000Z')).outcome).toBe('unchanged');
    expect(typesOf(ingest(aCompleteRecord({ ...withEnrollment(v1, 450), ...version('2024-05-02') })))).toEqual([
      'trial.enrollment-updated',
      'trial.last-update-posted-date-moved',
    ]);
  });

  it('does not announce again what a page announced, when the version it showed comes later by a backfill', () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(v1, '2023-12-15T00:00:00.000Z'));
    // Seen after v3 was posted, the page shows v3's primary completion date: announced then.
    const page = aPage(
      { ...emptyFacts(NCT_ID), primaryCompletionDate: estimated('2026-02-01') },
      '2024-06-01T00:00:00.000Z',
    );
    expect(typesOf(ingest(page))).toEqual(['trial.primary-completion-date-changed']);
    // The history is backfilled: v2 (an enrollment update), then v3, the version the page showed.
    const v2b = aTrial({ ...v1, ...version('2024-03-05'), enrollment: { count: 350, type: 'ESTIMATED' } });
    const v3 = aTrial({ ...v2b, ...version('2024-05-06'), primaryCompletionDate: estimated('2026-02-01') });
    ingest(aCompleteRecord(v2b, '2024-07-01T00:00:00.000Z'), '2024-03-05T00:00:00.000Z');
    expect(typesOf(ingest(aCompleteRecord(v3, '2024-07-01T00:00:00.000Z'), '2024-05-06T00:00:00.000Z'))).not.toContain(
      'trial.primary-completion-date-changed',
    );
  });

  it('forgets what was shown since a version at the next one', () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(v1, '2023-12-15T00:00:00.000Z'));
    ingest(statusOnly(v2, '2024-06-01T00:00:00.000Z'));
    ingest(aCompleteRecord(v2, '2024-07-01T00:00:00.000Z'));
    // A third version posted before another status-only observation: the status shown before v2 is
    // forgotten, so v3's status change is the registry's.
    ingest(statusOnly(v2, '2024-09-01T00:00:00.000Z'));
    const v3 = aTrial({ ...v2, ...version('2024-08-20'), overallStatus: 'COMPLETED' });
    expect(typesOf(ingest(aCompleteRecord(v3, '2024-10-01T00:00:00.000Z')))).toEqual([
      'trial.overall-status-changed',
      'trial.last-update-posted-date-moved',
    ]);
  });
});

describe('the complete record of a version a dated page showed in part', () => {
  const v1 = aTrial({ ...version('2023-12-14'), overallStatus: 'RECRUITING' });
  /** v2 closes recruitment, moves the completion dates and the enrollment, and adds a keyword. */
  const v2 = aTrial({
    ...version('2024-05-02'),
    overallStatus: 'ACTIVE_NOT_RECRUITING',
    primaryCompletionDate: estimated('2026-02'),
    completionDate: estimated('2026-08'),
    enrollment: { count: 300, type: 'ACTUAL' },
    keywords: ['GLP-1', 'weight loss', 'obesity pharmacotherapy'],
  });
  /** A mirror page of v2, seen the day it was posted: its status and dates, not the completion dates nor the keywords. */
  const mirrorPageOf = (facts: TrialFacts) =>
    aPage(mirrorView(facts), '2024-05-02T12:00:00.000Z', 'registry-mirror-html');

  it("announces the changes in the fields the page did not show: they still held the older version's values", () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(v1, '2023-12-15T00:00:00.000Z'));
    expect(nonLearned(ingest(mirrorPageOf(v2))).map((event) => event.type)).toEqual([
      'trial.overall-status-changed',
      'trial.last-update-posted-date-moved',
    ]);
    const record = ingest(aCompleteRecord(v2, '2024-05-03T00:00:00.000Z'));
    expect(record.outcome).toBe('changed');
    expect(nonLearned(record).map((event) => event.type)).toEqual([
      'trial.enrollment-updated',
      'trial.primary-completion-date-changed',
      'trial.completion-date-changed',
      'trial.keywords-changed',
    ]);
    expect(nonLearned(record)[1]!.data).toEqual({ from: estimated('2025-06'), to: estimated('2026-02') });
    expect(factsOnlyOf(state())).toEqual(v2);
  });

  it('learns, never announces, what the page showed of the version, however it showed it', () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(v1, '2023-12-15T00:00:00.000Z'));
    ingest(mirrorPageOf({ ...v2, briefTitle: 'Semaglutide in adults with obesity (page title)' }));
    const record = ingest(aCompleteRecord({ ...v2, keywords: v1.keywords }, '2024-05-03T00:00:00.000Z'));
    expect(record.events.map((event) => event.type)).toEqual([
      'trial.facts-learned',
      'trial.enrollment-updated',
      'trial.primary-completion-date-changed',
      'trial.completion-date-changed',
    ]);
    expect(state().briefTitle).toBe(v2.briefTitle);
  });

  it('learns what a page observed since the version was posted showed', () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(v1, '2023-12-15T00:00:00.000Z'));
    ingest(mirrorPageOf(v2));
    // An undated page seen after v2 was posted showed its keywords.
    ingest(aPage({ ...emptyFacts(NCT_ID), keywords: v2.keywords }, '2024-05-02T18:00:00.000Z'));
    const record = ingest(aCompleteRecord(v2, '2024-05-03T00:00:00.000Z'));
    expect(nonLearned(record).map((event) => event.type)).not.toContain('trial.keywords-changed');
    expect(nonLearned(record).map((event) => event.type)).toContain('trial.completion-date-changed');
  });

  it('once the record is decided, a later page of the version showing another value changes nothing', () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(v1, '2023-12-15T00:00:00.000Z'));
    ingest(mirrorPageOf(v2));
    ingest(aCompleteRecord(v2, '2024-05-03T00:00:00.000Z'));
    const again = ingest(aCompleteRecord({ ...v2, keywords: ['GLP-1'] }, '2024-05-04T00:00:00.000Z'));
    expect(again.outcome).toBe('learned');
    expect(ingest(mirrorPageOf({ ...v2, overallStatus: 'COMPLETED' })).outcome).toBe('unchanged');
  });

  it('the same decisions from the stream as stored, its events grouped by the snapshot that appended them', () => {
    const stream: RecordedTrialEvent[] = [];
    let trial = loadTrial(NCT_ID, []);
    const snapshots = [aCompleteRecord(v1, '2023-12-15T00:00:00.000Z'), mirrorPageOf(v2)];
    snapshots.forEach((snapshot, index) => {
      const decision = decide(trial, snapshot);
      for (const event of decision.events) {
        stream.push({
          ...JSON.parse(JSON.stringify({ type: event.type, schemaVersion: event.schemaVersion, data: event.data })),
          streamVersion: stream.length + 1,
          occurredAt: new Date('occurredAt' in decision ? decision.occurredAt : 0),
          metadata: {
            snapshotId: `snapshot-${index}`,
            observedAt: snapshot.source.observedAt,
            dated: decision.observedAt === null,
            complete: decision.complete,
          },
        });
      }
      trial = advance(trial, decision);
    });
    const fromStream = loadTrial(NCT_ID, stream);
    expect(fromStream.versionShown).toEqual(trial.versionShown);
    expect(fromStream.versionShown).not.toBe('all');
    expect(nonLearned(decide(fromStream, aCompleteRecord(v2))).map((event) => event.type)).toContain(
      'trial.completion-date-changed',
    );
  });
});

describe('case 4: a complete record clears what it no longer states', () => {
  const suspended = aTrial({ overallStatus: 'SUSPENDED', whyStopped: 'Drug supply interrupted' });

  it('a trial that resumes loses its reason for stopping', () => {
    const resumed = aTrial({ ...version('2024-09-01') });
    givenStream(recorded(registeredFrom(suspended), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(resumed))
      .thenChanged([
        overallStatusChanged({ from: 'SUSPENDED', to: 'RECRUITING', whyStopped: null, lastKnownStatus: null }),
        lastUpdatePostedDateMoved({
          from: actual('2024-04-05'),
          to: actual('2024-09-01'),
          submitDate: { from: '2024-04-02', to: '2024-09-00' },
        }),
        whyStoppedChanged({ from: 'Drug supply interrupted', to: null }),
      ])
      .andState(resumed);
  });

  it('the last known status goes once the status is known again, and a dropped acronym goes', () => {
    const unknownStatus = aTrial({ overallStatus: 'UNKNOWN', lastKnownStatus: 'RECRUITING' });
    const next = aTrial({ ...version('2024-09-01'), acronym: null, overallStatus: 'COMPLETED' });
    givenStream(recorded(registeredFrom(unknownStatus), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(next))
      .thenEventTypes([
        'trial.overall-status-changed',
        'trial.last-update-posted-date-moved',
        'trial.last-known-status-changed',
        'trial.title-changed',
      ])
      .andState(next);
  });

  it('an upper age limit dropped and the masking left out go, in one event each with the parts that changed', () => {
    const trial = aTrial();
    const next = aTrial({
      ...version('2024-09-01'),
      design: { ...trial.design!, masking: null, allocation: 'NA' },
      eligibility: { ...trial.eligibility!, maximumAge: null },
    });
    givenStream(recorded(registeredFrom(trial), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(next))
      .thenChanged([
        designChanged({ allocation: { from: 'RANDOMIZED', to: 'NA' }, masking: { from: 'QUADRUPLE', to: null } }),
        lastUpdatePostedDateMoved({
          from: actual('2024-04-05'),
          to: actual('2024-09-01'),
          submitDate: { from: '2024-04-02', to: '2024-09-00' },
        }),
        eligibilityChanged({ maximumAge: { from: '75 Years', to: null } }),
      ])
      .andState(next);
  });

  it('a page that leaves out a part of the design or eligibility clears nothing', () => {
    const trial = aTrial();
    const page = aTrial({
      design: { ...trial.design!, masking: null },
      eligibility: { ...trial.eligibility!, maximumAge: null },
    });
    givenStream(recorded(registeredFrom(trial), '2024-04-05T00:00:00.000Z'))
      .when(aPage(page, '2024-07-01T00:00:00.000Z'))
      .thenUnchanged();
  });

  it('a page never clears: what it does not show is unknown, not none', () => {
    givenStream(recorded(registeredFrom(suspended), '2024-04-05T00:00:00.000Z'))
      .when(aPage({ ...veevaView(suspended), overallStatus: 'RECRUITING' }, '2024-07-01T00:00:00.000Z'))
      .thenEventTypes(['trial.overall-status-changed'])
      .andState({ ...suspended, overallStatus: 'RECRUITING' });
  });

  it('the clearing events say what went', () => {
    const next = aTrial({ ...version('2024-09-01'), acronym: null, lastKnownStatus: null });
    const withAcronym = aTrial({ lastKnownStatus: 'RECRUITING' });
    const decision = givenStream(recorded(registeredFrom(withAcronym), '2024-04-05T00:00:00.000Z')).when(
      aCompleteRecord(next),
    ).decision;
    expect(decision.events).toEqual(
      expect.arrayContaining([
        lastKnownStatusChanged({ from: 'RECRUITING', to: null }),
        titleChanged({ field: 'acronym', from: 'STEP-X', to: null }),
      ]),
    );
  });
});

describe('a part of the design or eligibility a complete record left out is none, not unknown', () => {
  const noUpperLimit = aTrial({ eligibility: { ...aTrial().eligibility!, maximumAge: null } });
  const upTo65 = aTrial({
    ...version('2024-09-01'),
    eligibility: { ...aTrial().eligibility!, maximumAge: '65 Years' },
  });

  it('a newer complete record that adds an upper age limit announces it', () => {
    givenStream(recorded(registeredFrom(noUpperLimit), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(upTo65))
      .thenChanged([
        eligibilityChanged({ maximumAge: { from: null, to: '65 Years' } }),
        lastUpdatePostedDateMoved({
          from: actual('2024-04-05'),
          to: actual('2024-09-01'),
          submitDate: { from: '2024-04-02', to: '2024-09-00' },
        }),
      ])
      .andState(upTo65);
  });

  it('a page showing the eligibility without an upper age limit, then the record with one: learned', () => {
    // The page may simply not show the limit: the record teaches it.
    const page = { ...veevaView(aTrial()), eligibility: noUpperLimit.eligibility };
    givenStream(recorded(registeredFrom(page, { complete: false }), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(upTo65, '2024-09-02T00:00:00.000Z'))
      .thenEventTypes(['trial.facts-learned'])
      .andState(upTo65);
  });

  it('a page leaving the limit out after the record changes nothing, and the next record adding it announces it', () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(noUpperLimit, '2024-04-05T00:00:00.000Z'));
    const page = { ...veevaView(aTrial()), eligibility: noUpperLimit.eligibility };
    expect(ingest(aPage(page, '2024-06-01T00:00:00.000Z')).outcome).toBe('unchanged');
    expect(ingest(aCompleteRecord(upTo65, '2024-09-02T00:00:00.000Z')).events).toContainEqual(
      eligibilityChanged({ maximumAge: { from: null, to: '65 Years' } }),
    );
  });

  it('a later page showing a limit the record stated as none shows a change, as for any field the record stated as none', () => {
    const page = { ...veevaView(aTrial()), eligibility: upTo65.eligibility };
    givenStream(recorded(registeredFrom(noUpperLimit), '2024-04-05T00:00:00.000Z'))
      .when(aPage(page, '2024-07-01T00:00:00.000Z'))
      .thenChanged([eligibilityChanged({ maximumAge: { from: null, to: '65 Years' } })]);
  });

  it('a page of the same version showing a limit its record stated as none teaches nothing', () => {
    // The registry's record of that version has no limit: as for a reason for stopping it states as none.
    const page = { ...mirrorView(aTrial()), eligibility: upTo65.eligibility };
    givenStream(recorded(registeredFrom(noUpperLimit), '2024-04-05T00:00:00.000Z'))
      .when(aPage(page, '2024-07-01T00:00:00.000Z', 'registry-mirror-text'))
      .thenUnchanged();
  });

  it('a page that showed the eligibility after the version was posted did not show a limit the trial knew as none', () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(noUpperLimit, '2024-04-05T00:00:00.000Z'));
    // Observed after version 2 was posted, it showed the eligibility criteria changed, but no age limits.
    const criteria = 'Inclusion Criteria:\n\n* BMI of 27 kg/m2 or more';
    const page = {
      ...veevaView(aTrial()),
      eligibility: { ...noUpperLimit.eligibility!, minimumAge: null, maximumAge: null, criteria },
    };
    expect(typesOf(ingest(aPage(page, '2024-09-10T00:00:00.000Z')))).toEqual(['trial.eligibility-changed']);
    const v2 = aTrial({ ...upTo65, eligibility: { ...upTo65.eligibility!, criteria } });
    expect(nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z')))).toEqual([
      eligibilityChanged({ maximumAge: { from: null, to: '65 Years' } }),
      lastUpdatePostedDateMoved({
        from: actual('2024-04-05'),
        to: actual('2024-09-01'),
        submitDate: { from: '2024-04-02', to: '2024-09-00' },
      }),
    ]);
  });

  it('a design part a newer complete record adds is announced', () => {
    const observational = aTrial({ design: { ...aTrial().design!, masking: null } });
    const masked = aTrial({ ...version('2024-09-01'), design: { ...aTrial().design!, masking: 'DOUBLE' } });
    givenStream(recorded(registeredFrom(observational), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(masked))
      .thenEventTypes(['trial.design-changed', 'trial.last-update-posted-date-moved'])
      .andState(masked);
  });

  it('a stream registered by a complete record before registrations named the parts they state as none', () => {
    const { noneParts: _none, ...data } = registeredFrom(noUpperLimit).data;
    givenStream(recorded(trialRegistered(data), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(upTo65))
      .thenEventTypes(['trial.eligibility-changed', 'trial.last-update-posted-date-moved']);
  });
});

describe('a newer complete record after a page that showed the eligibility since it was posted', () => {
  const criteria = 'Inclusion Criteria:\n\n* BMI of 27 kg/m2 or more';
  /** A page observed after version 2 was posted: it shows the new criteria, no age limits. */
  const criteriaPage = aPage(
    {
      ...veevaView(aTrial()),
      eligibility: { ...aTrial().eligibility!, minimumAge: null, maximumAge: null, criteria },
    },
    '2024-09-10T00:00:00.000Z',
  );
  const moved = lastUpdatePostedDateMoved({
    from: actual('2024-04-05'),
    to: actual('2024-09-01'),
    submitDate: { from: '2024-04-02', to: '2024-09-00' },
  });

  it('an upper age limit it drops is announced gone, as the masking it drops is', () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    expect(typesOf(ingest(criteriaPage))).toEqual(['trial.eligibility-changed']);
    const v2 = aTrial({
      ...version('2024-09-01'),
      design: { ...aTrial().design!, masking: null },
      eligibility: { ...aTrial().eligibility!, maximumAge: null, criteria },
    });
    const decision = ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z'));
    expect(nonLearned(decision)).toEqual([
      designChanged({ masking: { from: 'QUADRUPLE', to: null } }),
      eligibilityChanged({ maximumAge: { from: '75 Years', to: null } }),
      moved,
    ]);
    expect(state().eligibility).toEqual(v2.eligibility);
    expect(state().design).toEqual(v2.design);
  });

  it('a lower age limit it moves is announced: the page showed the criteria, not the ages', () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    ingest(criteriaPage);
    const v2 = aTrial({
      ...version('2024-09-01'),
      eligibility: { ...aTrial().eligibility!, minimumAge: '21 Years', criteria },
    });
    expect(nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z')))).toEqual([
      eligibilityChanged({ minimumAge: { from: '18 Years', to: '21 Years' } }),
      moved,
    ]);
    expect(state().eligibility).toEqual(v2.eligibility);
  });

  it("a limit the page showed since is the record's to say: its none is learned, not announced", () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    // The page may have shown a later version than this record's: what the record says of it is learned.
    const page = aPage(
      { ...veevaView(aTrial()), eligibility: { ...aTrial().eligibility!, maximumAge: '80 Years' } },
      '2024-09-10T00:00:00.000Z',
    );
    expect(typesOf(ingest(page))).toEqual(['trial.eligibility-changed']);
    const v2 = aTrial({ ...version('2024-09-01'), eligibility: { ...aTrial().eligibility!, maximumAge: null } });
    const decision = ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z'));
    expect(nonLearned(decision)).toEqual([moved]);
    expect(state().eligibility).toEqual(v2.eligibility);
    expect(state().noneParts?.eligibility).toEqual(['maximumAge']);
  });

  it('a part the page showed differently is learned from the record, never announced', () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    // The page showed the criteria in its own wording; the record of the version has them whole.
    ingest(criteriaPage);
    const v2 = aTrial({
      ...version('2024-09-01'),
      eligibility: { ...aTrial().eligibility!, criteria: `${criteria}\n\nExclusion Criteria:\n\n* Pregnancy` },
    });
    const decision = ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z'));
    expect(nonLearned(decision)).toEqual([moved]);
    expect(state().eligibility).toEqual(v2.eligibility);
  });
});

describe('a newer complete record after a page that showed the sites, without their statuses, since it was posted', () => {
  const v2Sites = [
    aLocation({ status: 'COMPLETED' }),
    aLocation({ facility: 'Cleveland Clinic', city: 'Cleveland', state: 'Ohio', status: 'RECRUITING' }),
    aLocation({ facility: 'Duke University Hospital', city: 'Durham', state: 'North Carolina', status: 'RECRUITING' }),
  ];
  /** Observed after version 2 was posted: it shows the site version 2 adds, and no site's status. */
  const sitesPage = aPage(
    { ...emptyFacts(NCT_ID), locations: v2Sites.map((site) => ({ ...site, status: null })) },
    '2024-09-10T00:00:00.000Z',
  );

  it("announces the sites' status changes the page could not show", () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    expect(typesOf(ingest(sitesPage))).toEqual(['trial.locations-changed']);
    const v2 = aTrial({ ...version('2024-09-01'), locations: v2Sites });
    const changes = nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z')));
    expect(changes.map((event) => event.type)).toEqual([
      'trial.locations-changed',
      'trial.last-update-posted-date-moved',
    ]);
    expect(changes[0]!.data).toEqual({
      added: [],
      removed: [],
      statusChanged: [
        { location: v2Sites[0], from: 'RECRUITING', to: 'COMPLETED' },
        { location: v2Sites[1], from: 'NOT_YET_RECRUITING', to: 'RECRUITING' },
      ],
    });
    expect(state().locations).toEqual(v2Sites);
  });

  it('learns a status the page showed since, and a status the trial did not know', () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    // This page shows the statuses: the record's differing one is learned.
    ingest(aPage({ ...emptyFacts(NCT_ID), locations: v2Sites }, '2024-09-10T00:00:00.000Z'));
    const v2 = aTrial({
      ...version('2024-09-01'),
      locations: [...v2Sites.slice(0, 2), { ...v2Sites[2]!, status: 'NOT_YET_RECRUITING' }],
    });
    expect(nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z'))).map((event) => event.type)).toEqual([
      'trial.last-update-posted-date-moved',
    ]);
    expect(state().locations).toEqual(v2.locations);
  });
  it('learns a status the page showed since, even when the page moved statuses only between sites', () => {
    const { ingest, state } = inTurn();
    const [mayo, cleveland] = [
      aLocation(),
      aLocation({ facility: 'Cleveland Clinic', city: 'Cleveland', state: 'Ohio', status: 'ACTIVE_NOT_RECRUITING' }),
    ];
    ingest(aCompleteRecord(aTrial({ locations: [mayo, cleveland] }), '2024-04-05T00:00:00.000Z'));
    // Observed after version 2 was posted: the Mayo Clinic site stops recruiting as the Cleveland Clinic site reopens.
    const swapped = [
      { ...mayo, status: 'ACTIVE_NOT_RECRUITING' },
      { ...cleveland, status: 'RECRUITING' },
    ];
    expect(typesOf(ingest(aPage({ ...emptyFacts(NCT_ID), locations: swapped }, '2024-09-10T00:00:00.000Z')))).toEqual([
      'trial.locations-changed',
    ]);
    // The record has the Cleveland Clinic site enrolling by invitation: the page may have shown another version.
    const v2 = aTrial({
      ...version('2024-09-01'),
      locations: [swapped[0]!, { ...cleveland, status: 'ENROLLING_BY_INVITATION' }],
    });
    expect(nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z'))).map((event) => event.type)).toEqual([
      'trial.last-update-posted-date-moved',
    ]);
    expect(state().locations).toEqual(v2.locations);
  });
});

describe('a newer complete record after a page that showed the sites, without their places, since it was posted', () => {
  const duke = aLocation({ facility: 'Duke University Hospital', city: 'Durham', state: 'North Carolina' });
  /** Version 2 moves the Mayo Clinic site to Jacksonville, Florida, and adds a site at Duke. */
  const v2Sites = [aLocation({ city: 'Jacksonville', state: 'Florida' }), aTrial().locations![1]!, duke];
  const v2 = aTrial({ ...version('2024-09-01'), locations: v2Sites });
  /** Each site by its facility and country only, as a page whose addresses did not read shows it. */
  const placeless = (sites: ReturnType<typeof aLocation>[]) =>
    sites.map((site) => ({ ...site, city: null, state: null, status: null }));
  const moved = (sites: ReturnType<typeof aLocation>[]) =>
    locationsChanged({ added: [sites[0]!], removed: [aLocation()], statusChanged: [] });

  it("announces a site's move the page could not show, and learns the places it did not know", () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    // Observed after version 2 was posted: it shows the site version 2 adds, and no site's place.
    expect(
      typesOf(ingest(aPage({ ...emptyFacts(NCT_ID), locations: placeless(v2Sites) }, '2024-09-10T00:00:00.000Z'))),
    ).toEqual(['trial.locations-changed']);
    const changes = nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z')));
    expect(changes.map((event) => event.type)).toEqual([
      'trial.locations-changed',
      'trial.last-update-posted-date-moved',
    ]);
    expect(changes[0]).toEqual(moved(v2Sites));
    expect(state().locations).toEqual(expect.arrayContaining(v2Sites));
    expect(state().locations).toHaveLength(3);
  });

  it('announces a site moved to another country, the city and state alike', () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    const sites = [aLocation({ city: 'Toronto', state: 'Ontario', country: 'Canada' }), ...v2Sites.slice(1)];
    // The page shows each site by its facility alone.
    ingest(
      aPage(
        { ...emptyFacts(NCT_ID), locations: placeless(sites).map((site) => ({ ...site, country: null })) },
        '2024-09-10T00:00:00.000Z',
      ),
    );
    expect(
      nonLearned(ingest(aCompleteRecord(aTrial({ ...v2, locations: sites }), '2024-09-20T00:00:00.000Z')))[0],
    ).toEqual(moved(sites));
  });

  it('learns a place the page showed since: the page may have shown the version the record has', () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    // This page shows the sites' places, the site at Duke in another city than the record's.
    ingest(
      aPage(
        { ...emptyFacts(NCT_ID), locations: [aLocation(), aTrial().locations![1]!, { ...duke, city: 'Raleigh' }] },
        '2024-09-10T00:00:00.000Z',
      ),
    );
    const sites = [aLocation(), aTrial().locations![1]!, duke];
    expect(typesOf(ingest(aCompleteRecord(aTrial({ ...v2, locations: sites }), '2024-09-20T00:00:00.000Z')))).toEqual([
      'trial.facts-learned',
      'trial.last-update-posted-date-moved',
    ]);
    expect(state().locations).toEqual(sites);
  });

  it('learns a place a page showed since, when a later page taught more of that site', () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    // Observed after version 2 was posted: the site at Duke in Raleigh, its state unread.
    ingest(
      aPage(
        { ...emptyFacts(NCT_ID), locations: [{ ...duke, city: 'Raleigh', state: null, status: null }] },
        '2024-09-10T00:00:00.000Z',
      ),
    );
    // A later page shows the same site's state, not its city.
    ingest(
      aPage({ ...emptyFacts(NCT_ID), locations: [{ ...duke, city: null, status: null }] }, '2024-09-12T00:00:00.000Z'),
    );
    const sites = [aLocation(), aTrial().locations![1]!, duke];
    expect(typesOf(ingest(aCompleteRecord(aTrial({ ...v2, locations: sites }), '2024-09-20T00:00:00.000Z')))).toEqual([
      'trial.facts-learned',
      'trial.last-update-posted-date-moved',
    ]);
    expect(state().locations).toEqual(sites);
  });

  it('of a version a dated page showed, the sites without their places: the move is announced by its complete record', () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    const mirror = aPage(
      { ...emptyFacts(NCT_ID), lastUpdatePostDate: on('2024-09-01'), locations: placeless(v2Sites) },
      '2024-09-01T12:00:00.000Z',
      'registry-mirror-html',
    );
    expect(nonLearned(ingest(mirror)).map((event) => event.type)).toEqual([
      'trial.locations-changed',
      'trial.last-update-posted-date-moved',
    ]);
    const record = ingest(aCompleteRecord(v2, '2024-09-02T00:00:00.000Z'));
    expect(nonLearned(record)).toEqual([moved(v2Sites)]);
  });

  describe("of a version a dated page showed, one site's place among them", () => {
    /** Version 2 also moves the Cleveland Clinic site to Weston, Florida. */
    const weston = aLocation({ facility: 'Cleveland Clinic', city: 'Weston', state: 'Florida', status: 'RECRUITING' });
    const sites = [v2Sites[0]!, weston, duke];
    /** A mirror page of version 2: the Cleveland Clinic site in `city` (its state unread), the others without their places. */
    const mirrorGiving = (city: string) =>
      aPage(
        {
          ...emptyFacts(NCT_ID),
          lastUpdatePostDate: on('2024-09-01'),
          locations: [...placeless([v2Sites[0]!, duke]), { ...weston, city, state: null, status: null }],
        },
        '2024-09-01T12:00:00.000Z',
        'registry-mirror-html',
      );
    it("announces the other site's move, and learns the city the page read of this site otherwise", () => {
      const { ingest, state } = inTurn();
      ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
      // The page reads the site at Weston as in Fort Lauderdale: its move is announced then, as the page showed it.
      const page = nonLearned(ingest(mirrorGiving('Fort Lauderdale')));
      expect(page.map((event) => event.type)).toEqual([
        'trial.locations-changed',
        'trial.last-update-posted-date-moved',
      ]);
      expect(page[0]!.data).toMatchObject({
        added: expect.arrayContaining([{ ...weston, city: 'Fort Lauderdale', state: null, status: null }]),
        removed: [aTrial().locations![1]!],
      });
      // Its record: the Mayo Clinic site's move, which the page could not show, is announced; the place of
      // the Cleveland Clinic site, which the page showed of this version, is the record's to say.
      const record = ingest(aCompleteRecord(aTrial({ ...v2, locations: sites }), '2024-09-02T00:00:00.000Z'));
      expect(record.outcome).toBe('changed');
      expect(typesOf(record)).toEqual(['trial.facts-learned', 'trial.locations-changed']);
      expect(nonLearned(record)).toEqual([moved(sites)]);
      expect(state().locations).toEqual(expect.arrayContaining(sites));
      expect(state().locations).toHaveLength(3);
    });

    it("announces both moves when the page showed this site's city as the trial held it", () => {
      const { ingest, state } = inTurn();
      ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
      // The page shows the Cleveland Clinic site still in Cleveland: nothing of its move was shown.
      const page = nonLearned(ingest(mirrorGiving('Cleveland')));
      expect(page.map((event) => event.type)).toEqual([
        'trial.locations-changed',
        'trial.last-update-posted-date-moved',
      ]);
      expect(page[0]!.data).toMatchObject({ removed: [] });
      const record = ingest(aCompleteRecord(aTrial({ ...v2, locations: sites }), '2024-09-02T00:00:00.000Z'));
      expect(record.outcome).toBe('changed');
      expect(nonLearned(record)).toEqual([
        locationsChanged({
          added: [v2Sites[0]!, weston],
          removed: [aLocation(), aTrial().locations![1]!],
          statusChanged: [],
        }),
      ]);
      expect(state().locations).toEqual(expect.arrayContaining(sites));
      expect(state().locations).toHaveLength(3);
    });

    it('changes nothing of this site when the page showed its move as the record has it: it was announced then', () => {
      const { ingest } = inTurn();
      ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
      expect(nonLearned(ingest(mirrorGiving('Weston')))[0]!.data).toMatchObject({
        removed: [aTrial().locations![1]!],
      });
      const record = ingest(aCompleteRecord(aTrial({ ...v2, locations: sites }), '2024-09-02T00:00:00.000Z'));
      expect(nonLearned(record)).toEqual([moved(sites)]);
    });
  });

  it("announces a site's move when the page gave a place only to another site: it showed none of this one's", () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    // Observed after version 2 was posted: the site version 2 adds with its place, the others without theirs.
    const page = aPage(
      { ...emptyFacts(NCT_ID), locations: [...placeless(v2Sites.slice(0, 2)), { ...duke, status: null }] },
      '2024-09-10T00:00:00.000Z',
    );
    expect(typesOf(ingest(page))).toEqual(['trial.locations-changed']);
    expect(nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z')))).toEqual([
      moved(v2Sites),
      lastUpdatePostedDateMoved({
        from: actual('2024-04-05'),
        to: actual('2024-09-01'),
        submitDate: { from: '2024-04-02', to: '2024-09-00' },
      }),
    ]);
    expect(state().locations).toEqual(expect.arrayContaining(v2Sites));
    expect(state().locations).toHaveLength(3);
  });

  it("announces a site's move when the place a page showed of it was shown before the version was posted", () => {
    const { ingest } = inTurn();
    const undated = { lastUpdatePostDate: null, lastUpdateSubmitDate: null };
    ingest(aPage({ ...aTrial(), ...undated, locations: placeless(aTrial().locations!) }, '2024-04-05T00:00:00.000Z'));
    // Before version 2 was posted, a page shows the place of the Mayo Clinic site.
    ingest(aPage({ ...emptyFacts(NCT_ID), locations: [{ ...aLocation(), status: null }] }, '2024-08-01T00:00:00.000Z'));
    // Observed after version 2 was posted: the site version 2 adds with its place, the others without theirs.
    ingest(
      aPage(
        { ...emptyFacts(NCT_ID), locations: [...placeless(v2Sites.slice(0, 2)), { ...duke, status: null }] },
        '2024-09-10T00:00:00.000Z',
      ),
    );
    const changes = nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z')));
    expect(changes.map((event) => event.type)).toEqual(['trial.locations-changed']);
    expect(changes[0]!.data).toMatchObject({
      added: [v2Sites[0]],
      removed: [{ facility: 'Mayo Clinic', city: 'Rochester' }],
    });
  });
});

describe('a place a page showed before the version the trial holds', () => {
  const duke = aLocation({ facility: 'Duke University Hospital', city: 'Durham', state: 'North Carolina' });
  const undated = { lastUpdatePostDate: null, lastUpdateSubmitDate: null };
  const placeless = (sites: ReturnType<typeof aLocation>[]) =>
    sites.map((site) => ({ ...site, city: null, state: null, status: null }));
  const mayoCity = itemShownKey('locations', 'city', aLocation());
  const shownBefore = '2024-08-01T00:00:00.000Z';

  it('is forgotten once a version posted after it arrives, and would not have made the next move learned', () => {
    const { ingest, trial } = inTurn();
    ingest(aPage({ ...aTrial(), ...undated, locations: placeless(aTrial().locations!) }, '2024-04-05T00:00:00.000Z'));
    // Before version 2 was posted, a page teaches the place of the Mayo Clinic site.
    const mayoPlaced = [{ ...aLocation(), status: null }, ...placeless(aTrial().locations!.slice(1))];
    expect(ingest(aPage({ ...emptyFacts(NCT_ID), locations: mayoPlaced }, shownBefore)).outcome).toBe('learned');
    expect(trial().shownAt[mayoCity]).toBe(shownBefore);
    ingest(aCompleteRecord(aTrial({ ...version('2024-09-01') }), '2024-09-02T00:00:00.000Z'));
    expect(trial().shownAt).not.toHaveProperty(mayoCity);
    // Observed after version 3 was posted: it adds the site at Duke, and shows no site's place.
    ingest(
      aPage(
        { ...emptyFacts(NCT_ID), locations: placeless([...aTrial().locations!, duke]) },
        '2024-09-20T00:00:00.000Z',
      ),
    );
    // Version 3 moves the Mayo Clinic site: no page showed its place since the version was posted.
    const v3Sites = [aLocation({ city: 'Jacksonville', state: 'Florida' }), aTrial().locations![1]!, duke];
    const v3 = aCompleteRecord(aTrial({ ...version('2024-09-15'), locations: v3Sites }), '2024-09-25T00:00:00.000Z');
    const decision = decide(trial(), v3);
    expect(nonLearned(decision)[0]).toEqual(
      locationsChanged({ added: [v3Sites[0]!], removed: [aLocation()], statusChanged: [] }),
    );
    // The mark kept would have decided the same: it is older than any version a later snapshot shows.
    expect(decide({ ...trial(), shownAt: { ...trial().shownAt, [mayoCity]: shownBefore } }, v3)).toEqual(decision);
  });
});

describe('a newer complete record after a page that showed the interventions, arms and collaborators without their types, since it was posted', () => {
  it('announces a type or class the record switches: the page could not show it', () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    const untyped = {
      interventions: [...aTrial().interventions!, { type: null, name: 'Metformin' }].map((item) => ({
        ...item,
        type: null,
      })),
      armGroups: [...aTrial().armGroups!, { label: 'Metformin', type: null }].map((group) => ({
        ...group,
        type: null,
      })),
      collaborators: [...aTrial().collaborators!, { name: 'Steno Diabetes Center', class: null }].map((sponsor) => ({
        ...sponsor,
        class: null,
      })),
    };
    // Observed after version 2 was posted: it shows what version 2 adds to each list, and no type or class.
    expect(typesOf(ingest(aPage({ ...emptyFacts(NCT_ID), ...untyped }, '2024-09-10T00:00:00.000Z')))).toEqual([
      'trial.interventions-changed',
      'trial.arm-groups-changed',
      'trial.collaborators-changed',
    ]);
    const biological = { type: 'BIOLOGICAL', name: 'Semaglutide' };
    const activeComparator = { label: 'Semaglutide 2.4 mg', type: 'ACTIVE_COMPARATOR' };
    // OTHER to one of the finer classes it covers is no switch; to INDUSTRY it is.
    const industry = { name: 'University of Copenhagen', class: 'INDUSTRY' };
    const v2 = aTrial({
      ...version('2024-09-01'),
      interventions: [biological, aTrial().interventions![1]!, { type: 'DRUG', name: 'Metformin' }],
      armGroups: [activeComparator, aTrial().armGroups![1]!, { label: 'Metformin', type: 'ACTIVE_COMPARATOR' }],
      collaborators: [industry, { name: 'Steno Diabetes Center', class: 'OTHER' }],
    });
    expect(nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z')))).toEqual([
      interventionsChanged({ added: [biological], removed: [aTrial().interventions![0]!] }),
      armGroupsChanged({ added: [activeComparator], removed: [aTrial().armGroups![0]!] }),
      collaboratorsChanged({ added: [industry], removed: [aTrial().collaborators![0]!] }),
      lastUpdatePostedDateMoved({
        from: actual('2024-04-05'),
        to: actual('2024-09-01'),
        submitDate: { from: '2024-04-02', to: '2024-09-00' },
      }),
    ]);
  });

  it("announces an intervention's switched type when the page typed only another one", () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    const metformin = { type: 'DRUG', name: 'Metformin' };
    // Observed after version 2 was posted: the intervention version 2 adds with its type, the others without theirs.
    const page = aPage(
      {
        ...emptyFacts(NCT_ID),
        interventions: [...aTrial().interventions!.map((item) => ({ ...item, type: null })), metformin],
      },
      '2024-09-10T00:00:00.000Z',
    );
    expect(typesOf(ingest(page))).toEqual(['trial.interventions-changed']);
    const biological = { type: 'BIOLOGICAL', name: 'Semaglutide' };
    const v2 = aTrial({
      ...version('2024-09-01'),
      interventions: [biological, aTrial().interventions![1]!, metformin],
    });
    expect(nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z')))[0]).toEqual(
      interventionsChanged({ added: [biological], removed: [aTrial().interventions![0]!] }),
    );
  });
});

describe('a newer complete record after a page that showed the secondary ids without their types, since it was posted', () => {
  it('announces a type or issuer the record switches: the page could not show it', () => {
    const { ingest } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    const added = { id: 'U1111-1234-5678', type: null, domain: null };
    // Observed after version 2 was posted: the ids version 2 lists, without their types.
    const page = aPage(
      {
        ...emptyFacts(NCT_ID),
        secondaryIds: [...aTrial().secondaryIds!, added].map((item) => ({ ...item, type: null, domain: null })),
      },
      '2024-09-10T00:00:00.000Z',
    );
    expect(typesOf(ingest(page))).toEqual(['trial.secondary-ids-changed']);
    const registry = { id: 'NN9536-4999', type: 'REGISTRY', domain: 'Novo Nordisk trial registry' };
    const v2 = aTrial({
      ...version('2024-09-01'),
      secondaryIds: [registry, aTrial().secondaryIds![1]!, { ...added, type: 'OTHER', domain: 'WHO UTN' }],
    });
    const switched = nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z')));
    expect(switched.map((event) => event.type)).toEqual([
      'trial.secondary-ids-changed',
      'trial.last-update-posted-date-moved',
    ]);
    expect(switched[0]!.data).toMatchObject({
      added: [registry],
      removed: [{ id: 'NN9536-4999', type: 'ORG_STUDY_ID' }],
    });
  });
});

describe('a newer complete record after a page that showed the outcomes, without their time frames, since it was posted', () => {
  it('announces the time frame it switches: the page could not show it', () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial(), '2024-04-05T00:00:00.000Z'));
    const outcomes = [anOutcome('Change in body weight', 'From baseline to week 104'), anOutcome('HbA1c', 'Week 68')];
    // Observed after version 2 was posted: it shows the outcome version 2 adds, no time frame.
    const page = aPage(
      { ...emptyFacts(NCT_ID), primaryOutcomes: outcomes.map((outcome) => anOutcome(outcome.measure)) },
      '2024-09-10T00:00:00.000Z',
    );
    expect(typesOf(ingest(page))).toEqual(['trial.primary-outcomes-changed']);
    const v2 = aTrial({ ...version('2024-09-01'), primaryOutcomes: outcomes });
    expect(nonLearned(ingest(aCompleteRecord(v2, '2024-09-20T00:00:00.000Z')))).toEqual([
      primaryOutcomesChanged({
        added: [outcomes[0]!],
        removed: [anOutcome('Change in body weight', 'From baseline to week 68')],
      }),
      lastUpdatePostedDateMoved({
        from: actual('2024-04-05'),
        to: actual('2024-09-01'),
        submitDate: { from: '2024-04-02', to: '2024-09-00' },
      }),
    ]);
    expect(state().primaryOutcomes).toEqual(expect.arrayContaining(outcomes));
    expect(state().primaryOutcomes).toHaveLength(2);
  });
});

describe('case 5: details of known items are learned, so that later switches show', () => {
  const outcomeWithout = aTrial({ primaryOutcomes: [anOutcome('Change in body weight', null)] });

  it('a time frame first seen is learned; switching it later is a change', () => {
    const with90 = aTrial({
      ...version('2024-09-01'),
      primaryOutcomes: [anOutcome('Change in body weight', '90 days')],
    });
    givenStream(recorded(registeredFrom(outcomeWithout), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(with90))
      .thenEventTypes(['trial.facts-learned', 'trial.last-update-posted-date-moved'])
      .andState(with90);
    givenStream(
      recorded(registeredFrom(outcomeWithout), '2024-04-05T00:00:00.000Z'),
      recorded(factsLearned({ facts: { primaryOutcomes: with90.primaryOutcomes } }), '2024-09-01T00:00:00.000Z'),
      recorded(
        lastUpdatePostedDateMoved({
          from: actual('2024-04-05'),
          to: actual('2024-09-01'),
          submitDate: { from: '2024-04-02', to: '2024-09-00' },
        }),
        '2024-09-01T00:00:00.000Z',
      ),
    )
      .when(
        aCompleteRecord(
          aTrial({ ...version('2025-02-01'), primaryOutcomes: [anOutcome('Change in body weight', '5 years')] }),
        ),
      )
      .thenEventTypes(['trial.primary-outcomes-changed', 'trial.last-update-posted-date-moved']);
  });

  it('the switch itself names what went and what came', () => {
    const with90 = aTrial({ primaryOutcomes: [anOutcome('Change in body weight', '90 days')] });
    const decision = givenStream(recorded(registeredFrom(with90), '2024-04-05T00:00:00.000Z')).when(
      aCompleteRecord(
        aTrial({ ...version('2025-02-01'), primaryOutcomes: [anOutcome('Change in body weight', '5 years')] }),
      ),
    ).decision;
    expect(decision.events[0]).toEqual(
      primaryOutcomesChanged({
        added: [anOutcome('Change in body weight', '5 years')],
        removed: [anOutcome('Change in body weight', '90 days')],
      }),
    );
  });

  it('a detail learned in a version that also adds an item: the item is held once, so the next version removes none', () => {
    const coarse = aTrial({ collaborators: [{ name: 'University of Copenhagen', class: 'OTHER' }] });
    const finer = { name: 'University of Copenhagen', class: 'OTHER_GOV' };
    const added = { name: 'Sanofi', class: 'INDUSTRY' };
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(coarse, '2024-04-05T00:00:00.000Z'));
    const second = ingest(
      aCompleteRecord(aTrial({ ...version('2024-09-01'), collaborators: [finer, added] }), '2024-09-02T00:00:00.000Z'),
    );
    expect(second.events).toEqual(
      expect.arrayContaining([
        factsLearned({ facts: { collaborators: [finer] } }),
        collaboratorsChanged({ added: [added], removed: [] }),
      ]),
    );
    expect(state().collaborators).toEqual([finer, added]);
    const third = ingest(
      aCompleteRecord(aTrial({ ...version('2025-01-10'), collaborators: [finer, added] }), '2025-01-11T00:00:00.000Z'),
    );
    expect(typesOf(third)).toEqual(['trial.last-update-posted-date-moved']);
  });

  it('types of interventions and arms, a sponsor class, a site city and status, a date type are learned details', () => {
    const vague = aTrial({
      interventions: [
        { type: null, name: 'Semaglutide' },
        { type: 'DRUG', name: 'Placebo' },
      ],
      armGroups: [
        { label: 'Semaglutide 2.4 mg', type: null },
        { label: 'Placebo', type: 'PLACEBO_COMPARATOR' },
      ],
      leadSponsor: { name: 'Novo Nordisk A/S', class: null },
      locations: [aLocation({ city: null, status: null }), aTrial().locations![1]!],
      primaryCompletionDate: on('2025-06'),
      enrollment: { count: 300, type: null },
    });
    givenStream(recorded(registeredFrom(vague, { complete: false }), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(aTrial()))
      // The page showed no reason for stopping, no last known status, no results date and no observational
      // model or time perspective in the design; the record says none.
      .thenLearned(
        {
          lastKnownStatus: null,
          whyStopped: null,
          resultsFirstSubmitDate: null,
          primaryCompletionDate: estimated('2025-06'),
          enrollment: { count: 300, type: 'ESTIMATED' },
          interventions: aTrial().interventions,
          armGroups: aTrial().armGroups,
          leadSponsor: aTrial().leadSponsor,
          locations: aTrial().locations,
          design: aTrial().design,
        },
        { design: ['observationalModel', 'timePerspective'] },
      )
      .andState(aTrial());
  });

  it("a site's status change updates that site only, not others that match it loosely", () => {
    const sites = [
      aLocation({ facility: 'General Hospital', city: 'Boston', state: 'MA', status: 'RECRUITING' }),
      aLocation({ facility: null, city: 'Boston', state: 'MA', status: 'RECRUITING' }),
    ];
    const completed = [{ ...sites[0]!, status: 'COMPLETED' }, sites[1]!];
    const next = aTrial({ ...version('2024-09-01'), locations: completed });
    givenStream(recorded(registeredFrom(aTrial({ locations: sites })), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(next))
      .thenEventTypes(['trial.locations-changed', 'trial.last-update-posted-date-moved'])
      .andState(next);
  });

  it('sites alike in all but status: the one that closed stays closed, and is not announced again', () => {
    const site = (status: string) =>
      aLocation({ facility: 'Research Site', city: 'Seoul', state: null, country: 'Korea, Republic of', status });
    const record = (date: string, statuses: string[], count = 300) =>
      aCompleteRecord(
        aTrial({ ...version(date), locations: statuses.map(site), enrollment: { count, type: 'ESTIMATED' } }),
        `${date}T12:00:00.000Z`,
      );
    const { ingest, state } = inTurn();
    const types = typesOf;
    const statuses = () =>
      state()
        .locations!.map((location) => location.status)
        .sort();

    ingest(record('2024-01-10', ['RECRUITING', 'RECRUITING']));
    expect(types(ingest(record('2024-02-10', ['RECRUITING', 'COMPLETED'])))).toEqual([
      'trial.locations-changed',
      'trial.last-update-posted-date-moved',
    ]);
    expect(statuses()).toEqual(['COMPLETED', 'RECRUITING']);
    expect(ingest(record('2024-02-10', ['RECRUITING', 'COMPLETED'])).outcome).toBe('unchanged');
    expect(types(ingest(record('2024-03-10', ['COMPLETED', 'RECRUITING'], 350)))).toEqual([
      'trial.enrollment-updated',
      'trial.last-update-posted-date-moved',
    ]);
    expect(statuses()).toEqual(['COMPLETED', 'RECRUITING']);
    // The other site closes too: the change lands on the site that was still recruiting.
    expect(types(ingest(record('2024-04-10', ['COMPLETED', 'COMPLETED'], 350)))).toEqual([
      'trial.locations-changed',
      'trial.last-update-posted-date-moved',
    ]);
    expect(statuses()).toEqual(['COMPLETED', 'COMPLETED']);
    expect(ingest(record('2024-04-10', ['COMPLETED', 'COMPLETED'], 350)).outcome).toBe('unchanged');
  });
});

describe('sites alike in all but status, one of them removed', () => {
  it('the removed one goes, the other keeps its status, and the next version announces nothing of them', () => {
    const site = (status: string) =>
      aLocation({ facility: 'Research Site', city: 'Seoul', state: null, country: 'Korea, Republic of', status });
    const record = (date: string, statuses: string[], count = 300) =>
      aCompleteRecord(
        aTrial({ ...version(date), locations: statuses.map(site), enrollment: { count, type: 'ESTIMATED' } }),
        `${date}T12:00:00.000Z`,
      );
    const { ingest, state } = inTurn();
    ingest(record('2024-01-10', ['RECRUITING', 'WITHDRAWN']));
    expect(ingest(record('2024-02-10', ['RECRUITING'])).events[0]).toEqual(
      locationsChanged({ added: [], removed: [site('WITHDRAWN')], statusChanged: [] }),
    );
    expect(state().locations).toEqual([site('RECRUITING')]);
    expect(typesOf(ingest(record('2024-03-10', ['RECRUITING'], 350)))).toEqual([
      'trial.enrollment-updated',
      'trial.last-update-posted-date-moved',
    ]);
  });
});

describe('sites alike in their place, named only in the next record, listed in another order', () => {
  it('each keeps its status: no site changes, then or when the next version repeats the record', () => {
    const site = (facility: string | null, state: string | null, status: string) =>
      aLocation({ facility, city: 'Seoul', state, country: 'Korea, Republic of', status });
    const record = (date: string, locations: ReturnType<typeof aLocation>[]) =>
      aCompleteRecord(aTrial({ ...version(date), locations }), `${date}T12:00:00.000Z`);
    const named = [
      site('Duke University Hospital', null, 'COMPLETED'),
      site('Duke University Hospital', null, 'RECRUITING'),
    ];
    const { ingest, state } = inTurn();
    ingest(
      record('2024-01-10', [site(null, 'North Carolina', 'RECRUITING'), site(null, 'North Carolina', 'COMPLETED')]),
    );
    expect(typesOf(ingest(record('2024-02-10', named)))).not.toContain('trial.locations-changed');
    expect(
      state()
        .locations!.map((location) => location.status)
        .sort(),
    ).toEqual(['COMPLETED', 'RECRUITING']);
    expect(typesOf(ingest(record('2024-03-10', named)))).toEqual(['trial.last-update-posted-date-moved']);
  });
});

describe('sites alike in their place, the next record giving the status of one only', () => {
  it('the site whose status it gives is the one that changed, and a version repeating the record announces nothing', () => {
    const site = (facility: string | null, status: string | null) =>
      aLocation({ facility, city: 'Seoul', state: 'North Carolina', country: 'United States', status });
    const record = (date: string, locations: ReturnType<typeof aLocation>[]) =>
      aCompleteRecord(aTrial({ ...version(date), locations }), `${date}T12:00:00.000Z`);
    const next = [site(null, null), site(null, 'RECRUITING')];
    const { ingest, state } = inTurn();
    ingest(record('2024-01-10', [site('Research Site', 'COMPLETED'), site('Research Site', 'COMPLETED')]));
    ingest(record('2024-02-10', next));
    expect(
      state()
        .locations!.map((location) => location.status)
        .sort(),
    ).toEqual(['COMPLETED', 'RECRUITING']);
    expect(typesOf(ingest(record('2024-03-10', next)))).toEqual(['trial.last-update-posted-date-moved']);
  });
});

describe('a site closes in the version that recases another site name', () => {
  it('the site that closed is the one closed, and the next version announces nothing of the sites', () => {
    const unnamed = aLocation({ facility: null, status: 'RECRUITING' });
    const named = (facility: string, status: string) => aLocation({ facility, status });
    const record = (date: string, locations: ReturnType<typeof aLocation>[]) =>
      aCompleteRecord(aTrial({ ...version(date), locations }), `${date}T12:00:00.000Z`);
    const { ingest, state } = inTurn();
    ingest(record('2024-01-10', [unnamed, named('Mayo clinic', 'RECRUITING')]));
    const closed = [unnamed, named('Mayo Clinic', 'COMPLETED')];
    expect(typesOf(ingest(record('2024-02-10', closed)))).toEqual([
      'trial.facts-learned',
      'trial.locations-changed',
      'trial.last-update-posted-date-moved',
    ]);
    expect(state().locations).toEqual(closed);
    expect(typesOf(ingest(record('2024-03-10', closed)))).toEqual(['trial.last-update-posted-date-moved']);
  });
});

describe('a version dated by a different date than the one before', () => {
  it('a page showing only when it was posted, after a record showing only when it was submitted: the version moves', () => {
    const { ingest, state } = inTurn();
    const submittedOnly = aTrial({ lastUpdatePostDate: null, lastUpdateSubmitDate: '2016-06-29' });
    const page = (posted: string, overallStatus: string, observedAt: string) =>
      aPage(aTrial({ lastUpdatePostDate: on(posted), lastUpdateSubmitDate: null, overallStatus }), observedAt);
    ingest(aCompleteRecord(submittedOnly, '2016-07-01T00:00:00.000Z'));
    const moved = ingest(page('2018-01-10', 'COMPLETED', '2018-01-12T00:00:00.000Z'));
    expect(typesOf(moved)).toEqual(['trial.overall-status-changed', 'trial.last-update-posted-date-moved']);
    expect([state().lastUpdatePostDate, state().lastUpdateSubmitDate]).toEqual([on('2018-01-10'), null]);
    expect(ingest(page('2018-01-10', 'COMPLETED', '2018-01-20T00:00:00.000Z')).outcome).toBe('unchanged');
    // A page of a version posted in between, seen later, is older than what the trial holds.
    expect(ingest(page('2017-06-16', 'RECRUITING', '2018-02-01T00:00:00.000Z')).outcome).toBe('stale');
    expect(state().lastUpdatePostDate).toEqual(on('2018-01-10'));
    expect(state().overallStatus).toBe('COMPLETED');
  });

  it('a submission known only with the posted date of the version before: later pages are ordered by the new version', () => {
    const { ingest, state } = inTurn();
    ingest(aCompleteRecord(aTrial({ ...version('2024-04-05'), overallStatus: 'RECRUITING' })));
    const submitted = aTrial({
      lastUpdatePostDate: null,
      lastUpdateSubmitDate: '2024-06-07',
      overallStatus: 'COMPLETED',
    });
    expect(typesOf(ingest(aPage(submitted, '2024-06-08T00:00:00.000Z')))).toEqual([
      'trial.overall-status-changed',
      'trial.last-update-posted-date-moved',
    ]);
    // Posted in May, so older than the version submitted in June: stale, not a status change back.
    const may = aTrial({
      lastUpdatePostDate: on('2024-05-01'),
      lastUpdateSubmitDate: null,
      overallStatus: 'RECRUITING',
    });
    expect(ingest(aPage(may, '2024-06-09T00:00:00.000Z')).outcome).toBe('stale');
    expect(state().overallStatus).toBe('COMPLETED');
  });
});

describe('case 2: stream order and occurredAt agree', () => {
  it('a record posted before the newest recorded observation is dated at that observation, never earlier', () => {
    const first = aTrial({ ...version('2018-05-01'), overallStatus: 'NOT_YET_RECRUITING' });
    givenStream(
      recorded(registeredFrom(first), '2018-05-01T00:00:00.000Z'),
      recorded(
        overallStatusChanged({ from: 'NOT_YET_RECRUITING', to: 'COMPLETED', whyStopped: null, lastKnownStatus: null }),
        '2025-12-01T00:00:00.000Z',
      ),
    )
      .when(aCompleteRecord(aTrial({ ...version('2025-06-01'), overallStatus: 'COMPLETED' })))
      .thenEventTypes(['trial.last-update-posted-date-moved'])
      .thenOccurredAt('2025-12-01T00:00:00.000Z');
  });

  it('a newer version is dated by the registry', () => {
    givenStream(recorded(registeredFrom(aTrial()), '2024-04-05T00:00:00.000Z'))
      .when(aCompleteRecord(aTrial({ ...version('2024-09-01'), overallStatus: 'COMPLETED' })))
      .thenOccurredAt('2024-09-01T00:00:00.000Z');
  });

  it('a past version backfilled is dated by the date it is given', () => {
    givenStream()
      .when(aCompleteRecord(aTrial()), '2023-01-18T00:00:00.000Z')
      .thenOccurredAt('2023-01-18T00:00:00.000Z');
  });
});
