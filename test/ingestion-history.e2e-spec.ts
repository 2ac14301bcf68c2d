import { readFileSync } from 'node:fs';
import { fixturePath } from './support/fixtures.js';
import { json, type Json } from './support/http.js';
import { type AppProcess, runCli, startApi, startWorker } from './support/app-processes.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';

const LEGACY_2016 = fixturePath('ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml');
const LEGACY_2018 = fixturePath('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml');
const API_V2 = fixturePath('ctgov-api-v2', 'NCT02210780.json');

/** A legacy XML record of NCT00513591 as it is, or as the record of another trial `nctId`. */
const legacyRecord = (file: string, nctId = 'NCT00513591'): Buffer =>
  Buffer.from(readFileSync(file, 'utf8').replaceAll('NCT00513591', nctId));

/** The api and a worker as processes, on a database and Redis prefix of their own. */
interface System {
  environment: TestEnvironment;
  api: AppProcess;
  worker: AppProcess;
  baseUrl: string;
}

const startSystem = async (): Promise<System> => {
  const environment = await createTestEnvironment();
  const { api, baseUrl } = await startApi(environment.env);
  const worker = await startWorker(environment.env);
  return { environment, api, worker, baseUrl };
};

const stopSystem = async (system: System | undefined): Promise<void> => {
  await system?.api.stop();
  await system?.worker.stop();
  await system?.environment.teardown();
};

/** Requests to the api of `system()`, whichever system that is when they are made. */
const clientOf = (system: () => System) => {
  const post = (body: Buffer, query = 'wait=true') =>
    fetch(`${system().baseUrl}/snapshots?${query}`, { method: 'POST', body });
  const get = async (path: string) => {
    const response = await fetch(`${system().baseUrl}${path}`);
    return { status: response.status, body: (await json(response)) as Json };
  };
  const caughtUp = () =>
    eventually(async () => {
      const health = (await get('/health')).body;
      const lag = Object.values(health.details.projections.lag as Record<string, { events: number }>);
      return lag.every((projection) => projection.events === 0);
    });
  return { post, get, caughtUp };
};

describe('ingestion and history through the running api and worker', () => {
  // Each test ingests the trials it looks at, under NCT IDs no other test of this block uses.
  let system: System;
  const { post, get, caughtUp } = clientOf(() => system);

  beforeAll(async () => {
    system = await startSystem();
  });

  afterAll(async () => {
    await stopSystem(system);
  });

  it('records the legacy XML pair as exactly its real changes, dated by the registry', async () => {
    // The 2016 legacy record has no first-posted date; the 2018 one shows it. That date did not change —
    // trialwatch learned it — so it is recorded as `trial.facts-learned`, apart from the registry's changes.
    const first = await post(legacyRecord(LEGACY_2016));
    expect(first.status).toBe(200);
    expect(await json(first)).toMatchObject({
      status: 'appended',
      nctIds: ['NCT00513591'],
      format: 'ctgov-legacy-xml',
    });

    const second = await json(await post(legacyRecord(LEGACY_2018)));
    expect(second.status).toBe('appended');
    expect(second.results[0].events.map((event: { type: string }) => event.type)).toEqual([
      'trial.facts-learned',
      'trial.enrollment-updated',
      'trial.primary-completion-date-changed',
      'trial.completion-date-changed',
      'trial.status-verified-date-moved',
      'trial.last-update-posted-date-moved',
    ]);
    await caughtUp();

    const history = await get('/trials/NCT00513591/history?order=oldest');
    expect(history.status).toBe(200);
    expect(
      history.body.changes.map(
        (change: { field: string; from: unknown; to: unknown; occurredAt: string; learned: boolean }) => [
          change.field,
          change.from,
          change.to,
          change.occurredAt,
          change.learned,
        ],
      ),
    ).toEqual([
      ['studyFirstPostDate', null, { date: '2007-08-08', type: 'ESTIMATED' }, '2017-06-16T00:00:00.000Z', true],
      [
        'enrollment',
        { count: 500, type: 'ESTIMATED' },
        { count: 1000, type: 'ESTIMATED' },
        '2017-06-16T00:00:00.000Z',
        false,
      ],
      [
        'primaryCompletionDate',
        { date: '2017-12', type: 'ESTIMATED' },
        { date: '2018-06', type: 'ESTIMATED' },
        '2017-06-16T00:00:00.000Z',
        false,
      ],
      ['completionDate', null, { date: '2018-06', type: 'ESTIMATED' }, '2017-06-16T00:00:00.000Z', false],
      ['statusVerifiedDate', '2016-06', '2017-06', '2017-06-16T00:00:00.000Z', false],
      ['lastUpdatePostDate', null, { date: '2017-06-16', type: 'ACTUAL' }, '2017-06-16T00:00:00.000Z', false],
      ['lastUpdateSubmitDate', '2016-06-14', '2017-06-15', '2017-06-16T00:00:00.000Z', false],
    ]);
    const newestFirst = await get('/trials/NCT00513591/history?field=enrollment');
    expect(newestFirst.body.changes).toHaveLength(1);

    const status = await get('/trials/NCT00513591/status-history');
    expect(status.body).toMatchObject({
      currentStatus: 'RECRUITING',
      periods: [{ status: 'RECRUITING', from: '2016-06-14T00:00:00.000Z', to: null, current: true }],
    });
    expect(status.body.periods[0].days).toBeGreaterThan(3000);

    const events = await get('/trials/NCT00513591/events');
    expect(events.body.events.map((event: { streamVersion: number }) => event.streamVersion)).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    expect(events.body.events[1].metadata).toMatchObject({ format: 'ctgov-legacy-xml', source: 'api' });

    const current = await get('/trials/NCT00513591');
    expect(current.body).toMatchObject({ streamVersion: 7, state: { enrollment: { count: 1000 } } });
    const past = await get('/trials/NCT00513591?asOf=2016-12-31');
    expect(past.body).toMatchObject({ asOf: '2016-12-31', streamVersion: 1, state: { enrollment: { count: 500 } } });
    expect(await get('/trials/NCT00513591?asOf=2000-01-01')).toMatchObject({
      status: 404,
      body: { error: { code: 'trial.not-found', message: 'NCT00513591 had not been registered yet on 2000-01-01' } },
    });
    const unknown = await get('/trials/NCT09999999?asOf=2016-12-31');
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'trial.not-found' } } });
    expect(unknown.body.error.message).not.toMatch(/registered yet/);
  });

  it('appends nothing for the same file again, and refuses the older file as stale', async () => {
    // A trial of its own, with both records of the legacy XML pair already ingested.
    const nctId = 'NCT00513592';
    expect((await json(await post(legacyRecord(LEGACY_2016, nctId)))).status).toBe('appended');
    expect((await json(await post(legacyRecord(LEGACY_2018, nctId)))).status).toBe('appended');

    expect((await json(await post(legacyRecord(LEGACY_2018, nctId)))).status).toBe('unchanged');
    const stale = await json(await post(legacyRecord(LEGACY_2016, nctId)));
    expect(stale.status).toBe('stale');
    expect((await get(`/trials/${nctId}/events`)).body.events).toHaveLength(7);
    await caughtUp();
    expect((await get(`/trials/${nctId}`)).body.state.enrollment.count).toBe(1000);
  });

  it('answers 202 with an ingestion id, then shows the outcome', async () => {
    const response = await fetch(`${system.baseUrl}/snapshots`, {
      method: 'POST',
      body: readFileSync(API_V2),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(202);
    const accepted = await json(response);
    expect(response.headers.get('location')).toBe(`/ingestions/${accepted.ingestionId}`);
    const outcome = await eventually(async () => {
      const ingestion = (await get(`/ingestions/${accepted.ingestionId}`)).body;
      return ingestion.status !== 'queued' && ingestion;
    });
    expect(outcome).toMatchObject({ status: 'appended', results: [{ nctId: 'NCT02210780', outcome: 'appended' }] });
  });

  it('refuses bad input with a 400 naming the problem, and keeps the raw input', async () => {
    const response = await fetch(`${system.baseUrl}/snapshots`, {
      method: 'POST',
      body: '{"studies": [{"protocolSection": {}}',
    });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.error).toMatchObject({
      code: 'snapshot.malformed',
      message: expect.stringMatching(/JSON cannot be parsed/),
    });
    const ingestion = (await get(`/ingestions/${body.error.details.ingestionId}`)).body;
    expect(ingestion).toMatchObject({ status: 'rejected', error: { code: 'snapshot.malformed' } });
    const raw = await fetch(`${system.baseUrl}/snapshots/${ingestion.contentSha256}`);
    expect(await raw.text()).toBe('{"studies": [{"protocolSection": {}}');
  });

  it('refuses an observedAt in the future with a 400 naming the field, and allows a minute of clock drift', async () => {
    const response = await fetch(`${system.baseUrl}/snapshots?observedAt=2099-01-01T00:00:00Z`, {
      method: 'POST',
      body: readFileSync(API_V2),
    });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({
      code: 'snapshot.observed-in-future',
      message: expect.stringContaining('observedAt 2099-01-01T00:00:00Z is in the future'),
      details: { field: 'observedAt' },
    });
    const nearlyNow = new Date(Date.now() + 60_000).toISOString();
    const accepted = await fetch(`${system.baseUrl}/snapshots?observedAt=${nearlyNow}&wait=true`, {
      method: 'POST',
      body: readFileSync(API_V2),
    });
    expect(accepted.status).toBe(200);
  });

  it('answers 413 for a snapshot over the size limit, and writes nothing', async () => {
    const ingestionsOf = async (status: string) =>
      ((await get(`/ingestions?status=${status}&limit=500`)).body.ingestions as Json[]).length;
    const before = await Promise.all(['queued', 'rejected', 'appended'].map(ingestionsOf));
    // A trial record of its own, padded past MAX_SNAPSHOT_BYTES (16 MiB) with white space.
    const record = legacyRecord(LEGACY_2018, 'NCT00513599');
    const oversized = Buffer.concat([record, Buffer.alloc(17 * 1024 * 1024, 0x20)]);
    const response = await fetch(`${system.baseUrl}/snapshots?wait=true`, { method: 'POST', body: oversized });
    expect(response.status).toBe(413);
    expect((await json(response)).error.code).toBe('snapshot.too-large');

    expect(await Promise.all(['queued', 'rejected', 'appended'].map(ingestionsOf))).toEqual(before);
    expect((await get('/trials/NCT00513599')).status).toBe(404);
    // The same record within the limit is taken.
    expect((await json(await post(record))).status).toBe('appended');
  });

  it('answers 413 request.too-large for a JSON body over 1 MB, and creates nothing', async () => {
    const postWatchlist = (bytes: number) =>
      fetch(`${system.baseUrl}/watchlists`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `oversized ${'x'.repeat(bytes)}`, nctIds: ['NCT00513591'] }),
      });
    const refused = await postWatchlist(1024 * 1024);
    expect(refused.status).toBe(413);
    expect((await json(refused)).error.code).toBe('request.too-large');
    expect((await get('/watchlists')).body).toEqual([]);
    // Under the cap the body is read, and judged on what it says (a name over 100 characters).
    const read = await postWatchlist(1000 * 1000);
    expect(read.status).toBe(400);
    expect(JSON.stringify(await json(read))).toMatch(/name/);
  });

  it('answers 404 for an unknown trial and 400 for malformed requests', async () => {
    expect(await get('/trials/NCT09999999')).toMatchObject({
      status: 404,
      body: { error: { code: 'trial.not-found' } },
    });
    expect(await get('/trials/NCT09999999/status-history')).toMatchObject({ status: 404 });
    expect(await get('/trials/NCT123/history')).toMatchObject({
      status: 400,
      body: { error: { code: 'trial.invalid-nct-id' } },
    });
    expect(await get('/trials/NCT00513591/history?field=colour')).toMatchObject({ status: 400 });
    expect(await get('/trials/NCT00513591?asOf=2016-13-45')).toMatchObject({ status: 400 });
    expect(await get('/changes?after=yesterday')).toMatchObject({ status: 400 });
    // A NUL character, which no text column can hold, is refused where it stands, never a 500.
    for (const path of ['/trials?text=%00', '/changes?condition=a%00b', '/reports/results-due?sponsor=%00']) {
      expect({ path, ...(await get(path)) }).toMatchObject({
        path,
        status: 400,
        body: { error: { code: 'request.nul-in-text' } },
      });
    }
    const posted = async (path: string, body: unknown) => {
      const response = await fetch(`${system.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await json(response)) as Json };
    };
    expect(
      await posted('/subscriptions', { url: 'http://127.0.0.1:9/hook', filter: { conditions: ['a\u0000b'] } }),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'request.nul-in-text', message: expect.stringContaining('body filter.conditions[0]') } },
    });
    expect(await posted('/watchlists', { name: 'w\u0000', nctIds: ['NCT00513591'] })).toMatchObject({ status: 400 });
    expect((await fetch(`${system.baseUrl}/ui/trials?q=%00`)).status).toBe(400);
    for (const observedAt of ['2024-02-30', '2024-W05', '2024']) {
      const refused = await fetch(`${system.baseUrl}/snapshots?observedAt=${observedAt}`, {
        method: 'POST',
        body: readFileSync(API_V2),
      });
      expect({ observedAt, status: refused.status }).toEqual({ observedAt, status: 400 });
      expect(JSON.stringify(await json(refused))).toContain(
        'observedAt must be an ISO 8601 date or time of a real day',
      );
    }
    // A cursor of the right shape but past what PostgreSQL holds is refused before any query runs.
    const pastTheEnd = '1.99999999999999999999';
    expect(await get(`/changes?after=${pastTheEnd}`)).toMatchObject({
      status: 400,
      body: { error: { code: 'request.invalid-cursor' } },
    });
    const stream = await fetch(`${system.baseUrl}/changes/stream`, { headers: { 'last-event-id': pastTheEnd } });
    expect(stream.status).toBe(400);
    expect((await json(stream)).error.code).toBe('request.invalid-cursor');
    expect(await get('/ingestions/not-a-uuid')).toMatchObject({ status: 400 });
  });

  it('prints the status history from the command line', async () => {
    // A trial of its own: the legacy XML pair, ingested and projected.
    for (const file of [LEGACY_2016, LEGACY_2018])
      expect((await json(await post(legacyRecord(file, 'NCT00513593')))).status).toBe('appended');
    await caughtUp();

    const table = await runCli(['history', 'NCT00513593'], system.environment.env);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/NCT00513593: current status RECRUITING/);
    expect(table.stdout).toMatch(/RECRUITING\s+2016-06-14\s+\(current\)\s+\d+/);
    const asJson = JSON.parse((await runCli(['history', 'nct00513593', '--json'], system.environment.env)).stdout);
    expect(asJson.periods).toHaveLength(1);
    const unknown = await runCli(['history', 'NCT09999999'], system.environment.env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/trial.not-found/);
  });
});

describe('search and the change feed over a database holding only the legacy XML pair and NCT02210780', () => {
  // Search results and the whole change feed are counted: this test has a database of its own.
  let system: System;
  const { post, get, caughtUp } = clientOf(() => system);

  beforeAll(async () => {
    system = await startSystem();
    for (const body of [legacyRecord(LEGACY_2016), legacyRecord(LEGACY_2018), readFileSync(API_V2)])
      expect((await json(await post(body))).status).toBe('appended');
  });

  afterAll(async () => {
    await stopSystem(system);
  });

  it('searches current states and pages the change feed', async () => {
    await caughtUp();
    const search = await get('/trials?status=RECRUITING&condition=lupus');
    expect(search.body.trials.map((trial: { nctId: string }) => trial.nctId)).toEqual(['NCT00513591']);
    expect((await get('/trials?phase=PHASE2')).body.trials.map((trial: { nctId: string }) => trial.nctId)).toEqual([
      'NCT02210780',
    ]);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await get(`/changes?limit=2${cursor ? `&after=${cursor}` : ''}`);
      if (page.body.changes.length === 0) break;
      seen.push(...page.body.changes.map((change: { eventId: string }) => change.eventId));
      cursor = page.body.nextCursor;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const onlyStatusLike = await get('/changes?types=trial.enrollment-updated&nctId=NCT00513591');
    expect(onlyStatusLike.body.changes).toHaveLength(1);
  });
});
