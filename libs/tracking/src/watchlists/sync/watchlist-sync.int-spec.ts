import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { APP_CONFIG, type AppConfig, Database, EventStore } from '@app/infrastructure';
import { FakeCtgovServer } from '../../../../../test/support/fake-ctgov/index.js';
import { studyVersion, versionPosted } from '../../../../../test/support/study-versions.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CreateWatchlistCommand } from '../manage/create-watchlist.command.js';
import { DeleteWatchlistCommand } from '../manage/delete-watchlist.command.js';
import { GetWatchlistQuery } from '../manage/get-watchlist.query.js';
import { ListWatchedTrialsQuery } from '../manage/list-watched-trials.query.js';
import { ListWatchlistRunsQuery } from '../manage/list-watchlist-runs.query.js';
import { RequestWatchlistSyncCommand } from '../manage/request-watchlist-sync.command.js';
import { UpdateWatchlistCommand } from '../manage/update-watchlist.command.js';
import { GetWatchlistTrialsQuery } from '../membership/get-watchlist-trials.query.js';
import { FindRegistryAbsencesQuery } from '../registry-presence/find-registry-absences.query.js';
import type { Watchlist, WatchedTrial, WatchlistRun } from '../watchlist.js';
import { lockKeyOf, WatchlistSync } from './watchlist-sync.js';

/*
 * Watchlist runs in this process against a fake ClinicalTrials.gov on loopback, with the real
 * pipeline, PostgreSQL and Redis: what a run asks for, and what it records of each watched trial.
 */
describe('watchlist runs against a fake ClinicalTrials.gov', () => {
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
      historyEnabled: true,
    };
    module = await createTrackingModule(environment);
    commands = module.get(CommandBus);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
    await fake?.stop();
  });

  const serve = (nctId: string, version: number) => fake.putStudy(JSON.parse(studyVersion(version, nctId)));
  /** The registry publishes new data: runs that find the data timestamp unmoved ask nothing. */
  const registryMoves = () => fake.setDataTimestamp(`2026-02-${String(++dataVersion).padStart(2, '0')}T09:00:00`);
  const create = (name: string, nctIds: string[], backfillHistory = false): Promise<Watchlist> =>
    commands.execute(new CreateWatchlistCommand({ name, nctIds, backfillHistory }));
  const sync = (watchlist: Watchlist): Promise<WatchlistRun> =>
    commands.execute(new RequestWatchlistSyncCommand(watchlist.id, true));
  const trialsOf = async (watchlist: Watchlist): Promise<Record<string, WatchedTrial>> =>
    Object.fromEntries(
      ((await module.get(QueryBus).execute(new ListWatchedTrialsQuery(watchlist.id))) as WatchedTrial[]).map(
        (trial) => [trial.nctId, trial],
      ),
    );
  const enrollmentOf = async (nctId: string): Promise<unknown> => {
    const events = await module.get(EventStore).readStream(`trial-${nctId}`);
    const changes = events.filter((event) => event.type === 'trial.enrollment-updated');
    return (changes.at(-1)?.data as { to?: { count: number } } | undefined)?.to?.count;
  };
  const studyRequestsFor = (nctId: string) =>
    fake.requests.filter(
      (request) =>
        request.url.pathname === '/api/v2/studies' && request.url.searchParams.get('filter.ids')?.includes(nctId),
    );

  /** The trials a watchlist watches: those it names and those its runs brought in. */
  const members = async (watchlist: Watchlist): Promise<string[]> =>
    [
      ...(
        (await module.get(QueryBus).execute(new GetWatchlistTrialsQuery([watchlist.id]))) as Map<string, Set<string>>
      ).get(watchlist.id)!,
    ].sort();
  /** A registry page on the fake's origin listing these trials (a search page of the API), as its URL. */
  const listPage = (path: string, nctIds: string[]): string => {
    fake.servePage(path, JSON.stringify({ studies: nctIds.map((nctId) => JSON.parse(studyVersion(0, nctId))) }));
    return `${fake.baseUrl}${path}`;
  };

  const until = async (condition: () => boolean): Promise<void> => {
    for (const deadline = Date.now() + 5_000; !condition();) {
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('fetches in full a trial trialwatch already tracks when it is added to a watchlist, whatever its date', async () => {
    // Tracked from an old record (version 3), then the registry published version 10, long before the window.
    const tracked = 'NCT09400001';
    const accepted = await commands.execute(
      new AcceptSnapshotCommand(
        { content: Buffer.from(studyVersion(3, tracked)), mediaType: null, source: 'saved-page' },
        false,
      ),
    );
    await commands.execute(new ProcessIngestionCommand(accepted.ingestionId));
    serve(tracked, 10);
    serve('NCT09400002', 0);
    const watchlist = await create('tracked trial added', ['NCT09400002']);
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', appended: 1 });

    await commands.execute(new UpdateWatchlistCommand(watchlist.id, { nctIds: ['NCT09400002', tracked] }));
    registryMoves();
    const added = await sync(watchlist);
    expect(added).toMatchObject({ status: 'succeeded', appended: 1, errors: [] });
    expect(added.requested).toMatchObject({ firstWatched: [tracked] });
    // Asked for without the date window, so its 2016 version came back: enrollment 10 + 10.
    expect(studyRequestsFor(tracked)[0]!.url.searchParams.get('filter.advanced')).toBeNull();
    expect(await enrollmentOf(tracked)).toBe(20);
    expect((await trialsOf(watchlist))[tracked]).toMatchObject({
      registryState: 'found',
      fetchedInFullAt: expect.any(String),
    });

    // From then on it is asked for only if updated, with the others.
    registryMoves();
    const next = await sync(watchlist);
    expect(next.requested).toMatchObject({ firstWatched: [] });
    const windowed = studyRequestsFor(tracked).at(-2)!.url.searchParams;
    expect(windowed.get('filter.advanced')).toMatch(/^AREA\[LastUpdatePostDate\]RANGE\[/);
    expect(windowed.get('filter.ids')).toBe(`NCT09400002,${tracked}`);
  });

  it('fetches in full again a trial taken out of a watchlist and named again', async () => {
    serve('NCT09400011', 0);
    serve('NCT09400012', 0);
    const watchlist = await create('named again', ['NCT09400011', 'NCT09400012']);
    await sync(watchlist);
    await commands.execute(new UpdateWatchlistCommand(watchlist.id, { nctIds: ['NCT09400011'] }));
    serve('NCT09400012', 7);
    await commands.execute(new UpdateWatchlistCommand(watchlist.id, { nctIds: ['NCT09400011', 'NCT09400012'] }));
    registryMoves();
    expect((await sync(watchlist)).requested).toMatchObject({ firstWatched: ['NCT09400012'] });
    expect(await enrollmentOf('NCT09400012')).toBe(17);
  });

  it('fetches in full again a trial taken out of a watchlist while a run was fetching it, once named again', async () => {
    serve('NCT09400013', 0);
    serve('NCT09400014', 0);
    const watchlist = await create('taken out mid-run', ['NCT09400013', 'NCT09400014']);
    // The run's request for the two trials is answered late; meanwhile NCT09400014 is taken out.
    fake.injectFaults([{ kind: 'delay', ms: 1_000 }], (url) =>
      Boolean(url.searchParams.get('filter.ids')?.includes('NCT09400014')),
    );
    const running = sync(watchlist);
    await until(() => studyRequestsFor('NCT09400014').length > 0);
    await commands.execute(new UpdateWatchlistCommand(watchlist.id, { nctIds: ['NCT09400013'] }));
    expect(await running).toMatchObject({ status: 'succeeded' });

    // Out of the watchlist, it got a version dated long ago; named again, it is first watched again.
    serve('NCT09400014', 7);
    await commands.execute(new UpdateWatchlistCommand(watchlist.id, { nctIds: ['NCT09400013', 'NCT09400014'] }));
    registryMoves();
    expect((await sync(watchlist)).requested).toMatchObject({ firstWatched: ['NCT09400014'] });
    expect(await enrollmentOf('NCT09400014')).toBe(17);
  });

  it('rejects only the record over MAX_SNAPSHOT_BYTES, as an error of its trial, and syncs the others', async () => {
    const config = module.get<AppConfig>(APP_CONFIG);
    const limit = config.maxSnapshotBytes;
    config.maxSnapshotBytes = 64 * 1024;
    try {
      serve('NCT09400015', 0);
      serve('NCT09400017', 0);
      const huge = JSON.parse(studyVersion(0, 'NCT09400016'));
      huge.protocolSection.descriptionModule.detailedDescription = 'x'.repeat(80 * 1024);
      fake.putStudy(huge);
      const watchlist = await create('one record too large', ['NCT09400015', 'NCT09400016', 'NCT09400017']);
      const run = await sync(watchlist);
      expect(run).toMatchObject({ status: 'partial', appended: 2, rejected: 1 });
      expect(run.errors).toEqual([expect.objectContaining({ scope: 'NCT09400016', code: 'snapshot.too-large' })]);
      const streamLength = async (nctId: string) => (await module.get(EventStore).readStream(`trial-${nctId}`)).length;
      expect(await streamLength('NCT09400015')).toBeGreaterThan(0);
      expect(await streamLength('NCT09400016')).toBe(0);

      // The others' updates keep coming in.
      serve('NCT09400017', versionPosted(0));
      registryMoves();
      expect(await sync(watchlist)).toMatchObject({ appended: 1 });
      expect(await enrollmentOf('NCT09400017')).toBe(10 + versionPosted(0));
    } finally {
      config.maxSnapshotBytes = limit;
    }
  });

  it('makes an unknown ID an error of that trial in a partial run, and records a trial the registry removed', async () => {
    serve('NCT09400021', 0);
    serve('NCT09400022', 0);
    const watchlist = await create('unknown and removed', ['NCT09400021', 'NCT09400022', 'NCT09400029']);
    const first = await sync(watchlist);
    expect(first).toMatchObject({ status: 'partial', appended: 2 });
    expect(first.errors).toEqual([expect.objectContaining({ scope: 'NCT09400029', code: 'ctgov.study-not-found' })]);
    expect((await trialsOf(watchlist))['NCT09400029']).toMatchObject({
      registryState: 'not-found',
      fetchedInFullAt: null,
      missingSince: expect.any(String),
    });

    // The unknown ID never fails the run: the others are still synced, and the checkpoint moves.
    serve('NCT09400021', versionPosted(0));
    registryMoves();
    const second = await sync(watchlist);
    expect(second).toMatchObject({ status: 'partial', appended: 1 });
    expect(await enrollmentOf('NCT09400021')).toBe(10 + versionPosted(0));
    // Nothing new at the registry: nothing asked, not even the unknown ID.
    expect(await sync(watchlist)).toMatchObject({ status: 'skipped', errors: [] });

    fake.removeStudy('NCT09400022');
    registryMoves();
    const third = await sync(watchlist);
    expect(third.status).toBe('partial');
    expect(third.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ scope: 'NCT09400022', code: 'watchlist.trial-removed' }),
        expect.objectContaining({ scope: 'NCT09400029', code: 'ctgov.study-not-found' }),
      ]),
    );
    const trials = await trialsOf(watchlist);
    expect(trials['NCT09400022']).toMatchObject({ registryState: 'removed', missingSince: expect.any(String) });
    expect(trials['NCT09400021']).toMatchObject({ registryState: 'found', missingSince: null });

    // Back in the registry: found again.
    serve('NCT09400022', 0);
    registryMoves();
    expect(await sync(watchlist)).toMatchObject({ status: 'partial' });
    expect((await trialsOf(watchlist))['NCT09400022']).toMatchObject({ registryState: 'found', missingSince: null });
  });

  it('still knows a trial is gone from the registry after it is taken out of the watchlist that found it gone', async () => {
    serve('NCT09400081', 0);
    serve('NCT09400082', 0);
    const watchlist = await create('gone, then dropped', ['NCT09400081', 'NCT09400082']);
    await sync(watchlist);
    fake.removeStudy('NCT09400082');
    registryMoves();
    expect((await sync(watchlist)).errors).toEqual([
      expect.objectContaining({ scope: 'NCT09400082', code: 'watchlist.trial-removed' }),
    ]);
    const absences = async () => [
      ...(
        (await module.get(QueryBus).execute(new FindRegistryAbsencesQuery(['NCT09400082']))) as Map<string, string>
      ).keys(),
    ];
    expect(await absences()).toEqual(['NCT09400082']);

    // No sync has found it since: taking it out of the watchlist does not make it found.
    await commands.execute(new UpdateWatchlistCommand(watchlist.id, { nctIds: ['NCT09400081'] }));
    expect(await absences()).toEqual(['NCT09400082']);

    // Named again, it is watched for the first time again, and found once the registry has it back.
    serve('NCT09400082', 0);
    await commands.execute(new UpdateWatchlistCommand(watchlist.id, { nctIds: ['NCT09400081', 'NCT09400082'] }));
    registryMoves();
    expect((await sync(watchlist)).requested).toMatchObject({ firstWatched: ['NCT09400082'] });
    expect(await absences()).toEqual([]);
  });

  it('still knows a trial is gone from the registry after the watchlist that found it gone is deleted', async () => {
    serve('NCT09400091', 0);
    const absences = async () =>
      (await module.get(QueryBus).execute(new FindRegistryAbsencesQuery(['NCT09400091']))) as Map<string, string>;
    const first = await create('gone, then deleted', ['NCT09400091']);
    await sync(first);
    fake.removeStudy('NCT09400091');
    registryMoves();
    await sync(first);
    const since = (await absences()).get('NCT09400091');
    expect(since).toBeDefined();

    // No sync has found it since: deleting the watchlist does not make it found.
    await commands.execute(new DeleteWatchlistCommand(first.id));
    expect(await absences()).toEqual(new Map([['NCT09400091', since]]));

    // Found by another watchlist's sync once the registry has it back; that watchlist deleted, it stays found.
    serve('NCT09400091', 0);
    const second = await create('found again', ['NCT09400091']);
    await sync(second);
    expect(await absences()).toEqual(new Map());
    await commands.execute(new DeleteWatchlistCommand(second.id));
    expect(await absences()).toEqual(new Map());
  });

  it('still knows the registry has a trial again after it leaves the watchlist that found it again', async () => {
    serve('NCT09400092', 0);
    const absences = async () => [
      ...(
        (await module.get(QueryBus).execute(new FindRegistryAbsencesQuery(['NCT09400092']))) as Map<string, string>
      ).keys(),
    ];
    const gone = await create('found it gone', ['NCT09400092']);
    await sync(gone);
    fake.removeStudy('NCT09400092');
    registryMoves();
    await sync(gone);
    expect(await absences()).toEqual(['NCT09400092']);

    // Back in the registry: another watchlist finds it, while the first has not asked again.
    serve('NCT09400092', 0);
    serve('NCT09400093', 0);
    const found = await create('found it again', ['NCT09400092', 'NCT09400093']);
    await sync(found);
    expect(await absences()).toEqual([]);
    // Taken out of that watchlist, then the watchlist deleted: still found.
    await commands.execute(new UpdateWatchlistCommand(found.id, { nctIds: ['NCT09400093'] }));
    expect(await absences()).toEqual([]);
    await commands.execute(new DeleteWatchlistCommand(found.id));
    expect(await absences()).toEqual([]);
  });

  const history = (nctId: string, count: number) =>
    Array.from({ length: count }, (_, index) => ({
      date: `2016-01-${String(2 + index).padStart(2, '0')}`,
      study: JSON.parse(studyVersion(index, nctId)),
    }));

  it('retries a failed history backfill on later runs until it is done', async () => {
    serve('NCT09400031', 2);
    fake.setHistoryUnavailable('NCT09400031');
    const watchlist = await create('backfill retried', ['NCT09400031'], true);
    const failed = await sync(watchlist);
    expect(failed.status).toBe('partial');
    expect(failed.errors).toEqual([
      expect.objectContaining({ scope: 'history of NCT09400031', code: 'ctgov.history-unavailable' }),
    ]);
    expect((await trialsOf(watchlist))['NCT09400031']!.backfill).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringMatching(/404/),
    });

    // The registry's data has not moved, yet the failed backfill is tried again.
    fake.setHistory('NCT09400031', history('NCT09400031', 3));
    const retried = await sync(watchlist);
    expect(retried).toMatchObject({ status: 'succeeded', errors: [] });
    expect(retried.notes).toContain('NCT09400031: imported 3 past versions');
    expect((await trialsOf(watchlist))['NCT09400031']!.backfill).toMatchObject({
      status: 'done',
      attempts: 2,
      versions: 3,
      lastError: null,
    });
    // Done: not asked again.
    const before = fake.requests.length;
    expect(await sync(watchlist)).toMatchObject({ status: 'skipped' });
    expect(fake.requests.slice(before).map((request) => request.url.pathname)).toEqual(['/api/v2/version']);
  });

  it('keeps a newly watched trial history whole when its history request fails for a while', async () => {
    serve('NCT09400035', 2);
    fake.setHistory('NCT09400035', history('NCT09400035', 3));
    // The list of versions answers 503 to the first attempt and its one retry, then recovers.
    const failing = { kind: 'status' as const, status: 503 };
    fake.injectFaults([failing, failing], (url) => url.pathname === '/api/int/studies/NCT09400035/history');
    const watchlist = await create('history fails for a while', ['NCT09400035'], true);
    const failed = await sync(watchlist);
    expect(failed.status).toBe('partial');
    expect(failed.errors).toEqual([
      expect.objectContaining({ scope: 'history of NCT09400035', code: 'ctgov.request-failed' }),
    ]);
    // Its current version is not fetched yet: the past versions could not follow it into the stream.
    expect(failed).toMatchObject({ appended: 0 });
    expect(failed.notes).toContain('NCT09400035: its current version waits until its past versions are imported');

    const retried = await sync(watchlist);
    expect(retried).toMatchObject({ status: 'succeeded', errors: [] });
    // Every past version is in the trial's stream, oldest first: enrollment 10, 11, then 12.
    const enrollments = (await module.get(EventStore).readStream('trial-NCT09400035')).flatMap((event) =>
      event.type === 'trial.registered'
        ? [(event.data as { facts: { enrollment: { count: number } } }).facts.enrollment.count]
        : event.type === 'trial.enrollment-updated'
          ? [(event.data as { to: { count: number } }).to.count]
          : [],
    );
    expect(enrollments).toEqual([10, 11, 12]);
    expect((await trialsOf(watchlist))['NCT09400035']).toMatchObject({
      fetchedInFullAt: expect.any(String),
      backfill: { status: 'done', versions: 3, attempts: 2 },
    });
  });

  it('backfills the trials a watchlist already tracks when history is turned on later', async () => {
    serve('NCT09400041', 2);
    fake.setHistory('NCT09400041', history('NCT09400041', 3));
    const watchlist = await create('history turned on', ['NCT09400041']);
    await sync(watchlist);
    expect((await trialsOf(watchlist))['NCT09400041']!.backfill).toBeNull();

    await commands.execute(new UpdateWatchlistCommand(watchlist.id, { backfillHistory: true }));
    const run = await sync(watchlist);
    expect(run.requested).toMatchObject({ backfills: ['NCT09400041'] });
    expect(run.notes).toContain('NCT09400041: imported 3 past versions');
    // The trial already holds the newest of them: the older ones are stale, the last unchanged.
    expect(run).toMatchObject({ status: 'succeeded', stale: 2, unchanged: 1 });
    expect((await trialsOf(watchlist))['NCT09400041']!.backfill).toMatchObject({ status: 'done', versions: 3 });
  });

  it('ends a run whose watchlist is deleted while it is under way, saying so, and keeps what it ingested', async () => {
    serve('NCT09400101', 0);
    const searched = JSON.parse(studyVersion(0, 'NCT09400102'));
    searched.protocolSection.conditionsModule.conditions = ['deleted mid-run'];
    fake.putStudy(searched);
    const watchlist = await commands.execute<CreateWatchlistCommand, Watchlist>(
      new CreateWatchlistCommand({
        name: 'deleted mid-run',
        nctIds: ['NCT09400101'],
        search: { 'query.cond': 'deleted mid-run' },
      }),
    );
    // The named trial is in when the search is asked for; its answer comes after the watchlist is deleted.
    const isTheSearch = (url: URL) => url.searchParams.get('query.cond') === 'deleted mid-run';
    fake.injectFaults([{ kind: 'delay', ms: 500 }], isTheSearch);
    const running = sync(watchlist);
    await until(() => fake.requests.some((request) => isTheSearch(request.url)));
    await commands.execute(new DeleteWatchlistCommand(watchlist.id));

    await expect(running).rejects.toMatchObject({
      code: 'watchlist.deleted-during-run',
      message: expect.stringMatching(/^Watchlist "deleted mid-run" was deleted while its run .* was under way/),
    });
    // What it ingested before is kept; it stopped there, at the first write that named the watchlist.
    const typesOf = async (nctId: string) =>
      (await module.get(EventStore).readStream(`trial-${nctId}`)).map((event) => event.type);
    expect(await typesOf('NCT09400101')).toEqual(['trial.registered']);
    expect(await typesOf('NCT09400102')).toEqual([]);
  });

  it('ends partial, naming the shortfall, when the registry sends fewer studies than the total it announced', async () => {
    const searched = (nctId: string) => {
      const study = JSON.parse(studyVersion(0, nctId));
      study.protocolSection.conditionsModule.conditions = ['cut short'];
      return study;
    };
    fake.putStudy(searched('NCT09400111'));
    fake.putStudy(searched('NCT09400112'));
    const watchlist = await commands.execute<CreateWatchlistCommand, Watchlist>(
      new CreateWatchlistCommand({ name: 'results cut short', nctIds: [], search: { 'query.cond': 'cut short' } }),
    );
    // The search's first page says there are 2, and holds one with no page after it.
    fake.injectFaults(
      [{ kind: 'body', body: JSON.stringify({ totalCount: 2, studies: [searched('NCT09400111')] }) }],
      (url) => url.searchParams.get('query.cond') === 'cut short',
    );
    const run = await sync(watchlist);
    expect(run).toMatchObject({ status: 'partial', studiesFetched: 1, appended: 1 });
    expect(run.errors).toEqual([
      expect.objectContaining({
        scope: 'clinicaltrials.gov',
        code: 'ctgov.incomplete-results',
        message: expect.stringMatching(/announced 2 studies \(totalCount\), but its pages held 1: 1 missing$/),
      }),
    ]);
    // Not a sync to go on from (its window would pass over the study that did not come): the next run
    // reads the search whole again, and gets it.
    const checkpoint = ((await module.get(QueryBus).execute(new GetWatchlistQuery(watchlist.id))) as Watchlist)
      .lastSuccessfulSyncAt;
    expect(checkpoint).toBeNull();
    registryMoves();
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', appended: 1, unchanged: 1 });
    expect(await module.get(EventStore).readStream('trial-NCT09400112')).not.toEqual([]);
  });

  it('keeps a failed record of a batch an error of the run when its worker stops the moment that batch commits', async () => {
    const searched = (nctId: string) => {
      const study = JSON.parse(studyVersion(0, nctId));
      study.protocolSection.conditionsModule.conditions = ['stopped after a batch'];
      return study;
    };
    fake.putStudy(searched('NCT09400121'));
    // The search answers once with the trial and a record that cannot be ingested (its NCT ID is none).
    const unreadable = searched('NCT09400122');
    unreadable.protocolSection.identificationModule.nctId = 'NCT-NONE';
    fake.injectFaults(
      [{ kind: 'body', body: JSON.stringify({ totalCount: 2, studies: [searched('NCT09400121'), unreadable] }) }],
      (url) => url.searchParams.get('query.cond') === 'stopped after a batch',
    );
    const watchlist = await commands.execute<CreateWatchlistCommand, Watchlist>(
      new CreateWatchlistCommand({
        name: 'stopped after a batch',
        nctIds: [],
        search: { 'query.cond': 'stopped after a batch' },
      }),
    );
    // The worker stops the moment the batch commits: PostgreSQL refuses every later write to its run.
    const database = module.get(Database);
    await database.execute(`
      CREATE TABLE stopped_runs (run_id uuid PRIMARY KEY);
      CREATE FUNCTION stop_run() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO stopped_runs VALUES (NEW.correlation_id) ON CONFLICT DO NOTHING; RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER stop_run_at_commit AFTER INSERT ON ingestions DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (NEW.correlation_id IS NOT NULL) EXECUTE FUNCTION stop_run();
      CREATE FUNCTION refuse_stopped_run() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM stopped_runs WHERE run_id = OLD.id) THEN RAISE EXCEPTION 'worker stopped'; END IF;
          RETURN NEW;
        END $$;
      CREATE TRIGGER refuse_stopped_run BEFORE UPDATE ON watchlist_runs FOR EACH ROW EXECUTE FUNCTION refuse_stopped_run();`);
    try {
      await expect(sync(watchlist)).rejects.toThrow(/worker stopped/);
    } finally {
      await database.execute(`DROP TABLE stopped_runs CASCADE;
        DROP TRIGGER stop_run_at_commit ON ingestions; DROP FUNCTION stop_run;
        DROP TRIGGER refuse_stopped_run ON watchlist_runs; DROP FUNCTION refuse_stopped_run;`);
    }
    const [stopped] = (await module
      .get(QueryBus)
      .execute(new ListWatchlistRunsQuery(watchlist.id, 1))) as WatchlistRun[];
    const failedRecord = expect.objectContaining({
      scope: expect.stringMatching(/^ingestion /),
      code: 'snapshot.missing-nct-id',
    });
    expect(stopped).toMatchObject({ status: 'running', appended: 1, rejected: 1, errors: [failedRecord] });

    // Taken up again, the record is not asked again (the registry has no such study), and the run still reports it.
    const finished = await module.get(WatchlistSync).run(stopped!.id);
    expect(finished).toMatchObject({
      status: 'partial',
      appended: 1,
      unchanged: 1,
      rejected: 1,
      errors: [failedRecord],
    });
  });

  it('skips a run while another run of the same watchlist holds its advisory lock', async () => {
    serve('NCT09400051', 0);
    const watchlist = await create('one run at a time', ['NCT09400051']);
    const key = lockKeyOf(watchlist.id);
    // Another worker's run, as far as PostgreSQL can tell: a session holding the watchlist's lock.
    const whileHeld = await module.get(Database).session(async (sql) => {
      await sql.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      try {
        return await sync(watchlist);
      } finally {
        await sql.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      }
    });
    expect(whileHeld).toMatchObject({ status: 'skipped', notes: ['another run of this watchlist was in progress'] });
    expect(studyRequestsFor('NCT09400051')).toHaveLength(0);
    expect((await sync(watchlist)).status).toBe('succeeded');
  });

  it('keeps the window where it was while runs find the registry data unchanged and ask nothing', async () => {
    serve('NCT09400071', 0);
    const watchlist = await create('registry frozen', ['NCT09400071']);
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', appended: 1 });
    // That sync read the registry five days ago; the registry has published nothing since.
    await module
      .get(Database)
      .execute(`UPDATE watchlists SET last_successful_sync_at = now() - interval '5 days' WHERE id = $1`, [
        watchlist.id,
      ]);
    const checkpointOf = async () =>
      ((await module.get(QueryBus).execute(new GetWatchlistQuery(watchlist.id))) as Watchlist).lastSuccessfulSyncAt;
    const checkpoint = await checkpointOf();
    expect(await sync(watchlist)).toMatchObject({ status: 'skipped' });
    expect(await checkpointOf()).toBe(checkpoint);

    // Its data moves at last, with a version posted three days ago: inside the window of the last sync that read it.
    serve('NCT09400071', versionPosted(3));
    registryMoves();
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', appended: 1 });
    expect(await enrollmentOf('NCT09400071')).toBe(10 + versionPosted(3));
  });

  it('keeps the incremental checkpoint where it was when a request still fails after its retries', async () => {
    serve('NCT09400061', 0);
    const watchlist = await create('checkpoint kept', ['NCT09400061']);
    await sync(watchlist);
    const checkpointOf = async () =>
      ((await module.get(QueryBus).execute(new GetWatchlistQuery(watchlist.id))) as Watchlist).lastSuccessfulSyncAt;
    const checkpoint = await checkpointOf();
    expect(checkpoint).not.toBeNull();

    registryMoves();
    // The first attempt and its one retry (CTGOV_MAX_RETRIES is 1 here) both answered 503.
    const failing = { kind: 'status' as const, status: 503 };
    fake.injectFaults([failing, failing], (url) => url.pathname === '/api/v2/studies');
    const failed = await sync(watchlist);
    expect(failed.status).toMatch(/failed|partial/);
    expect(failed.errors.length).toBeGreaterThan(0);
    expect(await checkpointOf()).toBe(checkpoint);

    // The next run asks for the same window again.
    const windows = () =>
      studyRequestsFor('NCT09400061')
        .map((request) => request.url.searchParams.get('filter.advanced'))
        .filter((window) => window !== null);
    const asked = windows();
    expect(asked.at(-1)).toMatch(/^AREA\[LastUpdatePostDate\]RANGE\[/);
    const next = await sync(watchlist);
    expect(next.status).toBe('succeeded');
    expect(windows().slice(asked.length)).toEqual([asked.at(-1)]);
  });

  it('takes out a trial only its pages brought in once none of them lists it, also when its page is taken out of the watchlist, and names it', async () => {
    const [named, renamed, current, onlyOnA, onBoth, onlyOnB] = [1, 2, 3, 4, 5, 6].map((n) => `NCT0941000${n}`);
    serve(named, 0);
    serve(current, 0);
    fake.alias(renamed, current);
    const a = listPage('/pages/taken-out-a.json', [named, onlyOnA, onBoth]);
    const b = listPage('/pages/taken-out-b.json', [onBoth, onlyOnB]);
    const watchlist: Watchlist = await commands.execute(
      new CreateWatchlistCommand({ name: 'pages list fewer trials', nctIds: [named, renamed], pageUrls: [a, b] }),
    );
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded', errors: [] });
    expect(await members(watchlist)).toEqual([named, renamed, current, onlyOnA, onBoth, onlyOnB].sort());

    // Page a no longer lists the trial it alone listed, nor the trial the watchlist names.
    listPage('/pages/taken-out-a.json', [onBoth]);
    const fewer = await sync(watchlist);
    expect(fewer).toMatchObject({ status: 'succeeded', errors: [] });
    expect(fewer.notes).toContain(`No longer listed by any of its pages, taken out of the watchlist: ${onlyOnA}`);
    // Named (the renamed one under its old NCT ID) or on another page, the others stay.
    expect(await members(watchlist)).toEqual([named, renamed, current, onBoth, onlyOnB].sort());

    // Page b taken out of the watchlist: the next run takes out its trial no other page lists.
    await commands.execute(new UpdateWatchlistCommand(watchlist.id, { pageUrls: [a] }));
    const pageRemoved = await sync(watchlist);
    expect(pageRemoved.notes).toContain(`No longer listed by any of its pages, taken out of the watchlist: ${onlyOnB}`);
    expect(await members(watchlist)).toEqual([named, renamed, current, onBoth].sort());
  });

  it('takes out no trial a page stopped listing while another page of the watchlist cannot be read', async () => {
    const [left, stays] = ['NCT09410011', 'NCT09410012'];
    const a = listPage('/pages/unread-a.json', [left]);
    const b = listPage('/pages/unread-b.json', [stays]);
    const watchlist: Watchlist = await commands.execute(
      new CreateWatchlistCommand({ name: 'a page unread', pageUrls: [a, b] }),
    );
    expect(await sync(watchlist)).toMatchObject({ status: 'succeeded' });
    listPage('/pages/unread-a.json', [stays]);

    // Page b answers 503 on its attempt and its one retry.
    const failing = { kind: 'status' as const, status: 503 };
    fake.injectFaults([failing, failing], (url) => url.pathname === '/pages/unread-b.json');
    const unfetched = await sync(watchlist);
    expect(unfetched.status).toBe('partial');
    expect(unfetched.errors).toEqual([expect.objectContaining({ scope: b })]);
    expect(await members(watchlist)).toEqual([left, stays]);

    // Page b answers with something that is not a trial record.
    fake.servePage('/pages/unread-b.json', '<html><body>Down for maintenance</body></html>');
    const unreadable = await sync(watchlist);
    expect(unreadable.status).toBe('partial');
    expect(unreadable.errors).toEqual([expect.objectContaining({ scope: b })]);
    expect(await members(watchlist)).toEqual([left, stays]);

    // Every page read: the trial no page lists is taken out.
    listPage('/pages/unread-b.json', [stays]);
    const whole = await sync(watchlist);
    expect(whole).toMatchObject({ status: 'succeeded', errors: [] });
    expect(whole.notes).toContain(`No longer listed by any of its pages, taken out of the watchlist: ${left}`);
    expect(await members(watchlist)).toEqual([stays]);
  });
});
