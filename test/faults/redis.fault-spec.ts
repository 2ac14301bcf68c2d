import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { FaultRun, trials } from './fault-harness.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Starts Redis the way CI does (no persistence: a restart forgets every key). */
const startRedis = () =>
  execFileSync('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    '6379',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);

describe('fault: Redis loses everything', () => {
  let run: FaultRun;

  afterEach(() => run.stop());

  it('recovers from FLUSHALL mid-run', async () => {
    run = new FaultRun('Redis FLUSHALL mid-run');
    await run.start();
    const redis = new Redis(REDIS_URL);
    await run.ingest(trials('0911', 5), 0, 12, 2, async (posted) => {
      if (posted === 20 || posted === 40) {
        await redis.flushall();
        run.faults += 1;
      }
    });
    redis.disconnect();
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
  });

  it('recovers from Redis stopped for 10 seconds and restarted empty', async () => {
    run = new FaultRun('Redis stopped for 10 s and restarted');
    await run.start();
    await run.ingest(trials('0912', 4), 0, 5, 2);
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.shutdown('NOSAVE').catch(() => undefined);
    redis.disconnect();
    run.faults += 1;
    const stoppedAt = Date.now();
    // Snapshots keep arriving: the api stores them (PostgreSQL is up) and says so.
    await run.ingest(trials('0912', 4), 5, 3, 2);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - stoppedAt))));
    startRedis();
    await run.ingest(trials('0912', 4), 8, 4, 2);
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
    expect(run.refused).toBe(0);
  });
});
