import { diff, evolve, factsOf, foldEvents, type TrialFacts } from '@app/domain';
import { parseApiV2Study, parseLegacyXml, parseSnapshots } from '@app/registry-formats';
import { fixtureFiles, readFixture, RECEIVED_AT } from './support/fixtures.js';

const legacy2016 = parseLegacyXml(readFixture('ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml'));
const legacy2018 = parseLegacyXml(readFixture('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml'));
const apiV2 = ['NCT00973089', 'NCT02210780', 'NCT06171568'].map((nctId) =>
  parseApiV2Study(JSON.parse(readFixture('ctgov-api-v2', `${nctId}.json`))),
);

const stateOf = (facts: TrialFacts) => foldEvents(diff(null, facts))!;

describe('diff of the legacy XML pair, 2016 -> 2018', () => {
  const events = diff(stateOf(legacy2016), legacy2018);

  it('reports exactly the real changes the registry made', () => {
    expect(events).toEqual([
      {
        type: 'trial.enrollment-updated',
        schemaVersion: 1,
        data: { from: { count: 500, type: 'ESTIMATED' }, to: { count: 1000, type: 'ESTIMATED' } },
      },
      {
        type: 'trial.primary-completion-date-changed',
        schemaVersion: 1,
        data: { from: { date: '2017-12', type: 'ESTIMATED' }, to: { date: '2018-06', type: 'ESTIMATED' } },
      },
      {
        type: 'trial.completion-date-changed',
        schemaVersion: 1,
        data: { from: null, to: { date: '2018-06', type: 'ESTIMATED' } },
      },
      { type: 'trial.status-verified-date-moved', schemaVersion: 1, data: { from: '2016-06', to: '2017-06' } },
      {
        type: 'trial.last-update-posted-date-moved',
        schemaVersion: 1,
        data: {
          from: null,
          to: { date: '2017-06-16', type: 'ACTUAL' },
          submitDate: { from: '2016-06-14', to: '2017-06-15' },
        },
      },
    ]);
  });

  it('stays silent on the schema renames, the re-wrapped summary, the dropped N/A phase', () => {
    const types = events.map((event) => event.type);
    expect(types).not.toContain('trial.summary-changed');
    expect(types).not.toContain('trial.phases-changed');
    expect(types).not.toContain('trial.eligibility-changed');
    expect(types).not.toContain('trial.registration-dates-corrected');
    expect(types).not.toContain('trial.conditions-changed');
  });

  it('folds into the 2018 values of every changed field, keeping what 2018 does not show', () => {
    const state = events.reduce(evolve, stateOf(legacy2016));
    expect(state.enrollment).toEqual({ count: 1000, type: 'ESTIMATED' });
    expect(state.primaryCompletionDate).toEqual({ date: '2018-06', type: 'ESTIMATED' });
    expect(state.completionDate).toEqual({ date: '2018-06', type: 'ESTIMATED' });
    expect(state.lastUpdateSubmitDate).toBe('2017-06-15');
    expect(state.phases).toEqual(['NA']);
    expect(diff(state, legacy2018)).toEqual([]);
  });
});

describe('diff rules', () => {
  it('starts a stream with one trial.registered event carrying only the known fields', () => {
    const [registered, ...rest] = diff(null, legacy2016);
    expect(rest).toEqual([]);
    expect(registered!.type).toBe('trial.registered');
    const facts = (registered as Extract<typeof registered, { type: 'trial.registered' }>).data.facts;
    expect(facts.nctId).toBe('NCT00513591');
    expect(facts).not.toHaveProperty('completionDate');
    expect(facts.enrollment).toEqual({ count: 500, type: 'ESTIMATED' });
  });

  const everyFixture = ['ctgov-api-v2', 'ctgov-legacy-xml', 'registry-pages', 'registry-pages-html'].flatMap((folder) =>
    fixtureFiles(folder, '')
      .filter((name) => !name.endsWith('.md'))
      .map(
        (name) =>
          [
            `${folder}/${name}`,
            factsOf(parseSnapshots(readFixture(folder, name), { receivedAt: RECEIVED_AT })[0]!),
          ] as const,
      ),
  );

  it.each(everyFixture)('finds nothing between a snapshot and itself (%s)', (_name, facts) => {
    expect(diff(stateOf(facts), facts)).toEqual([]);
    expect(diff(facts, facts)).toEqual([]);
  });

  it('reports a status change with the reason for stopping', () => {
    const before = apiV2[0]!;
    const after = { ...before, overallStatus: 'TERMINATED', whyStopped: 'Sponsor decision' };
    expect(diff(before, after)).toEqual([
      {
        type: 'trial.overall-status-changed',
        schemaVersion: 1,
        data: { from: 'WITHDRAWN', to: 'TERMINATED', whyStopped: 'Sponsor decision', lastKnownStatus: null },
      },
    ]);
  });

  it('never lets an unknown value erase a known one', () => {
    const before = apiV2[1]!;
    const blank: TrialFacts = Object.fromEntries(
      Object.keys(before).map((key) => [key, key === 'nctId' ? before.nctId : null]),
    ) as unknown as TrialFacts;
    expect(diff(before, blank)).toEqual([]);
  });

  it('shows outcome switching as a removed and an added measure', () => {
    const before = apiV2[0]!;
    const outcome = before.primaryOutcomes![0]!;
    const after = { ...before, primaryOutcomes: [{ ...outcome, timeFrame: 'At one year' }] };
    expect(diff(before, after)).toEqual([
      {
        type: 'trial.primary-outcomes-changed',
        schemaVersion: 1,
        data: { added: [{ ...outcome, timeFrame: 'At one year' }], removed: [outcome] },
      },
    ]);
  });

  it('reports sites added, removed and changing status', () => {
    const before = apiV2[1]!;
    const [first, second, ...others] = before.locations!;
    const opened = {
      facility: 'New Site',
      city: 'Boston',
      state: 'Massachusetts',
      country: 'United States',
      status: 'RECRUITING',
    };
    const after = { ...before, locations: [{ ...first!, status: 'COMPLETED' }, ...others, opened] };
    const [event] = diff(before, after);
    expect(event).toEqual({
      type: 'trial.locations-changed',
      schemaVersion: 1,
      data: {
        added: [opened],
        removed: [second],
        statusChanged: [{ location: { ...first!, status: 'COMPLETED' }, from: null, to: 'COMPLETED' }],
      },
    });
  });

  it('treats results being posted as one event', () => {
    const before = { ...apiV2[1]!, hasResults: false, resultsFirstPostDate: null };
    expect(diff(before, apiV2[1]!)).toEqual([
      {
        type: 'trial.results-posted',
        schemaVersion: 1,
        data: { firstPostDate: { date: '2020-05-07', type: 'ACTUAL' } },
      },
    ]);
  });

  it('ignores list order, enum letter case and bullet style of criteria', () => {
    const before = apiV2[1]!;
    const after: TrialFacts = {
      ...before,
      locations: [...before.locations!].reverse(),
      conditions: before.conditions!.map((condition) => condition.toUpperCase()),
      overallStatus: 'completed',
      phases: ['phase2'],
      eligibility: { ...before.eligibility!, criteria: before.eligibility!.criteria!.replace(/^\* /gm, '-  ') },
    };
    expect(diff(before, after)).toEqual([]);
  });
});
