import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type AppProcess, runCli, startApi, startWorker } from './support/app-processes.js';
import { json } from './support/http.js';
import { DatabaseProbe } from './support/database-probe.js';
import { flushPrefix } from './support/redis-probe.js';
import { studyVersion } from './support/study-versions.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';

/**
 * Jobs in Redis are only wake-ups: with Redis wiped or the worker killed between append and
 * projection, every accepted snapshot is still ingested and every event projected exactly once.
 */
describe('read models recover from a lost queue and a killed worker', () => {
  // Each test has a database, Redis prefix and api of its own: one wipes every job in Redis, the
  // other leaves workers behind, and both check the whole event store against a rebuild.
  let environment: TestEnvironment;
  let env: Record<string, string>;
  let api: AppProcess;
  let baseUrl: string;
  let probe: DatabaseProbe;
  let workers: AppProcess[] = [];

  const post = async (content: string) => {
    const response = await fetch(`${baseUrl}/snapshots`, { method: 'POST', body: content });
    expect(response.status).toBe(202);
    return (await json(response)).ingestionId as string;
  };

  /** Ingested, projected, and each projected exactly once: equal to a rebuild from the event store. */
  const expectConverged = async (ingestionIds: string[]) => {
    await eventually(
      async () =>
        (await probe.count(`SELECT count(*) FROM ingestions WHERE id = ANY($1) AND status = 'queued'`, [
          ingestionIds,
        ])) === 0,
      60_000,
    );
    await eventually(async () => {
      const events = await probe.count('SELECT count(*) FROM events');
      if (events === 0 || (await probe.count('SELECT count(*) FROM change_feed')) !== events) return false;
      // Every projection, not only the change feed, has applied the newest event.
      const behind = await probe.count(
        `SELECT count(*) FROM projection_checkpoints c
         WHERE (c.transaction_id, c.global_position) < (SELECT transaction_id, global_position FROM events
                                                       ORDER BY transaction_id DESC, global_position DESC LIMIT 1)`,
      );
      return behind === 0;
    }, 60_000);
    expect(
      await probe.count(`SELECT count(*) FROM ingestions WHERE id = ANY($1) AND status IN ('failed', 'rejected')`, [
        ingestionIds,
      ]),
    ).toBe(0);
    const live = await probe.readModels();
    const rebuild = await runCli(['projections', 'rebuild'], env);
    expect(rebuild.status).toBe(0);
    expect(await probe.readModels()).toEqual(live);
    expect(
      await probe.count(
        'SELECT count(*) FROM (SELECT event_id FROM change_feed GROUP BY event_id HAVING count(*) > 1) d',
      ),
    ).toBe(0);
  };

  beforeEach(async () => {
    workers = [];
    environment = await createTestEnvironment();
    env = { ...environment.env, INGEST_SWEEP_AFTER_MS: '1000', PROJECTION_WAKE_INTERVAL_MS: '500' };
    ({ api, baseUrl } = await startApi(env));
    probe = new DatabaseProbe(environment.databaseUrl);
  });

  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    await api?.stop();
    await probe?.close();
    await environment?.teardown();
  });

  it('ingests and projects everything after Redis lost every job', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) ids.push(await post(studyVersion(i, `NCT000005${String(i % 5).padStart(2, '0')}`)));
    expect(await flushPrefix(environment.env.REDIS_URL!, environment.redisPrefix)).toBeGreaterThan(0);

    workers.push(await startWorker(env));
    await expectConverged(ids);
    expect(await probe.count(`SELECT count(*) FROM trial_current_state`)).toBe(5);
  });

  it('projects everything from the wake-ups and schedules an earlier version left per projection, then keeps one schedule per catch-up unit', async () => {
    const connection = new Redis(environment.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const queue = new Queue('projections', { connection, prefix: environment.redisPrefix });
    try {
      await queue.upsertJobScheduler(
        'wake:current-state',
        { every: 60_000 },
        { name: 'current-state', data: { projection: 'current-state' } },
      );
      const ids: string[] = [];
      for (let i = 0; i < 10; i += 1)
        ids.push(await post(studyVersion(200 + i, `NCT000007${String(i % 5).padStart(2, '0')}`)));
      await queue.add('change-feed', { projection: 'change-feed' });

      workers.push(await startWorker(env));
      await expectConverged(ids);
      await eventually(async () => {
        const schedules = (await queue.getJobSchedulers()).map((schedule) => schedule.key).sort();
        return JSON.stringify(schedules) === JSON.stringify(['wake:event-data-readers', 'wake:status-history']);
      });
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('projects events that a transaction writing no events held back as soon as it ends, not at the next scheduled wake-up', async () => {
    // Scheduled wake-ups ten minutes apart: only the wake-up queued after the append can project the events.
    workers.push(await startWorker({ ...env, PROJECTION_WAKE_INTERVAL_MS: '600000' }));
    const tracked = async (nctId: string) =>
      (await probe.count('SELECT count(*) FROM trial_current_state WHERE nct_id = $1', [nctId])) === 1;
    await post(studyVersion(300, 'NCT00000801'));
    await eventually(() => tracked('NCT00000801'), 30_000);

    // A transaction of the same database that started before the next append and writes no event (as a
    // webhook delivery's record does): readers of the global order stop before it while it is open.
    const holder = new pg.Client({ connectionString: environment.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      const held = await post(studyVersion(301, 'NCT00000802'));
      await eventually(
        async () =>
          (await probe.count(`SELECT count(*) FROM ingestions WHERE id = $1 AND status = 'appended'`, [held])) === 1,
        30_000,
      );
      await sleep(300);
      expect(await tracked('NCT00000802')).toBe(false);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await eventually(() => tracked('NCT00000802'), 10_000);
  });

  it('ingests and projects everything after the worker was killed with SIGKILL mid-run, three times', async () => {
    const ids: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      const worker = await startWorker(env);
      workers.push(worker);
      for (let i = 0; i < 15; i += 1)
        ids.push(await post(studyVersion(100 + round * 15 + i, `NCT000006${String(i % 5).padStart(2, '0')}`)));
      await eventually(async () => (await probe.count('SELECT count(*) FROM events')) > 0);
      await worker.stop('SIGKILL');
    }
    workers.push(await startWorker(env));
    await expectConverged(ids);
  });
});
