import { readFileSync } from 'node:fs';
import { type AppProcess, freePort, startApi, startWorker } from './support/app-processes.js';
import { fixturePath } from './support/fixtures.js';
import { json } from './support/http.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';

const ADMIN_KEY = 'admin-key-0123456789abcdef';
const READ_KEY = 'read-key-0123456789abcdef';
/** An admin key of its own for the rate-limit test: the limit counts per client, and a key is a client. */
const LIMITED_KEY = 'limited-key-0123456789abcdef';

describe('API keys, request limits, health and metrics', () => {
  let environment: TestEnvironment;
  let api: AppProcess;
  let worker: AppProcess;
  let baseUrl: string;
  let workerMetricsPort: number;

  const call = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...init.headers },
    });
  const snapshot = readFileSync(fixturePath('ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml'));

  beforeAll(async () => {
    environment = await createTestEnvironment();
    workerMetricsPort = await freePort();
    const env = {
      ...environment.env,
      LOG_LEVEL: 'info',
      API_KEYS: `admin:${ADMIN_KEY},ci:read:${READ_KEY},limited:admin:${LIMITED_KEY}`,
      SNAPSHOT_RATE_LIMIT_PER_MINUTE: '4',
      WORKER_METRICS_PORT: String(workerMetricsPort),
    };
    ({ api, baseUrl } = await startApi(env));
    worker = await startWorker(env);
    // Every test may rely on one trial (NCT00513591) ingested by the worker; later posts of the same
    // file change nothing.
    const ingested = await call('/snapshots?wait=true', { method: 'POST', body: snapshot, key: ADMIN_KEY });
    expect(ingested.status).toBe(200);
    expect((await json(ingested)).status).toBe('appended');
  });

  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await environment?.teardown();
  });

  it('requires a key, any key to read and an admin key to write', async () => {
    const missing = await call('/trials');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await json(missing)).error.code).toBe('auth.api-key-missing');
    expect((await json(await call('/trials', { key: 'not-a-key-at-all-000' }))).error.code).toBe(
      'auth.api-key-invalid',
    );
    expect((await call('/trials', { key: READ_KEY })).status).toBe(200);
    expect((await call('/trials', { headers: { 'x-api-key': READ_KEY } })).status).toBe(200);
    expect((await call(`/trials?api_key=${READ_KEY}`)).status).toBe(200);

    const readOnly = await call('/snapshots', { method: 'POST', body: snapshot, key: READ_KEY });
    expect(readOnly.status).toBe(403);
    expect((await json(readOnly)).error.code).toBe('auth.insufficient-scope');
    expect((await call('/snapshots?wait=true', { method: 'POST', body: snapshot, key: ADMIN_KEY })).status).toBe(200);
  });

  it('lets a browser use the web pages after opening one with ?api_key=, for reading only', async () => {
    const first = await call(`/ui?api_key=${READ_KEY}`);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^trialwatch_api_key=/);
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await call('/ui/trials/NCT00513591', { headers: { cookie } })).status).toBe(200);
    expect((await call('/ui')).status).toBe(401);
    // Every page, and the reports' CSV downloads, answer the cookie alone.
    for (const path of [
      '/ui/trials?q=duke',
      '/ui/trials/NCT00513591/compare?from=1&to=1',
      '/ui/reports/results-due',
      '/ui/reports/results-due.csv',
      '/ui/reports/hygiene',
      '/ui/reports/hygiene.csv',
      '/ui/reports/outcome-switching',
      '/ui/reports/outcome-switching.csv',
      '/ui/watchlists',
    ]) {
      expect({ path, status: (await call(path, { headers: { cookie } })).status }).toEqual({ path, status: 200 });
      expect({ path, status: (await call(path)).status }).toEqual({ path, status: 401 });
    }
    const forged = await call('/snapshots', {
      method: 'POST',
      body: snapshot,
      headers: { cookie: `trialwatch_api_key=${ADMIN_KEY}` },
    });
    expect(forged.status).toBe(401);
  });

  it('answers health without a key with its status alone; its details and the metrics need a key', async () => {
    const open = await call('/health');
    expect(open.status).toBe(200);
    expect(await json(open)).toEqual({ status: 'ok' });
    expect((await call('/health', { key: 'not-a-key-at-all-000' })).status).toBe(401);

    const health = await call('/health', { key: READ_KEY });
    expect(health.status).toBe(200);
    expect(await json(health)).toMatchObject({
      status: 'ok',
      details: {
        postgres: { status: 'up' },
        redis: { status: 'up' },
        projections: { status: 'up', lag: { 'current-state': { events: 0 } } },
        transactions: { status: 'up', projectionsHeldSeconds: expect.any(Number) },
      },
    });

    const refused = await call('/metrics');
    expect(refused.status).toBe(401);
    expect((await json(refused)).error.code).toBe('auth.api-key-missing');
    const metrics = await (await call('/metrics', { key: READ_KEY })).text();
    expect(metrics).toMatch(/trialwatch_snapshots_received_total\{outcome="queued"\} \d+/);
    expect(metrics).toMatch(/trialwatch_projection_lag_events\{projection="current-state"\} \d+/);
    expect(metrics).toMatch(/trialwatch_projections_held_seconds \d/);
    expect(metrics).toMatch(/trialwatch_queue_jobs\{queue="ingest",state="waiting"\} \d+/);
  });

  it("times the api's requests by route template in /metrics, with buckets from half a millisecond", async () => {
    const histogram = 'trialwatch_http_request_duration_seconds';
    const series = `method="GET",route="/trials/:nctId",status="200"`;
    const countOf = (metrics: string): number =>
      Number(
        new RegExp(`^${histogram}_count\\{${series.replace(/[/:]/g, '\\$&')}\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0,
      );
    const before = countOf(await (await call('/metrics', { key: READ_KEY })).text());
    expect((await call('/trials/NCT00513591', { key: READ_KEY })).status).toBe(200);
    expect((await call('/no-such-route/NCT00513591', { key: READ_KEY })).status).toBe(404);
    const after = await (await call('/metrics', { key: READ_KEY })).text();
    expect(countOf(after)).toBe(before + 1);
    expect(after).toContain(`${histogram}_bucket{le="0.0005",${series}}`);
    // The template, not the raw URL: one series per route, whichever trial was asked for.
    expect(after.split('\n').filter((line) => line.startsWith(histogram) && line.includes('NCT00513591'))).toEqual([]);
    expect(after).toMatch(
      new RegExp(`^${histogram}_count\\{method="GET",route="unmatched",status="404"\\} [1-9]\\d*$`, 'm'),
    );
  });

  it('serves the worker metrics to a key: ingestions, events appended', async () => {
    const workerMetrics = `http://127.0.0.1:${workerMetricsPort}/metrics`;
    expect((await fetch(workerMetrics)).status).toBe(401);
    expect((await fetch(workerMetrics, { headers: { authorization: 'Bearer not-a-key-at-all-000' } })).status).toBe(
      401,
    );
    const text = await eventually(async () => {
      const body = await (await fetch(workerMetrics, { headers: { 'x-api-key': READ_KEY } })).text();
      return /trialwatch_events_appended_total\{type="trial.registered"\} 1/.test(body) && body;
    });
    expect(text).toMatch(/trialwatch_ingestions_total\{status="appended"\} 1/);
  });

  it('limits the rate of POST /snapshots per client, saying when to retry', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i += 1) {
      const response = await call('/snapshots', { method: 'POST', body: snapshot, key: LIMITED_KEY });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    // A client of its own (no other test posts with this key): four pass, then the bucket is empty.
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('never writes API keys into its logs', async () => {
    // A key in every place a client may put one (the admin key was used in beforeAll).
    await call('/trials', { key: READ_KEY });
    await call('/trials', { headers: { 'x-api-key': READ_KEY } });
    await call('/ui', { headers: { cookie: `trialwatch_api_key=${READ_KEY}` } });
    await call(`/trials?api_key=${READ_KEY}`);
    // The api reads the parameter's name decoded, as URLSearchParams does: so must the redaction.
    expect((await call(`/trials?%61pi_key=${READ_KEY}`)).status).toBe(200);
    expect((await call(`/trials?api%5Fkey=${READ_KEY}`)).status).toBe(200);
    await eventually(async () => api.output.includes('api%5Fkey=[redacted]'));
    expect(api.output).toContain('%61pi_key=[redacted]');
    expect(api.output).not.toContain(READ_KEY);
    expect(api.output).not.toContain(ADMIN_KEY);
    expect(worker.output).not.toContain(ADMIN_KEY);
  });
});
