import { fileURLToPath } from 'node:url';
import { AppProcess, freePort, runAppToExit, runCli, startApi, startWorker } from './support/app-processes.js';
import { databaseUrlThrough, forwarderTo, type TcpForwarder } from './support/tcp-forwarder.js';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.js';

describe('starting before PostgreSQL or Redis accepts connections', () => {
  let environment: TestEnvironment;
  const processes: AppProcess[] = [];
  const forwarders: TcpForwarder[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(async () => {
    await Promise.all(processes.map((app) => app.stop()));
    await Promise.all(forwarders.map((forwarder) => forwarder.close()));
    await environment.teardown();
  });

  it('the api waits for PostgreSQL, saying so as it tries, and serves once it is there', async () => {
    const port = await freePort();
    const forwarder = forwarderTo(environment.databaseUrl, port);
    forwarders.push(forwarder);
    const apiPort = await freePort();
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    const api = new AppProcess('api', {
      ...environment.env,
      DATABASE_URL: databaseUrlThrough(environment.databaseUrl, port),
      DATABASE_STARTUP_WAIT: '60s',
      PORT: String(apiPort),
      PUBLIC_BASE_URL: baseUrl,
    });
    processes.push(api);
    const ready = api.start(/api listening on/);
    // PostgreSQL "starts" only once the api has said, twice, that it cannot reach it yet.
    const retry =
      /"msg":"PostgreSQL cannot be reached yet \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); trying again in \d+ ms"/g;
    const deadline = performance.now() + 30_000;
    while ((api.output.match(retry) ?? []).length < 2) {
      if (performance.now() > deadline) throw new Error(`the api did not say it was waiting:\n${api.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(api.output).not.toMatch(/api listening on/);
    await forwarder.open();
    await ready;
    expect(forwarder.accepted).toBeGreaterThan(0);
    const health = await fetch(`${baseUrl}/health`);
    expect({ status: health.status, body: await health.json() }).toMatchObject({
      status: 200,
      body: { status: 'ok', details: { postgres: { status: 'up' } } },
    });
  });

  it('the api started with PORT=0 says the port the system gave it, and serves there', async () => {
    const api = new AppProcess('api', { ...environment.env, PORT: '0', HOST: '127.0.0.1' });
    processes.push(api);
    await api.start(/api listening on/);
    const port = Number(/api listening on 127\.0\.0\.1:(\d+),/.exec(api.output)?.[1]);
    expect(port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
  });

  it('the api gives up after DATABASE_STARTUP_WAIT and exits 1, naming the wait', async () => {
    const port = await freePort();
    const started = performance.now();
    const failure = await startApi({
      ...environment.env,
      DATABASE_URL: databaseUrlThrough(environment.databaseUrl, port),
      DATABASE_STARTUP_WAIT: '1s',
    }).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/api exited with 1 before it was ready/);
    expect((failure as Error).message).toContain(
      'trialwatch api: database.unavailable: The database (PostgreSQL) could not be reached within 1s (DATABASE_STARTUP_WAIT) (connect ECONNREFUSED',
    );
    expect((failure as Error).message).not.toMatch(/\n\s+at /);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it.each([
    ['api', { PORT: 'abc' }, 'PORT must be an integer from 0 to 65535, got "abc"'],
    ['api', { DATABASE_URL: 'nope' }, 'DATABASE_URL is not a valid URL: "nope"'],
    ['worker', { DATABASE_URL: 'nope' }, 'DATABASE_URL is not a valid URL: "nope"'],
    ['worker', { WORKER_METRICS_PORT: '-1' }, 'WORKER_METRICS_PORT must be an integer from 0 to 65535, got "-1"'],
    [
      'worker',
      { WORKER_METRICS_PORT: '9464', WORKER_METRICS_HOST: '0.0.0.0' },
      "WORKER_METRICS_HOST=0.0.0.0 would serve the worker's metrics to the network without a key: set API_KEYS, or API_OPEN=true to serve them open on purpose",
    ],
  ] as const)(
    'the %s started with %j names the bad setting on stderr, no stack trace, and exits 1',
    async (app, setting, problem) => {
      const run = await runAppToExit(app, { ...environment.env, ...setting });
      expect(run).toEqual({
        status: 1,
        stdout: '',
        stderr: `trialwatch ${app}: config.invalid: Invalid configuration:\n  - ${problem}\n`,
      });
    },
  );

  it('the api and the worker started with a DATABASE_URL PostgreSQL refuses name the setting and exit 1 at once', async () => {
    const url = new URL(environment.databaseUrl);
    url.username = 'no_such_role_here';
    for (const app of ['api', 'worker'] as const) {
      const run = await runAppToExit(app, { ...environment.env, DATABASE_URL: url.toString() });
      expect({ status: run.status, stderr: run.stderr }).toEqual({
        status: 1,
        stderr:
          `trialwatch ${app}: database.cannot-connect: Cannot connect to PostgreSQL with DATABASE_URL ` +
          '(role "no_such_role_here" does not exist)\n',
      });
    }
  });

  it('the worker refuses to start with a DROP_FOLDER it cannot read, naming the folder', async () => {
    for (const [folder, problem] of [
      ['/nonexistent/trialwatch-drop', 'does not exist'],
      [fileURLToPath(import.meta.url), 'is not a folder'],
    ]) {
      const failure = await startWorker({ ...environment.env, DROP_FOLDER: folder! }).catch(
        (error: unknown) => error as Error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(/worker exited with 1 before it was ready/);
      expect((failure as Error).message).toContain(
        `trialwatch worker: config.invalid: Invalid configuration:\n  - DROP_FOLDER ${folder} ${problem}\n`,
      );
      expect((failure as Error).message).not.toMatch(/\n\s+at /);
    }
  });

  it('trialwatch migrate gives up the same way, with the driver error on its last line', async () => {
    const port = await freePort();
    const { status, stderr } = await runCli(['migrate'], {
      ...environment.env,
      DATABASE_URL: databaseUrlThrough(environment.databaseUrl, port),
      DATABASE_STARTUP_WAIT: '1s',
    });
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /PostgreSQL cannot be reached yet \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); trying again in 250 ms/,
    );
    expect(stderr.trim().split('\n').at(-1)).toMatch(
      /^trialwatch: database\.unavailable: The database \(PostgreSQL\) could not be reached within 1s \(DATABASE_STARTUP_WAIT\) \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
    );
  });

  it('the worker waits for Redis with one log line, not a stack trace for every retry, and starts once it is there', async () => {
    const port = await freePort();
    const forwarder = forwarderTo(environment.env['REDIS_URL']!, port);
    forwarders.push(forwarder);
    const worker = new AppProcess('worker', { ...environment.env, REDIS_URL: `redis://127.0.0.1:${port}` });
    processes.push(worker);
    const started = worker.start(/worker started/);
    const line =
      /"context":"Redis","msg":"Redis: connect ECONNREFUSED 127\.0\.0\.1:\d+ \((queue|worker) [a-z]+\); queued work waits and BullMQ reconnects until Redis is back"/;
    const deadline = performance.now() + 30_000;
    while (!line.test(worker.output)) {
      if (performance.now() > deadline) throw new Error(`the worker did not say Redis was away:\n${worker.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Its queues and workers retry several times a second; in the next 2 s no other line, and no bare error.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(worker.output.match(new RegExp(line.source, 'g'))).toHaveLength(1);
    expect(worker.output).not.toMatch(/ECONNREFUSED[^\n]*\n\s+at /);
    expect(worker.output).not.toMatch(/worker started/);
    await forwarder.open();
    await started;
    expect(forwarder.accepted).toBeGreaterThan(0);
  });

  it('the api starts without Redis: /health answers 503 naming Redis as down, then 200 once it is there', async () => {
    const port = await freePort();
    const forwarder = forwarderTo(environment.env['REDIS_URL']!, port);
    forwarders.push(forwarder);
    const { api, baseUrl } = await startApi({ ...environment.env, REDIS_URL: `redis://127.0.0.1:${port}` });
    processes.push(api);
    const down = await fetch(`${baseUrl}/health`);
    expect({ status: down.status, body: await down.json() }).toMatchObject({
      status: 503,
      body: {
        status: 'error',
        error: { redis: { status: 'down', message: expect.any(String) } },
        details: { postgres: { status: 'up' }, redis: { status: 'down' } },
      },
    });
    await forwarder.open();
    const deadline = performance.now() + 30_000;
    let health = await fetch(`${baseUrl}/health`);
    while (health.status !== 200 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      health = await fetch(`${baseUrl}/health`);
    }
    expect({ status: health.status, body: await health.json() }).toMatchObject({
      status: 200,
      body: { status: 'ok', details: { redis: { status: 'up' } } },
    });
  });
});
