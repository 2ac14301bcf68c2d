import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { EventStore } from '@app/infrastructure';
import { FakeCtgovServer } from '../../../../../test/support/fake-ctgov/index.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { CreateWatchlistCommand } from '../manage/create-watchlist.command.js';
import { RequestWatchlistSyncCommand } from '../manage/request-watchlist-sync.command.js';
import { UpdateWatchlistCommand } from '../manage/update-watchlist.command.js';
import { GetWatchlistTrialsQuery } from '../membership/get-watchlist-trials.query.js';
import type { Watchlist, WatchlistRun } from '../watchlist.js';

describe('a watchlist whose search changes, against a fake ClinicalTrials.gov and PostgreSQL', () => {
  let fake: FakeCtgovServer;
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;
  let dataVersion = 0;

  beforeAll(async () => {
    fake = await FakeCtgovServer.start();
    // Registry pages are served by the fake, on loopback.
    environment = await createTestEnvironment({
      outbound: { allowedHosts: ['127.0.0.0/8'], dnsServers: [], dnsCacheMs: 30_000 },
    });
    environment.config.ctgov = {
      baseUrl: fake.baseUrl,
      requestsPerSecond: 100,
      timeoutMs: 2_000,
      maxRetries: 1,
      backoffBaseMs: 10,
      historyEnabled: false,
    };
    module = await createTrackingModule(environment);
    commands = module.get(CommandBus);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
    await fake?.stop();
  });

  const registryMoves = () => fake.setDataTimestamp(`2026-03-${String(++dataVersion).padStart(2, '0')}T09:00:00`);
  const sync = (watchlist: Watchlist): Promise<WatchlistRun> =>
    commands.execute(new RequestWatchlistSyncCommand(watchlist.id, true));
  const watched = async (watchlist: Watchlist): Promise<string[]> =>
    [
      ...(
        (await module.get(QueryBus).execute(new GetWatchlistTrialsQuery([watchlist.id]))) as Map<string, Set<string>>
      ).get(watchlist.id)!,
    ].sort();

  it('reads a changed search whole once, so trials it matches that changed long ago are watched too', async () => {
    fake.putSyntheticStudies(2, { firstNumber: 95_000_001, condition: 'stroke' });
    fake.putSyntheticStudies(3, { firstNumber: 95_000_101, condition: 'diabetes' });
    registryMoves();
    const watchlist: Watchlist = await commands.execute(
      new CreateWatchlistCommand({ name: 'search changed', search: { 'query.cond': 'stroke' } }),
    );
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', studiesFetched: 2 });

    await commands.execute(new UpdateWatchlistCommand(watchlist.id, { search: { 'query.cond': 'diabetes' } }));
    registryMoves();
    const changed = await sync(watchlist);
    expect(changed).toMatchObject({ status: 'succeeded', studiesFetched: 3 });
    expect(changed.notes).toContain('The search changed since the last successful sync: it was read whole');
    expect(await watched(watchlist)).toEqual(expect.arrayContaining(['NCT95000101', 'NCT95000102', 'NCT95000103']));

    // Once read whole, the search is read for what changed since, as before.
    registryMoves();
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', studiesFetched: 0 });
  });

  it('reads a search added while the registry data has not moved', async () => {
    fake.putSyntheticStudies(2, { firstNumber: 95_000_201, condition: 'asthma' });
    registryMoves();
    const watchlist: Watchlist = await commands.execute(
      new CreateWatchlistCommand({ name: 'search added', nctIds: ['NCT95000201'] }),
    );
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', studiesFetched: 1 });
    await commands.execute(new UpdateWatchlistCommand(watchlist.id, { search: { 'query.cond': 'asthma' } }));
    await sync(watchlist);
    expect(await watched(watchlist)).toEqual(['NCT95000201', 'NCT95000202']);
  });

  it('still fetches the update that takes a trial out of the search, so its change is not missed', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const study = (overallStatus: string, posted: string) =>
      FakeCtgovServer.studyFromFixture('NCT00973089', {
        nctId: 'NCT95000301',
        overallStatus,
        lastUpdatePostDate: posted,
        lastUpdateSubmitDate: posted,
      });
    fake.putStudy(study('RECRUITING', '2025-01-10'));
    registryMoves();
    const watchlist: Watchlist = await commands.execute(
      new CreateWatchlistCommand({ name: 'recruiting only', search: { 'filter.overallStatus': 'RECRUITING' } }),
    );
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', appended: 1 });

    // The new version says TERMINATED: the search no longer matches it, yet it is a trial this watchlist watches.
    fake.putStudy(study('TERMINATED', today));
    registryMoves();
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', appended: 1 });
    const statusChanges = (await module.get(EventStore).readStream('trial-NCT95000301')).filter(
      (event) => event.type === 'trial.overall-status-changed',
    );
    expect(statusChanges.map((event) => event.data)).toEqual([
      expect.objectContaining({ from: 'RECRUITING', to: 'TERMINATED' }),
    ]);

    // It is asked for by ID only for what changed since the last sync, like the trials a watchlist names.
    const byId = fake.requests.filter((request) => request.url.searchParams.get('filter.ids') === 'NCT95000301');
    expect(byId.map((request) => request.url.searchParams.get('filter.advanced'))).toEqual([
      expect.stringMatching(/^AREA\[LastUpdatePostDate\]RANGE\[/),
    ]);
  });

  it('finds the few trials of a large search that an update took out of it in a few requests', async () => {
    const today = new Date().toISOString().slice(0, 10);
    fake.putSyntheticStudies(150, { firstNumber: 95_000_401, condition: 'glioma' });
    registryMoves();
    const watchlist: Watchlist = await commands.execute(
      new CreateWatchlistCommand({ name: 'a large search', search: { 'query.cond': 'glioma' } }),
    );
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', appended: 150 });

    // One trial's new version no longer names the condition searched for.
    fake.putStudy(
      FakeCtgovServer.studyFromFixture('NCT00973089', {
        nctId: 'NCT95000450',
        conditions: ['astrocytoma'],
        lastUpdatePostDate: today,
        lastUpdateSubmitDate: today,
      }),
    );
    registryMoves();
    const before = fake.requests.length;
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', appended: 1 });
    const events = await module.get(EventStore).readStream('trial-NCT95000450');
    expect(events.map((event) => event.type)).toContain('trial.conditions-changed');
    // The IDs of the studies updated in the window, then the one that left the search, by ID: not 150 trials by ID.
    const asked = fake.requests
      .slice(before)
      .filter((request) => request.url.pathname === '/api/v2/studies')
      .map((request) => request.url.searchParams);
    expect(
      asked.filter((parameters) => parameters.get('fields') === 'NCTId' && !parameters.has('filter.ids')),
    ).toHaveLength(1);
    expect(
      asked.filter((parameters) => parameters.has('filter.ids')).map((parameters) => parameters.get('filter.ids')),
    ).toEqual(['NCT95000450']);
  });

  it('takes out the trials the search no longer matches, reporting one gone from the registry like a named trial, and names them', async () => {
    const today = new Date().toISOString().slice(0, 10);
    fake.putSyntheticStudies(3, { firstNumber: 95_000_701, condition: 'melanoma' });
    registryMoves();
    const watchlist: Watchlist = await commands.execute(
      new CreateWatchlistCommand({ name: 'trials leave the search', search: { 'query.cond': 'melanoma' } }),
    );
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', appended: 3 });

    // One trial's new version no longer names the condition searched for; another is gone from the registry.
    fake.putStudy(
      FakeCtgovServer.studyFromFixture('NCT00973089', {
        nctId: 'NCT95000701',
        conditions: ['uveal neoplasm'],
        lastUpdatePostDate: today,
        lastUpdateSubmitDate: today,
      }),
    );
    fake.removeStudy('NCT95000702');
    registryMoves();
    const run = await sync(watchlist);
    expect(run).toMatchObject({ status: 'partial', appended: 1 });
    expect(run.errors).toEqual([expect.objectContaining({ scope: 'NCT95000702', code: 'watchlist.trial-removed' })]);
    expect(run.notes).toContain(
      'No longer matched by the search, taken out of the watchlist: NCT95000701, NCT95000702',
    );
    // The update that took it out of the search is not missed.
    const events = await module.get(EventStore).readStream('trial-NCT95000701');
    expect(events.map((event) => event.type)).toContain('trial.conditions-changed');
    expect(await watched(watchlist)).toEqual(['NCT95000703']);

    // Taken out, they are asked for no more.
    registryMoves();
    const next = await sync(watchlist);
    expect(next).toMatchObject({ status: 'succeeded', errors: [] });
  });

  it('takes out no trial while the answer of the search is partial', async () => {
    fake.putSyntheticStudies(2, { firstNumber: 95_000_801, condition: 'sarcoma' });
    registryMoves();
    const watchlist: Watchlist = await commands.execute(
      new CreateWatchlistCommand({ name: 'partial answer', search: { 'query.cond': 'sarcoma' } }),
    );
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', appended: 2 });

    fake.removeStudy('NCT95000802');
    registryMoves();
    // The NCT IDs the search matches come back short: 2 announced, 1 sent.
    const study = { protocolSection: { identificationModule: { nctId: 'NCT95000801' } } };
    fake.injectFaults(
      [{ kind: 'body', body: JSON.stringify({ totalCount: 2, studies: [study] }) }],
      (url) => url.searchParams.get('query.cond') === 'sarcoma' && url.searchParams.get('fields') === 'NCTId',
    );
    const cutShort = await sync(watchlist);
    expect(cutShort.status).toMatch(/failed|partial/);
    expect(cutShort.errors).toEqual([expect.objectContaining({ code: 'ctgov.incomplete-results' })]);
    expect(await watched(watchlist)).toEqual(['NCT95000801', 'NCT95000802']);

    // A request of the search that fails after its retries takes none out either.
    const failing = { kind: 'status' as const, status: 503 };
    fake.injectFaults([failing, failing], (url) => url.searchParams.get('query.cond') === 'sarcoma');
    expect((await sync(watchlist)).status).toMatch(/failed|partial/);
    expect(await watched(watchlist)).toEqual(['NCT95000801', 'NCT95000802']);

    // A whole answer does.
    const whole = await sync(watchlist);
    expect(whole.errors).toEqual([expect.objectContaining({ scope: 'NCT95000802', code: 'watchlist.trial-removed' })]);
    expect(await watched(watchlist)).toEqual(['NCT95000801']);
  });

  it('takes out a trial its page no longer lists once a run reads the search whole, keeping those the search matches', async () => {
    const study = (nctId: string, condition: string) =>
      FakeCtgovServer.studyFromFixture('NCT00973089', { nctId, conditions: [condition] });
    const [matched, alsoMatched, onlyOnPage] = [
      study('NCT95000901', 'lymphoma'),
      study('NCT95000902', 'lymphoma'),
      study('NCT95000911', 'gout'),
    ];
    [matched, alsoMatched, onlyOnPage].forEach((document) => fake.putStudy(document));
    const path = '/pages/search-and-page.json';
    fake.servePage(path, JSON.stringify({ studies: [matched, onlyOnPage] }));
    registryMoves();
    const watchlist: Watchlist = await commands.execute(
      new CreateWatchlistCommand({
        name: 'a search and a page',
        search: { 'query.cond': 'lymphoma' },
        pageUrls: [`${fake.baseUrl}${path}`],
      }),
    );
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', errors: [] });
    expect(await watched(watchlist)).toEqual(['NCT95000901', 'NCT95000902', 'NCT95000911']);

    // The page now lists only a trial the search matches.
    fake.servePage(path, JSON.stringify({ studies: [alsoMatched] }));
    // The registry's data has not moved: the run reads no search, so cannot tell what it still matches, and takes none out.
    const searchUnread = await sync(watchlist);
    expect(searchUnread.notes.filter((note) => note.includes('taken out'))).toEqual([]);
    expect(await watched(watchlist)).toEqual(['NCT95000901', 'NCT95000902', 'NCT95000911']);

    registryMoves();
    const searchRead = await sync(watchlist);
    expect(searchRead).toMatchObject({ status: 'succeeded', errors: [] });
    expect(searchRead.notes).toContain(
      'Neither matched by the search nor listed by any of its pages any more, taken out of the watchlist: NCT95000911',
    );
    expect(await watched(watchlist)).toEqual(['NCT95000901', 'NCT95000902']);
  });

  it('refuses a search that sets what the client sets itself, naming it, before any run', async () => {
    await expect(
      commands.execute(new CreateWatchlistCommand({ name: 'ids in search', search: { 'filter.ids': 'NCT95000001' } })),
    ).rejects.toMatchObject({
      code: 'watchlist.invalid',
      message: expect.stringContaining('search parameter "filter.ids" is set by trialwatch'),
    });
  });
});
