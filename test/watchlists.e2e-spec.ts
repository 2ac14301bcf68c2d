import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFixture } from './support/fixtures.js';
import { type AppProcess, runCli, startApi, startWorker } from './support/app-processes.js';
import { DatabaseProbe } from './support/database-probe.js';
import { FakeCtgovServer } from './support/fake-ctgov/index.js';
import { json, type Json } from './support/http.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';

const TODAY = new Date().toISOString().slice(0, 10);

describe('watchlists kept in sync with a (fake) ClinicalTrials.gov', () => {
  let environment: TestEnvironment;
  let env: Record<string, string>;
  let fake: FakeCtgovServer;
  let api: AppProcess;
  let worker: AppProcess;
  let baseUrl: string;
  let probe: DatabaseProbe;
  let dropFolder: string;

  const request = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: response.status === 204 ? null : ((await json(response)) as Json) };
  };
  const createWatchlist = async (body: Record<string, unknown>) => {
    const created = await request('POST', '/watchlists', { schedule: { cron: '0 0 1 1 *' }, ...body });
    expect(created.status).toBe(201);
    return created.body;
  };
  const syncNow = async (id: string) => {
    const run = await request('POST', `/watchlists/${id}/sync?wait=true`);
    expect(run.status).toBe(200);
    return run.body;
  };
  const eventTypesOf = async (nctId: string): Promise<string[]> =>
    (
      await probe.rows<{ type: string }>(`SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version`, [
        `trial-${nctId}`,
      ])
    ).map((row) => row.type);
  const studyRequests = () => fake.requests.filter((r) => r.url.pathname === '/api/v2/studies');

  beforeAll(async () => {
    fake = await FakeCtgovServer.start();
    fake.setDataTimestamp('2026-01-01T09:00:00');
    environment = await createTestEnvironment();
    dropFolder = await mkdtemp(join(tmpdir(), 'trialwatch-drop-'));
    env = {
      ...environment.env,
      CTGOV_BASE_URL: fake.baseUrl,
      CTGOV_REQUESTS_PER_SECOND: '100',
      CTGOV_TIMEOUT_MS: '1000',
      CTGOV_MAX_RETRIES: '4',
      CTGOV_BACKOFF_BASE_MS: '50',
      CTGOV_HISTORY_ENABLED: 'true',
      DROP_FOLDER: dropFolder,
      DROP_FOLDER_POLL_MS: '300',
      // The fake registry's pages are on loopback, which page URLs may reach only when allow-listed.
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    };
    ({ api, baseUrl } = await startApi(env));
    worker = await startWorker(env);
    probe = new DatabaseProbe(environment.databaseUrl);
  });

  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await probe?.close();
    await fake?.stop();
    await environment?.teardown();
    await rm(dropFolder, { recursive: true, force: true });
  });

  it('syncs a watchlist of 3 trials twice and records only the change made in between', async () => {
    for (const nctId of ['NCT00973089', 'NCT02210780', 'NCT06171568'])
      fake.putStudy(FakeCtgovServer.studyFromFixture(nctId));
    const watchlist = await createWatchlist({
      name: 'three trials',
      nctIds: ['NCT00973089', 'NCT02210780', 'nct06171568'],
    });
    expect(watchlist).toMatchObject({
      nctIds: ['NCT00973089', 'NCT02210780', 'NCT06171568'],
      schedule: { cron: '0 0 1 1 *', timeZone: 'UTC' },
    });

    const first = await syncNow(watchlist.id);
    expect(first).toMatchObject({ status: 'succeeded', studiesFetched: 3, appended: 3, errors: [] });

    // ClinicalTrials.gov publishes a new version of one trial: its status changed, and so its last-update date.
    fake.putStudy(
      FakeCtgovServer.studyFromFixture('NCT02210780', {
        overallStatus: 'TERMINATED',
        lastUpdatePostDate: TODAY,
        lastUpdateSubmitDate: TODAY,
      }),
    );
    fake.setDataTimestamp('2026-01-02T09:00:00');
    const second = await syncNow(watchlist.id);
    expect(second).toMatchObject({ status: 'succeeded', studiesFetched: 1, appended: 1, eventsAppended: 2 });

    expect(await eventTypesOf('NCT02210780')).toEqual([
      'trial.registered',
      'trial.overall-status-changed',
      'trial.last-update-posted-date-moved',
    ]);
    expect(await eventTypesOf('NCT00973089')).toEqual(['trial.registered']);
    expect(await eventTypesOf('NCT06171568')).toEqual(['trial.registered']);
    const [statusChange] = await probe.rows<{ data: Json; metadata: Json }>(
      `SELECT data, metadata FROM events WHERE stream_id = 'trial-NCT02210780' AND type = 'trial.overall-status-changed'`,
    );
    expect(statusChange).toMatchObject({
      data: { from: 'COMPLETED', to: 'TERMINATED' },
      metadata: { source: 'ctgov-api-v2', correlationId: second.id },
    });

    // The second run asked only for studies updated since the first run, less a day.
    const since = new Date(Date.parse(first.startedAt) - 86_400_000).toISOString().slice(0, 10);
    expect(second.requested).toMatchObject({ lastUpdatePostedOnOrAfter: since });
    const [windowed, presence] = studyRequests().slice(-2);
    expect(windowed!.url.searchParams.get('filter.advanced')).toBe(`AREA[LastUpdatePostDate]RANGE[${since},MAX]`);
    // Then the two that did not come back were looked for by their IDs alone: still in the registry.
    expect(presence!.url.searchParams.get('fields')).toBe('NCTId');
    expect(presence!.url.searchParams.get('filter.ids')).toBe('NCT00973089,NCT06171568');

    const runs = await request('GET', `/watchlists/${watchlist.id}/runs`);
    expect(runs.body.map((run: Json) => run.id)).toEqual([second.id, first.id]);
  });

  it('skips a run when the registry data timestamp has not moved', async () => {
    // A watchlist of its own, synced once at the registry's current data timestamp.
    fake.putStudy(FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000709' }));
    const watchlist = await createWatchlist({ name: 'registry unchanged', nctIds: ['NCT00000709'] });
    expect(await syncNow(watchlist.id)).toMatchObject({ status: 'succeeded', appended: 1 });

    const before = studyRequests().length;
    const run = await syncNow(watchlist.id);
    expect(run).toMatchObject({ status: 'skipped', studiesFetched: 0 });
    expect(run.notes.join(' ')).toMatch(/data unchanged since the last sync/);
    expect(studyRequests().length).toBe(before);
  });

  it('rides out 429 with Retry-After, 503, a response past the timeout and a dropped connection', async () => {
    fake.putStudy(FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000701' }));
    const watchlist = await createWatchlist({ name: 'flaky registry', nctIds: ['NCT00000701'] });
    fake.injectFaults(
      [
        { kind: 'status', status: 429, retryAfter: '1' },
        { kind: 'status', status: 503 },
        { kind: 'delay', ms: 2500 },
        { kind: 'drop' },
      ],
      (url) => url.pathname === '/api/v2/studies' && url.searchParams.get('filter.ids') === 'NCT00000701',
    );
    const run = await syncNow(watchlist.id);
    expect(run).toMatchObject({ status: 'succeeded', studiesFetched: 1, appended: 1, errors: [] });
    const attempts = studyRequests().filter((r) => r.url.searchParams.get('filter.ids') === 'NCT00000701');
    expect(attempts.length).toBe(5);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('records a failure clearly when the registry keeps failing, and ingests nothing half-way', async () => {
    fake.putStudy(FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000702' }));
    const watchlist = await createWatchlist({ name: 'broken registry', nctIds: ['NCT00000702'] });
    fake.injectFaults(
      Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 500 })),
      (url) => url.pathname === '/api/v2/studies' && url.searchParams.get('filter.ids') === 'NCT00000702',
    );
    const run = await syncNow(watchlist.id);
    expect(run.status).toBe('failed');
    expect(run.errors[0]).toMatchObject({
      scope: 'clinicaltrials.gov',
      code: 'ctgov.request-failed',
      message: expect.stringMatching(/failed after 5 attempts: HTTP 500/),
    });
    expect(await eventTypesOf('NCT00000702')).toEqual([]);
    expect((await request('GET', `/watchlists/${watchlist.id}`)).body.lastSuccessfulSyncAt).toBeNull();

    const retry = await syncNow(watchlist.id);
    expect(retry).toMatchObject({ status: 'succeeded', appended: 1 });
  });

  it('imports the past versions of a newly watched trial, oldest first, dated by the registry', async () => {
    const dates = ['2019-03-01', '2019-09-15', '2020-06-30', '2021-02-11', '2022-08-05'];
    const statuses = ['NOT_YET_RECRUITING', 'RECRUITING', 'RECRUITING', 'ACTIVE_NOT_RECRUITING', 'COMPLETED'];
    const versions = dates.map((date, index) => ({
      date,
      study: FakeCtgovServer.studyFromFixture('NCT06171568', {
        nctId: 'NCT00000703',
        overallStatus: statuses[index],
        lastUpdatePostDate: date,
        lastUpdateSubmitDate: date,
        enrollmentCount: 100 + index * 50,
      }),
    }));
    fake.setHistory('NCT00000703', versions);
    fake.putStudy(versions.at(-1)!.study);
    const watchlist = await createWatchlist({ name: 'with history', nctIds: ['NCT00000703'], backfillHistory: true });
    const run = await syncNow(watchlist.id);
    expect(run).toMatchObject({ status: 'succeeded', appended: 5, unchanged: 1 });

    await eventually(
      async () => (await request('GET', '/trials/NCT00000703/status-history')).body.periods?.length === 4,
    );
    const history = (await request('GET', '/trials/NCT00000703/status-history')).body;
    expect(history.periods.map((p: Json) => [p.status, p.from.slice(0, 10), p.to?.slice(0, 10) ?? null])).toEqual([
      ['NOT_YET_RECRUITING', '2019-03-01', '2019-09-15'],
      ['RECRUITING', '2019-09-15', '2021-02-11'],
      ['ACTIVE_NOT_RECRUITING', '2021-02-11', '2022-08-05'],
      ['COMPLETED', '2022-08-05', null],
    ]);
    const enrollment = (await request('GET', '/trials/NCT00000703/history?field=enrollment&order=oldest')).body.changes;
    expect(enrollment.map((c: Json) => [c.occurredAt.slice(0, 10), c.to.count])).toEqual([
      ['2019-09-15', 150],
      ['2020-06-30', 200],
      ['2021-02-11', 250],
      ['2022-08-05', 300],
    ]);
  });

  it('reports a missing history endpoint as an error of that run, not a crash', async () => {
    fake.putStudy(FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000704' }));
    fake.setHistoryUnavailable('NCT00000704');
    const watchlist = await createWatchlist({ name: 'no history', nctIds: ['NCT00000704'], backfillHistory: true });
    const run = await syncNow(watchlist.id);
    expect(run.status).toBe('partial');
    expect(run.errors).toEqual([
      expect.objectContaining({ scope: 'history of NCT00000704', code: 'ctgov.history-unavailable' }),
    ]);
    expect(run.appended).toBe(1);
  });

  it('follows an alias to the current NCT ID and records it', async () => {
    fake.putStudy(FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000706' }));
    fake.alias('NCT00000705', 'NCT00000706');
    const watchlist = await createWatchlist({ name: 'renamed trial', nctIds: ['NCT00000705'] });
    const run = await syncNow(watchlist.id);
    expect(run).toMatchObject({ status: 'succeeded', appended: 1 });
    expect(run.notes).toContain('NCT00000705 is now NCT00000706 (alias recorded)');
    expect(await probe.rows(`SELECT alias_nct_id, nct_id FROM trial_aliases`)).toEqual([
      { alias_nct_id: 'NCT00000705', nct_id: 'NCT00000706' },
    ]);
  });

  it('fetches registry pages on the schedule of their watchlist', async () => {
    fake.servePage('/pages/NCT06360861.html', readFixture('registry-pages-html', '004_e3c06c917fab1162.html'));
    const watchlist = await createWatchlist({
      name: 'a registry page',
      pageUrls: [`${fake.baseUrl}/pages/NCT06360861.html`],
    });
    const run = await syncNow(watchlist.id);
    expect(run).toMatchObject({ status: 'succeeded', appended: 1 });
    const [ingestion] = await probe.rows<{ format: string; source: string }>(
      `SELECT format, source FROM ingestions WHERE 'NCT06360861' = ANY(nct_ids)`,
    );
    expect(ingestion).toEqual({ format: 'registry-mirror-html', source: 'registry-page' });
  });

  it('ingests each new file of the drop folder once', async () => {
    await writeFile(join(dropFolder, 'veeva.txt'), readFixture('registry-pages', '003_3bc531e48d6f61f9.txt'));
    await writeFile(join(dropFolder, 'notes.txt'), 'not a trial record');
    await eventually(async () => (await probe.count(`SELECT count(*) FROM drop_folder_files`)) === 2, 20_000);
    await eventually(async () => (await eventTypesOf('NCT05292625')).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await probe.count(`SELECT count(*) FROM ingestions WHERE source = 'drop-folder'`)).toBe(2);
    expect(await probe.rows(`SELECT path, outcome FROM drop_folder_files ORDER BY path`)).toEqual([
      { path: 'notes.txt', outcome: 'rejected' },
      { path: 'veeva.txt', outcome: 'accepted' },
    ]);
  });

  it('runs a schedule created through the API, keeps it across a worker restart, and removes it with the watchlist', async () => {
    fake.putStudy(FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000707' }));
    const watchlist = await createWatchlist({
      name: 'every two seconds',
      nctIds: ['NCT00000707'],
      schedule: { cron: '*/2 * * * * *' },
    });
    const scheduledRuns = () =>
      probe.count(`SELECT count(*) FROM watchlist_runs WHERE watchlist_id = $1 AND trigger = 'schedule'`, [
        watchlist.id,
      ]);
    await eventually(async () => (await scheduledRuns()) >= 1, 20_000);

    await worker.stop();
    const beforeRestart = await scheduledRuns();
    worker = await startWorker(env);
    await eventually(async () => (await scheduledRuns()) > beforeRestart, 20_000);

    expect((await request('DELETE', `/watchlists/${watchlist.id}`)).status).toBe(204);
    expect((await request('GET', `/watchlists/${watchlist.id}`)).status).toBe(404);
    const countAfterDelete = await probe.count(`SELECT count(*) FROM watchlist_runs WHERE watchlist_id = $1`, [
      watchlist.id,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 4500));
    expect(countAfterDelete).toBe(0);
    expect(await probe.count(`SELECT count(*) FROM watchlist_runs WHERE watchlist_id = $1`, [watchlist.id])).toBe(0);
    const overlapping = await probe.count(
      `SELECT count(*) FROM watchlist_runs a JOIN watchlist_runs b ON a.watchlist_id = b.watchlist_id AND a.id <> b.id
       WHERE a.status <> 'skipped' AND b.status <> 'skipped' AND a.started_at < b.ended_at AND b.started_at < a.ended_at`,
    );
    expect(overlapping).toBe(0);
  });

  it('shows each watched trial: an unknown ID fails only itself, a failed backfill is retried (API and CLI)', async () => {
    fake.putStudy(FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000711' }));
    fake.setHistoryUnavailable('NCT00000711');
    const watchlist = await createWatchlist({
      name: 'an unknown id',
      nctIds: ['NCT00000711', 'NCT00000719'],
      backfillHistory: true,
    });
    const run = await syncNow(watchlist.id);
    expect(run).toMatchObject({ status: 'partial', appended: 1 });
    expect(run.errors.map((error: Json) => [error.scope, error.code]).sort()).toEqual([
      ['NCT00000719', 'ctgov.study-not-found'],
      ['history of NCT00000711', 'ctgov.history-unavailable'],
      ['history of NCT00000719', 'ctgov.history-unavailable'],
    ]);
    const trials = await request('GET', `/watchlists/${watchlist.id}/trials`);
    expect(trials.status).toBe(200);
    expect(trials.body).toEqual([
      expect.objectContaining({
        nctId: 'NCT00000711',
        registryState: 'found',
        fetchedInFullAt: expect.any(String),
        backfill: expect.objectContaining({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/404/) }),
      }),
      expect.objectContaining({
        nctId: 'NCT00000719',
        registryState: 'not-found',
        fetchedInFullAt: null,
        backfill: expect.objectContaining({ status: 'failed', attempts: 1 }),
      }),
    ]);
    expect((await request('GET', '/watchlists/00000000-0000-4000-8000-000000000000/trials')).status).toBe(404);

    fake.setHistory('NCT00000711', [
      { date: '2016-01-02', study: FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000711' }) },
    ]);
    // The registry's data has not moved: the unknown ID is not asked again (nor its history), the failed backfill is.
    expect(await syncNow(watchlist.id)).toMatchObject({ status: 'succeeded', errors: [] });
    const listed = await runCli(['watch', 'trials', 'an unknown id'], env);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/NCT00000711\s+found\s+\S+\s+done\s+2/);
    expect(listed.stdout).toMatch(/NCT00000719\s+not-found since \S+\s+not yet\s+failed\s+1/);
  });

  it('refuses an invalid watchlist with the reasons', async () => {
    const invalid = await request('POST', '/watchlists', {
      name: 'bad',
      nctIds: ['NCT1'],
      schedule: { cron: 'every day', timeZone: 'Mars/Olympus' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('watchlist.invalid');
    expect(invalid.body.error.message).toMatch(/not NCT IDs: NCT1/);
    expect(invalid.body.error.message).toMatch(/time zone "Mars\/Olympus"/);
    expect(invalid.body.error.message).toMatch(/cron "every day"/);
    await createWatchlist({ name: 'a taken name', nctIds: ['NCT00000710'] });
    expect((await request('POST', '/watchlists', { name: 'a taken name', nctIds: ['NCT00973089'] })).status).toBe(409);
  });

  it('finishes a scheduled run whose worker was killed in the middle as one run, never left running, counting what the killed worker appended and keeping its start, requests, errors and notes', async () => {
    // The named trials are asked for first (after the past versions of the first), then the search, which
    // finds the other one. The second named trial is not in the registry yet, nor its history.
    const named = FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000720' });
    fake.putStudy(named);
    fake.setHistory('NCT00000720', [{ date: '2016-01-02', study: named }]);
    fake.putStudy(
      FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000721', conditions: ['worker killed mid-run'] }),
    );
    // Each attempt at the search gets no answer within CTGOV_TIMEOUT_MS, until the faults run out.
    const isTheSearch = (url: URL) =>
      url.pathname === '/api/v2/studies' && url.searchParams.get('query.cond') === 'worker killed mid-run';
    fake.injectFaults(
      Array.from({ length: 4 }, () => ({ kind: 'delay' as const, ms: 3_000 })),
      isTheSearch,
    );
    // Once, a few seconds from now (seconds first, UTC).
    const at = new Date(Date.now() + 4_000);
    const watchlist = await createWatchlist({
      name: 'worker killed mid-run',
      nctIds: ['NCT00000720', 'NCT00000722'],
      search: { 'query.cond': 'worker killed mid-run' },
      backfillHistory: true,
      schedule: { cron: `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *` },
    });
    const runsOf = async () => (await request('GET', `/watchlists/${watchlist.id}/runs`)).body as Json[];

    // Killed while the search goes unanswered: the named trial is in by then, the other one an error.
    await eventually(async () => fake.requests.some((received) => isTheSearch(received.url)), 20_000);
    await worker.stop('SIGKILL');
    expect(await eventTypesOf('NCT00000720')).toEqual(['trial.registered']);
    const [killed] = await runsOf();
    expect(await runsOf()).toEqual([expect.objectContaining({ status: 'running' })]);
    expect(killed.requested).toMatchObject({
      firstWatched: ['NCT00000720', 'NCT00000722'],
      backfills: ['NCT00000720', 'NCT00000722'],
    });

    // Another worker takes the stalled job up again: the same run goes on to its end. Asked again, the
    // named trial is unchanged; what the killed worker appended stays counted, and what it met stays said,
    // though the registry has the second trial by now.
    fake.putStudy(FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000722' }));
    worker = await startWorker(env);
    await eventually(async () => !['queued', 'running'].includes((await runsOf())[0]!.status), 60_000, 200);
    const [finished] = await runsOf();
    expect(await runsOf()).toHaveLength(1);
    expect(finished).toMatchObject({
      status: 'partial',
      appended: 3,
      unchanged: 2,
      studiesFetched: 5,
      startedAt: killed.startedAt,
      requested: killed.requested,
    });
    expect(finished.errors.map((error: Json) => [error.scope, error.code]).sort()).toEqual([
      ['NCT00000722', 'ctgov.study-not-found'],
      ['history of NCT00000722', 'ctgov.history-unavailable'],
    ]);
    expect(finished.notes).toEqual([
      'NCT00000720: imported 1 past versions',
      expect.stringMatching(/^Taken up again after the worker running it stopped/),
    ]);
    expect(await eventTypesOf('NCT00000721')).toEqual(['trial.registered']);
    expect(await eventTypesOf('NCT00000722')).toEqual(['trial.registered']);
  });

  it('answers a sync waited on at once, naming the watchlist and the run, when the watchlist is deleted while it runs', async () => {
    fake.putStudy(
      FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000730', conditions: ['deleted while synced'] }),
    );
    const isTheSearch = (url: URL) =>
      url.pathname === '/api/v2/studies' && url.searchParams.get('query.cond') === 'deleted while synced';
    fake.injectFaults(
      Array.from({ length: 2 }, () => ({ kind: 'delay' as const, ms: 3_000 })),
      isTheSearch,
    );
    const watchlist = await createWatchlist({
      name: 'deleted while synced',
      search: { 'query.cond': 'deleted while synced' },
    });
    const waited = request('POST', `/watchlists/${watchlist.id}/sync?wait=true&timeoutMs=30000`);
    await eventually(async () => fake.requests.some((received) => isTheSearch(received.url)), 20_000);
    const [{ id: runId }] = await probe.rows<{ id: string }>(`SELECT id FROM watchlist_runs WHERE watchlist_id = $1`, [
      watchlist.id,
    ]);
    const deletedAt = Date.now();
    expect((await request('DELETE', `/watchlists/${watchlist.id}`)).status).toBe(204);

    const answer = await waited;
    expect(Date.now() - deletedAt).toBeLessThan(5_000);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('watchlist.deleted-during-run');
    expect(answer.body.error.message).toContain(watchlist.id);
    expect(answer.body.error.message).toContain(runId);
  });

  it('manages watchlists from the command line', async () => {
    fake.putStudy(FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000708' }));
    const added = await runCli(
      ['watch', 'add', 'cli list', '--ids', 'NCT00000708', '--cron', '0 7 * * 1', '--tz', 'Europe/Paris'],
      env,
    );
    expect(added.stdout).toMatch(/created watchlist cli list/);
    expect((await runCli(['watch', 'list'], env)).stdout).toMatch(/cli list\s+\S+\s+1\s+-\s+0 7 \* \* 1 Europe\/Paris/);
    const synced = await runCli(['watch', 'sync', 'cli list'], env);
    expect(synced.status).toBe(0);
    expect(synced.stdout).toMatch(/succeeded/);
    expect(synced.stdout).toMatch(/snapshots appended 1/);
    expect((await runCli(['watch', 'runs', 'cli list'], env)).stdout).toMatch(/run .* \(manual\): succeeded/);
    expect((await runCli(['watch', 'remove', 'cli list'], env)).status).toBe(0);
    expect((await runCli(['watch', 'runs', 'cli list'], env)).stderr).toMatch(/watchlist.not-found/);
  });
});
