import { type AppProcess, runCli, startApi, startWorker } from './support/app-processes.js';
import { DatabaseProbe } from './support/database-probe.js';
import { json } from './support/http.js';
import { RedisCluster } from './support/redis-cluster.js';
import { studyVersion } from './support/study-versions.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';

const TRIALS = ['NCT09510000', 'NCT09510001', 'NCT09510002', 'NCT09510003', 'NCT09510004'];
const VERSIONS = 6;

/**
 * More than one machine on existing engines: two api and three worker processes sharing one
 * PostgreSQL database and a three-master Redis Cluster (REDIS_CLUSTER_NODES) ingest and project
 * every snapshot once.
 */
describe('two apis and three workers on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let environment: TestEnvironment;
  let env: Record<string, string>;
  let probe: DatabaseProbe;
  const apis: { api: AppProcess; baseUrl: string }[] = [];
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    cluster = await RedisCluster.start();
    environment = await createTestEnvironment();
    env = { ...environment.env, REDIS_CLUSTER_NODES: cluster.nodesSetting, PROJECTION_WAKE_INTERVAL_MS: '300' };
    // One at a time: the first api applies the migrations, and five processes starting at once on a
    // busy machine each take longer than a start is given.
    apis.push(await startApi(env));
    apis.push(await startApi(env));
    for (let index = 0; index < 3; index += 1) workers.push(await startWorker(env));
    probe = new DatabaseProbe(environment.databaseUrl);
    // A cluster and five processes starting on a busy 2-core machine can take minutes.
  }, 300_000);

  afterAll(async () => {
    await Promise.all([...apis.map(({ api }) => api.stop()), ...workers.map((worker) => worker.stop())]);
    await probe?.close();
    await environment?.teardown();
    await cluster?.stop();
  });

  it('ingests through either api, projects once, and keeps each queue in a hash slot of its own', async () => {
    const ingestionIds: string[] = [];
    let next = 0;
    for (let version = 0; version < VERSIONS; version += 1) {
      for (const nctId of TRIALS) {
        const { baseUrl } = apis[next++ % apis.length]!;
        const response = await fetch(`${baseUrl}/snapshots`, { method: 'POST', body: studyVersion(version, nctId) });
        expect(response.status).toBe(202);
        ingestionIds.push((await json(response)).ingestionId);
      }
    }

    await eventually(
      async () =>
        (await probe.count(`SELECT count(*) FROM ingestions WHERE id = ANY($1) AND status = 'queued'`, [
          ingestionIds,
        ])) === 0,
      60_000,
      100,
    );
    expect(
      await probe.count(
        `SELECT count(*) FROM ingestions WHERE id = ANY($1) AND status NOT IN ('appended', 'learned', 'stale')`,
        [ingestionIds],
      ),
    ).toBe(0);
    await eventually(
      async () => {
        const events = await probe.count('SELECT count(*) FROM events');
        return events > 0 && (await probe.count('SELECT count(*) FROM change_feed')) === events;
      },
      60_000,
      100,
    );

    // Every trial holds its newest version, as each api serves it.
    for (const { baseUrl } of apis) {
      for (const nctId of TRIALS) {
        const trial = await json(await fetch(`${baseUrl}/trials/${nctId}`));
        expect(trial.state.enrollment).toMatchObject({ count: 10 + VERSIONS - 1 });
      }
    }

    // The read models equal a rebuild from the event store (the command line on the cluster too).
    const live = await probe.readModels();
    const rebuild = await runCli(['projections', 'rebuild'], env);
    expect(rebuild.stderr).toBe('');
    expect(rebuild.status).toBe(0);
    expect(await probe.readModels()).toEqual(live);

    // Queues and the snapshot rate limit live on the cluster, each queue in a hash slot of its own.
    const found = await cluster.keys(`*${environment.redisPrefix}*`);
    const keys = found.map(({ key }) => key);
    for (const queue of ['ingest', 'projections', 'maintenance']) {
      expect(keys.some((key) => key.startsWith(`{${environment.redisPrefix}:${queue}}:${queue}:`))).toBe(true);
    }
    expect(keys.every((key) => key.startsWith('{') || key.startsWith(`${environment.redisPrefix}:rate-limit:`))).toBe(
      true,
    );
    expect(keys.some((key) => key.startsWith(`${environment.redisPrefix}:rate-limit:snapshots`))).toBe(true);
    expect(new Set(found.map(({ port }) => port)).size).toBeGreaterThanOrEqual(2);
  });
});
