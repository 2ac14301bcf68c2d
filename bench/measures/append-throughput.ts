import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diff, streamIdOf } from '@app/domain';
import { ensureDatabase, EventStore } from '@app/infrastructure';
import { parseApiV2Study } from '@app/registry-formats';
import { createTestEnvironment } from '../../test/support/test-environment.js';
import { BenchEnvironment } from '../lib/environment.js';
import { generateStudy } from '../lib/study-generator.js';

export interface AppendRun {
  events: number;
  /** Emmett's PostgreSQL event store, 8 appenders, one event per stream. */
  emmettPerSecond: number;
  /** trialwatch's store, same workload: 8 appenders, one event per append. */
  singlePerSecond: number;
  /** trialwatch's store appending across streams in one transaction, 500 streams per append, 2 appenders. */
  batchedPerSecond: number;
}

interface BenchEvent {
  streamId: string;
  type: string;
  data: unknown;
}

/** The first event of each generated study: the events a first load appends. */
const registrations = (count: number): BenchEvent[] =>
  Array.from({ length: count }, (_, index) => {
    const facts = parseApiV2Study(generateStudy(index));
    const [registered] = diff(null, facts);
    return { streamId: streamIdOf(facts.nctId), type: registered!.type, data: registered!.data };
  });

const concurrently = async <T>(items: T[], workers: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let item = items[next++]; item !== undefined; item = items[next++]) await work(item);
    }),
  );
};

/** Appends of the same registration events, side by side, each store in a database of its own on the same server. */
export const appendThroughput = async (count: number): Promise<AppendRun> => {
  const events = registrations(count);
  const toNew = (event: BenchEvent) => ({
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    occurredAt: new Date().toISOString(),
  });

  const single = await BenchEnvironment.create();
  let singlePerSecond: number;
  try {
    const store = single.context.get(EventStore);
    const started = performance.now();
    await concurrently(events, 8, async (event) => {
      await store.append(event.streamId, [toNew(event)], 'no-stream');
    });
    singlePerSecond = count / ((performance.now() - started) / 1000);
  } finally {
    await single.close();
  }

  const batched = await BenchEnvironment.create();
  let batchedPerSecond: number;
  try {
    const store = batched.context.get(EventStore);
    const batches = Array.from({ length: Math.ceil(count / 500) }, (_, index) =>
      events.slice(index * 500, index * 500 + 500),
    );
    const started = performance.now();
    await concurrently(batches, 2, async (batch) => {
      await store.appendMany(
        batch.map((event) => ({
          streamId: event.streamId,
          events: [toNew(event)],
          expectedVersion: 'no-stream' as const,
        })),
      );
    });
    batchedPerSecond = count / ((performance.now() - started) / 1000);
  } finally {
    await batched.close();
  }

  const emmettDatabase = await createTestEnvironment({}, { purpose: 'bench' });
  try {
    // Emmett connects to an existing database; trialwatch's own contexts create theirs.
    await ensureDatabase(emmettDatabase.databaseUrl);
    const file = join(tmpdir(), `trialwatch-bench-events-${process.pid}.jsonl`);
    writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n'));
    const emmett = spawnSync(process.execPath, [join(process.cwd(), 'bench', 'emmett', 'append.mjs')], {
      env: {
        ...process.env,
        BENCH_DATABASE_URL: emmettDatabase.databaseUrl,
        BENCH_EVENTS_FILE: file,
        BENCH_APPENDERS: '8',
      },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    if (emmett.status !== 0) throw new Error(`Emmett run failed: ${emmett.stderr}`);
    const { perSecond } = JSON.parse(emmett.stdout) as { perSecond: number };
    return { events: count, emmettPerSecond: perSecond, singlePerSecond, batchedPerSecond };
  } finally {
    await emmettDatabase.teardown();
  }
};
