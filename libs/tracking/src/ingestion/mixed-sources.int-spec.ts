import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { factsOf, type TrialFacts, type TrialSnapshot } from '@app/domain';
import { Database, EventStore, type StoredEvent } from '@app/infrastructure';
import { parseSnapshots } from '@app/registry-formats';
import { readFixture } from '../../../../test/support/fixtures.js';
import { apiV2Study, limitedApiV2Study } from '../../../../test/support/render-api-v2.js';
import { createTrackingModule } from '../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../test/support/test-environment.js';
import {
  CatchUpProjectionsCommand,
  GetChangeFeedQuery,
  GetFieldHistoryQuery,
  GetStatusHistoryQuery,
  GetTrialQuery,
} from '../read-models/index.js';
import { AcceptSnapshotCommand } from './accept-snapshot/accept-snapshot.command.js';
import type { Ingestion } from './ingestion.js';
import { ProcessIngestionCommand } from './process-ingestion/process-ingestion.command.js';

/*
 * One trial read through several sources: registry pages (the repository's saved copies) and the
 * registry's API v2 record of the same trial, written from what the page shows (test/support/render-api-v2.ts).
 * The regression cases of mixing sources, through the real parsers, pipeline and PostgreSQL.
 */

const VEEVA = () => readFixture('registry-pages', '003_3bc531e48d6f61f9.txt'); // NCT05292625, no last-update date
const MIRROR = () => readFixture('registry-pages', '002_d185bd8e963bc08b.txt'); // NCT04811651, last update 2022-05-25

const factsIn = (content: string): TrialFacts =>
  factsOf(parseSnapshots(content, { receivedAt: '2026-01-01T00:00:00.000Z' })[0] as TrialSnapshot);

const posted = (date: string): Pick<TrialFacts, 'lastUpdatePostDate' | 'lastUpdateSubmitDate'> => ({
  lastUpdatePostDate: { date, type: 'ACTUAL' },
  lastUpdateSubmitDate: date,
});

/** The API v2 record of a trial a page shows, with what the registry holds beyond the page. */
const recordOf = (facts: TrialFacts, overrides: Partial<TrialFacts>): string =>
  JSON.stringify(
    apiV2Study({
      ...facts,
      locations: [
        {
          facility: 'First Affiliated Hospital',
          city: 'Hangzhou',
          state: null,
          country: 'China',
          status: 'RECRUITING',
        },
        { facility: 'Second Hospital', city: 'Shanghai', state: null, country: 'China', status: 'RECRUITING' },
      ],
      keywords: ['stem cells'],
      collaborators: [{ name: 'Partner University', class: 'OTHER' }],
      primaryCompletionDate: facts.primaryCompletionDate ?? { date: '2027-06', type: 'ESTIMATED' },
      ...overrides,
    }),
  );

describe('one trial through mixed sources, against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;
  let queries: QueryBus;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    module = await createTrackingModule(environment);
    commands = module.get(CommandBus);
    queries = module.get(QueryBus);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  const accept = async (content: string, observedAt?: string): Promise<string> =>
    (
      await commands.execute(
        new AcceptSnapshotCommand(
          { content: Buffer.from(content), mediaType: null, source: 'test', observedAt },
          false,
        ),
      )
    ).ingestionId;
  const ingest = async (content: string, observedAt?: string): Promise<Ingestion> =>
    commands.execute(new ProcessIngestionCommand(await accept(content, observedAt)));
  const eventsOf = (nctId: string): Promise<StoredEvent[]> => module.get(EventStore).readStream(`trial-${nctId}`);
  const withNctId = (content: string, from: string, to: string) => content.replaceAll(from, to);

  it('case 1: a Veeva page observed today, then the registry record last updated 2024-01-10, is learned, not stale', async () => {
    const page = withNctId(VEEVA(), 'NCT05292625', 'NCT05292601');
    expect((await ingest(page, '2026-12-01T10:00:00.000Z')).status).toBe('appended');
    const record = recordOf(factsIn(page), posted('2024-01-10'));
    const outcome = await ingest(record);
    expect(outcome.status).toBe('learned');
    expect(outcome.results[0]!.events.map((event) => event.type)).toEqual(['trial.facts-learned']);
    const trial = await queries.execute(new GetTrialQuery('NCT05292601', '2026-12-31'));
    expect(trial.state.lastUpdatePostDate).toEqual({ date: '2024-01-10', type: 'ACTUAL' });
    expect(trial.state.locations).toHaveLength(2);
  });

  it('case 2: an API record, a page observed later, an API record posted in between: occurredAt never runs backwards', async () => {
    const nctId = 'NCT05292602';
    const page = withNctId(VEEVA(), 'NCT05292625', nctId);
    const facts = factsIn(page);
    await ingest(recordOf(facts, { ...posted('2018-05-01'), overallStatus: 'NOT_YET_RECRUITING' }));
    await ingest(page, '2025-12-01T00:00:00.000Z');
    await ingest(recordOf(facts, { ...posted('2025-06-01') }));
    const events = await eventsOf(nctId);
    const times = events.map((event) => event.occurredAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // ?asOf= folds a prefix of the stream: the state on the day of the page is the page's.
    const asOfPage = await queries.execute(new GetTrialQuery(nctId, '2025-12-01'));
    expect(asOfPage.streamVersion).toBe(
      events.filter((event) => event.occurredAt <= new Date('2025-12-01T23:59:59Z')).length,
    );
    await commands.execute(new CatchUpProjectionsCommand());
    const { periods } = await queries.execute(new GetStatusHistoryQuery(nctId));
    for (const period of periods)
      if (period.to) expect(Date.parse(period.to)).toBeGreaterThanOrEqual(Date.parse(period.from));
  });

  it('case 3: a mirror page, then the API record of the same registry version: learned, and nothing in the change feed', async () => {
    const page = withNctId(MIRROR(), 'NCT04811651', 'NCT04811603');
    const facts = factsIn(page);
    expect(facts.lastUpdatePostDate?.date).toBe('2022-05-25');
    await ingest(page);
    await commands.execute(new CatchUpProjectionsCommand());
    const before = await queries.execute(new GetChangeFeedQuery({ nctIds: ['NCT04811603'], limit: 100 }));
    const outcome = await ingest(recordOf(facts, {}));
    expect(outcome.status).toBe('learned');
    expect(outcome.results[0]!.events.map((event) => event.type)).toEqual(['trial.facts-learned']);
    await commands.execute(new CatchUpProjectionsCommand());
    const after = await queries.execute(new GetChangeFeedQuery({ nctIds: ['NCT04811603'], limit: 100 }));
    expect(after.changes).toEqual(before.changes);
    const learned = await queries.execute(
      new GetChangeFeedQuery({ nctIds: ['NCT04811603'], types: ['trial.facts-learned'], limit: 100 }),
    );
    expect(learned.changes).toHaveLength(1);
  });

  it('case 4: a complete record clears the reason for stopping when a suspended trial resumes', async () => {
    const facts = factsIn(withNctId(MIRROR(), 'NCT04811651', 'NCT04811604'));
    await ingest(
      recordOf(facts, { ...posted('2023-01-10'), overallStatus: 'SUSPENDED', whyStopped: 'Funding paused' }),
    );
    const resumed = await ingest(recordOf(facts, { ...posted('2023-06-10'), overallStatus: 'RECRUITING' }));
    expect(resumed.results[0]!.events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['trial.overall-status-changed', 'trial.why-stopped-changed']),
    );
    const trial = await queries.execute(new GetTrialQuery('NCT04811604', '2023-12-31'));
    expect(trial.state).toMatchObject({ overallStatus: 'RECRUITING', whyStopped: null });
  });

  it('case 5: an outcome time frame seen, then switched, is a change', async () => {
    const facts = factsIn(withNctId(MIRROR(), 'NCT04811651', 'NCT04811605'));
    const outcome = (timeFrame: string | null) => [{ measure: 'Modified Rankin Scale', timeFrame }];
    await ingest(recordOf(facts, { ...posted('2023-01-10'), primaryOutcomes: outcome(null) }));
    await ingest(recordOf(facts, { ...posted('2023-02-10'), primaryOutcomes: outcome('90 days') }));
    const switched = await ingest(recordOf(facts, { ...posted('2023-03-10'), primaryOutcomes: outcome('5 years') }));
    const events = await eventsOf('NCT04811605');
    const change = events.find((event) => event.type === 'trial.primary-outcomes-changed');
    expect(switched.status).toBe('appended');
    expect(change?.data).toEqual({ added: outcome('5 years'), removed: outcome('90 days') });
  });

  it('case 6: dateless snapshots of one trial processed at once never lose the newer one', async () => {
    const nctId = 'NCT05292606';
    const page = (status: string) =>
      withNctId(VEEVA(), 'NCT05292625', nctId).replace(/Recruiting|Active, not recruiting|Completed/, status);
    await ingest(page('Recruiting'), '2025-01-01T00:00:00.000Z');
    for (let round = 0; round < 6; round += 1) {
      // An older observation that changes the status, and a newer one that shows it as it was.
      const older = await accept(page('Completed'), `2025-02-0${round + 1}T00:00:00.000Z`);
      const newer = await accept(page('Recruiting'), `2025-02-0${round + 1}T12:00:00.000Z`);
      const order = round % 2 === 0 ? [older, newer] : [newer, older];
      await Promise.all(order.map((id) => commands.execute(new ProcessIngestionCommand(id))));
      const state = (await queries.execute(new GetTrialQuery(nctId, '2030-01-01'))).state;
      expect({ round, status: state.overallStatus }).toEqual({ round, status: 'RECRUITING' });
    }
  });

  it('case 7: an observedAt far in the future is refused, naming the field', async () => {
    await expect(accept(VEEVA(), '2099-01-01T00:00:00.000Z')).rejects.toMatchObject({
      code: 'snapshot.observed-in-future',
      details: { field: 'observedAt' },
    });
  });

  it.each(['2024-W05', '2024-01-01T10Z', '20240101'])(
    'case 7b: an observedAt %s the validator lets through but no instant reads is refused, naming the field, writing nothing',
    async (observedAt) => {
      const count = async () =>
        Number((await module.get(Database).query<{ n: string }>('SELECT count(*) AS n FROM ingestions'))[0]!.n);
      const before = await count();
      await expect(accept(VEEVA(), observedAt)).rejects.toMatchObject({
        code: 'snapshot.invalid-observed-at',
        message: expect.stringContaining(`observedAt ${observedAt} is not a date or timestamp`),
        details: { field: 'observedAt' },
      });
      expect(await count()).toBe(before);
    },
  );

  it('case 7c: an observedAt with an offset is kept as the instant it names, in UTC', async () => {
    const page = withNctId(VEEVA(), 'NCT05292625', 'NCT05292607');
    const ingestion = await ingest(page, '2025-03-01T10:00:00+01:00');
    expect(ingestion.observedAt).toBe('2025-03-01T09:00:00.000Z');
  });

  it('case 8: a fields= search result after the full record wipes nothing', async () => {
    const facts = factsIn(withNctId(MIRROR(), 'NCT04811651', 'NCT04811608'));
    await ingest(recordOf(facts, posted('2023-01-10')));
    const full = (await queries.execute(new GetTrialQuery('NCT04811608', '2030-01-01'))).state;
    const limited = JSON.stringify({ studies: [limitedApiV2Study(factsIn(recordOf(facts, posted('2023-01-10'))))] });
    const eventsBefore = (await eventsOf('NCT04811608')).length;
    const outcome = await ingest(limited);
    expect(outcome.status).toBe('unchanged');
    const types = (await eventsOf('NCT04811608')).map((event) => event.type);
    expect(types).toHaveLength(eventsBefore);
    for (const wiped of [
      'trial.primary-outcomes-changed',
      'trial.secondary-outcomes-changed',
      'trial.locations-changed',
      'trial.keywords-changed',
      'trial.collaborators-changed',
    ]) {
      expect(types).not.toContain(wiped);
    }
    const after = (await queries.execute(new GetTrialQuery('NCT04811608', '2030-01-01'))).state;
    expect(after.locations).toEqual(full.locations);
    expect(after.keywords).toEqual(full.keywords);
    expect(after.collaborators).toEqual(full.collaborators);
  });

  it('case 9: the API record, a mirror page of the next version, then its API record: what the page did not show is announced', async () => {
    const nctId = 'NCT04811609';
    const page = withNctId(MIRROR(), 'NCT04811651', nctId);
    const facts = factsIn(page);
    const sites = { locations: facts.locations };
    await ingest(
      recordOf(facts, {
        ...posted('2022-01-10'),
        ...sites,
        overallStatus: 'NOT_YET_RECRUITING',
        keywords: ['stem cells'],
      }),
    );
    // The page shows the version of 2022-05-25: recruitment opened. It shows no keywords.
    const seen = await ingest(page);
    expect(seen.results[0]!.events.map((event) => event.type)).toContain('trial.overall-status-changed');
    const record = await ingest(
      recordOf(facts, { ...posted('2022-05-25'), ...sites, keywords: ['stem cells', 'cerebral infarction'] }),
    );
    expect(record.status).toBe('appended');
    expect(record.results[0]!.events.map((event) => event.type)).toContain('trial.keywords-changed');
    await commands.execute(new CatchUpProjectionsCommand());
    const feed = await queries.execute(
      new GetChangeFeedQuery({ nctIds: [nctId], types: ['trial.keywords-changed'], limit: 100 }),
    );
    expect(feed.changes).toHaveLength(1);
    const trial = await queries.execute(new GetTrialQuery(nctId, '2030-01-01'));
    expect(trial.state.keywords).toEqual(['stem cells', 'cerebral infarction']);
  });

  it('case 10: a trial registered before references and officials were read learns them from its next record, then a results publication is announced', async () => {
    const nctId = 'NCT04811610';
    const facts = factsIn(withNctId(MIRROR(), 'NCT04811651', nctId));
    // The registration a complete record got before: without the two fields, which it did not read.
    const {
      references: _references,
      overallOfficials: _officials,
      ...registered
    } = factsIn(recordOf(facts, posted('2023-01-10')));
    await module.get(EventStore).append(
      `trial-${nctId}`,
      [
        {
          type: 'trial.registered',
          schemaVersion: 2,
          data: { facts: registered },
          metadata: { dated: true, complete: true },
          occurredAt: '2023-01-10T00:00:00.000Z',
        },
      ],
      'no-stream',
    );
    const background = { pmid: '31000002', type: 'BACKGROUND', citation: 'Smith A. Stroke care. Lancet. 2019.' };
    const results = { pmid: '36000001', type: 'RESULT', citation: 'Chen HS, et al. Results of the trial. JAMA. 2024.' };
    const overallOfficials = [
      {
        name: 'Chen Hui-Sheng, Doctor',
        affiliation: 'General Hospital of Shenyang Military Region',
        role: 'PRINCIPAL_INVESTIGATOR',
      },
    ];
    const learned = await ingest(
      recordOf(facts, { ...posted('2023-06-10'), references: [background], overallOfficials }),
    );
    expect(learned.results[0]!.events.map((event) => event.type)).toEqual([
      'trial.facts-learned',
      'trial.last-update-posted-date-moved',
    ]);
    const published = await ingest(
      recordOf(facts, { ...posted('2024-06-10'), references: [background, results], overallOfficials }),
    );
    expect(published.results[0]!.events.map((event) => event.type)).toEqual([
      'trial.references-changed',
      'trial.last-update-posted-date-moved',
    ]);
    await commands.execute(new CatchUpProjectionsCommand());
    const feed = await queries.execute(new GetChangeFeedQuery({ nctIds: [nctId], limit: 100 }));
    expect(feed.changes.map((change) => [change.type, change.materiality?.tier, change.materiality?.subtype])).toEqual([
      ['trial.registered', 'low', 'registered'],
      ['trial.last-update-posted-date-moved', 'noise', 'record-updated'],
      ['trial.references-changed', 'medium', 'publication-added'],
      ['trial.last-update-posted-date-moved', 'noise', 'record-updated'],
    ]);
    const history = await queries.execute(new GetFieldHistoryQuery(nctId, 'references', 'oldest'));
    expect(history.changes.map(({ from, to, learned }) => ({ from, to, learned }))).toEqual([
      { from: null, to: [background], learned: true },
      { from: [], to: [results], learned: false },
    ]);
  });
});
