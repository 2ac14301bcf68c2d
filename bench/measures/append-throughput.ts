import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { diff, streamIdOf } from '@app/domain';
import { ensureDatabase, EventStore, type NewEvent } from '@app/infrastructure';
import { parseApiV2Study } from '@app/registry-formats';
import { createTestEnvironment } from '../../test/support/test-environment.js';
import { BenchEnvironment } from '../lib/environment.js';
import { generateStudy } from '../lib/study-generator.js';

/**
 * Three comparisons, each like with like, on the same registration events (about 32 KB each):
 *
 * - single-event appends: one event per append, 8 appenders, trialwatch and Emmett; once with the
 *   registrations and once with small change events;
 * - multi-event appends: ten events to one stream per append, 8 appenders, trialwatch and Emmett;
 * - bulk appends: trialwatch's `appendMany` (500 streams per transaction, 2 appenders) against what
 *   PostgreSQL itself does with the same rows in the same batches on a copy of the `events` table
 *   (same columns, indexes and defaults): a multi-row INSERT and `COPY`.
 *
 * The ratios are computed within each run, so a slow minute on a shared machine moves both sides.
 */
export interface AppendRun {
  events: number;
  single: { trialwatchPerSecond: number; emmettPerSecond: number; ratio: number };
  /** The same, with small change events (a status move, a date slip: a few hundred bytes) instead of registrations. */
  singleSmall: { trialwatchPerSecond: number; emmettPerSecond: number; ratio: number };
  multi: { eventsPerAppend: number; trialwatchPerSecond: number; emmettPerSecond: number; ratio: number };
  bulk: {
    trialwatchPerSecond: number;
    insertPerSecond: number;
    copyPerSecond: number;
    /** trialwatch's bulk rows/s as a share of COPY's, in per cent. */
    percentOfCopy: number;
    percentOfInsert: number;
  };
}

interface BenchEvent {
  streamId: string;
  type: string;
  data: unknown;
}

const APPENDERS = 8;
const EVENTS_PER_MULTI_APPEND = 10;
const BULK_BATCH = 500;
const BULK_APPENDERS = 2;

/** The first event of each generated study: the events a first load appends. */
const registrations = (count: number): BenchEvent[] =>
  Array.from({ length: count }, (_, index) => {
    const facts = parseApiV2Study(generateStudy(index));
    const [registered] = diff(null, facts);
    return { streamId: streamIdOf(facts.nctId), type: registered!.type, data: registered!.data };
  });

/** Small change events, as most of a trial's history is: status moves, date slips, enrollment updates. */
const changes = (count: number): BenchEvent[] =>
  Array.from({ length: count }, (_, index) => {
    const streamId = `${streamIdOf(`NCT${String(20_000_000 + index).padStart(8, '0')}`)}`;
    switch (index % 3) {
      case 0:
        return {
          streamId,
          type: 'trial.overall-status-changed',
          data: { from: 'RECRUITING', to: 'ACTIVE_NOT_RECRUITING', whyStopped: null, lastKnownStatus: null },
        };
      case 1:
        return {
          streamId,
          type: 'trial.primary-completion-date-changed',
          data: {
            from: { date: '2026-03', type: 'ESTIMATED' },
            to: { date: `2026-${String(4 + (index % 9)).padStart(2, '0')}`, type: 'ESTIMATED' },
          },
        };
      default:
        return {
          streamId,
          type: 'trial.enrollment-updated',
          data: { from: { count: 120, type: 'ESTIMATED' }, to: { count: 120 + (index % 50), type: 'ACTUAL' } },
        };
    }
  });

const concurrently = async <T>(items: T[], workers: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let item = items[next++]; item !== undefined; item = items[next++]) await work(item);
    }),
  );
};

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, index * size + size));

const toNew = (event: BenchEvent): NewEvent => ({
  type: event.type,
  schemaVersion: 1,
  data: event.data,
  occurredAt: new Date().toISOString(),
});

const timed = async (count: number, work: () => Promise<void>): Promise<number> => {
  const started = performance.now();
  await work();
  return count / ((performance.now() - started) / 1000);
};

/** Emmett's store appending `events` (a stream's events next to each other, one call per stream), in a database of its own. */
const emmettPerSecond = async (events: BenchEvent[]): Promise<number> => {
  const database = await createTestEnvironment({}, { purpose: 'bench' });
  try {
    // Emmett connects to an existing database; trialwatch's own contexts create theirs.
    await ensureDatabase(database.databaseUrl);
    const file = join(tmpdir(), `trialwatch-bench-events-${process.pid}.jsonl`);
    writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n'));
    const emmett = spawnSync(process.execPath, [join(process.cwd(), 'bench', 'emmett', 'append.mjs')], {
      env: {
        ...process.env,
        BENCH_DATABASE_URL: database.databaseUrl,
        BENCH_EVENTS_FILE: file,
        BENCH_APPENDERS: String(APPENDERS),
      },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    if (emmett.status !== 0) throw new Error(`Emmett run failed: ${emmett.stderr}`);
    return (JSON.parse(emmett.stdout) as { perSecond: number }).perSecond;
  } finally {
    await database.teardown();
  }
};

/** trialwatch's store, in a fresh database, doing `work`. */
const withStore = async <T>(work: (store: EventStore, databaseUrl: string) => Promise<T>): Promise<T> => {
  const bench = await BenchEnvironment.create();
  try {
    return await work(bench.context.get(EventStore), bench.environment.databaseUrl);
  } finally {
    await bench.close();
  }
};

const EVENT_COLUMNS = [
  'stream_id',
  'stream_version',
  'event_id',
  'type',
  'schema_version',
  'data',
  'metadata',
  'occurred_at',
];

/** The rows the event store writes for these events, as text values (what travels on the wire either way). */
const eventRows = (events: BenchEvent[]): string[][] =>
  events.map((event) => [
    event.streamId,
    '1',
    randomUUID(),
    event.type,
    '1',
    JSON.stringify(event.data),
    JSON.stringify({}),
    new Date().toISOString(),
  ]);

/** COPY's text format: a backslash is the only character JSON text and ids carry that needs escaping. */
const copyLine = (row: string[]): string => `${row.map((value) => value.replace(/\\/g, '\\\\')).join('\t')}\n`;

/** PostgreSQL on its own: the same rows in the same batches, into a copy of the `events` table. */
const baselines = async (databaseUrl: string, events: BenchEvent[]): Promise<{ insert: number; copy: number }> => {
  const clients = await Promise.all(
    Array.from({ length: BULK_APPENDERS }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  try {
    for (const table of ['baseline_insert', 'baseline_copy'])
      await clients[0]!.query(`CREATE TABLE ${table} (LIKE events INCLUDING ALL)`);
    const batches = chunks(eventRows(events), BULK_BATCH);
    const inBatches = async (work: (client: pg.Client, batch: string[][]) => Promise<void>) => {
      let next = 0;
      await Promise.all(
        clients.map(async (client) => {
          for (let batch = batches[next++]; batch; batch = batches[next++]) {
            await client.query('BEGIN');
            await work(client, batch);
            await client.query('COMMIT');
          }
        }),
      );
    };
    const width = EVENT_COLUMNS.length;
    const types = ['text', 'int', 'uuid', 'text', 'int', 'jsonb', 'jsonb', 'timestamptz'];
    const insert = await timed(events.length, () =>
      inBatches(async (client, batch) => {
        const placeholders = batch
          .map((_, row) => `(${types.map((type, column) => `$${row * width + column + 1}::${type}`).join(', ')})`)
          .join(', ');
        await client.query(
          `INSERT INTO baseline_insert (${EVENT_COLUMNS.join(', ')}) VALUES ${placeholders}`,
          batch.flat(),
        );
      }),
    );
    const copy = await timed(events.length, () =>
      inBatches(async (client, batch) => {
        const stream = client.query(copyFrom(`COPY baseline_copy (${EVENT_COLUMNS.join(', ')}) FROM STDIN`));
        await pipeline(Readable.from(batch.map(copyLine)), stream);
      }),
    );
    const [{ count }] = (await clients[0]!.query('SELECT count(*)::int AS count FROM baseline_copy')).rows as [
      { count: number },
    ];
    if (count !== events.length) throw new Error(`COPY wrote ${count} rows of ${events.length}`);
    return { insert, copy };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
};

export const appendThroughput = async (count: number): Promise<AppendRun> => {
  const events = registrations(count);

  const singleTrialwatch = await withStore((store) =>
    timed(count, () =>
      concurrently(events, APPENDERS, async (event) => {
        await store.append(event.streamId, [toNew(event)], 'no-stream');
      }),
    ),
  );
  const singleEmmett = await emmettPerSecond(events);

  const small = changes(count);
  const singleSmallTrialwatch = await withStore((store) =>
    timed(count, () =>
      concurrently(small, APPENDERS, async (event) => {
        await store.append(event.streamId, [toNew(event)], 'no-stream');
      }),
    ),
  );
  const singleSmallEmmett = await emmettPerSecond(small);

  // The same events, ten to a stream.
  const multiEvents = events.map((event, index) => ({
    ...event,
    streamId: `${events[index - (index % EVENTS_PER_MULTI_APPEND)]!.streamId}-multi`,
  }));
  const multiStreams = chunks(multiEvents, EVENTS_PER_MULTI_APPEND);
  const multiTrialwatch = await withStore((store) =>
    timed(count, () =>
      concurrently(multiStreams, APPENDERS, async (stream) => {
        await store.append(stream[0]!.streamId, stream.map(toNew), 'no-stream');
      }),
    ),
  );
  const multiEmmett = await emmettPerSecond(multiEvents);

  const bulk = await withStore(async (store, databaseUrl) => {
    const trialwatch = await timed(count, () =>
      concurrently(chunks(events, BULK_BATCH), BULK_APPENDERS, async (batch) => {
        await store.appendMany(
          batch.map((event) => ({
            streamId: event.streamId,
            events: [toNew(event)],
            expectedVersion: 'no-stream' as const,
          })),
        );
      }),
    );
    return { trialwatch, ...(await baselines(databaseUrl, events)) };
  });

  const percent = (value: number) => Math.round(value * 1000) / 10;
  return {
    events: count,
    single: {
      trialwatchPerSecond: singleTrialwatch,
      emmettPerSecond: singleEmmett,
      ratio: singleTrialwatch / singleEmmett,
    },
    singleSmall: {
      trialwatchPerSecond: singleSmallTrialwatch,
      emmettPerSecond: singleSmallEmmett,
      ratio: singleSmallTrialwatch / singleSmallEmmett,
    },
    multi: {
      eventsPerAppend: EVENTS_PER_MULTI_APPEND,
      trialwatchPerSecond: multiTrialwatch,
      emmettPerSecond: multiEmmett,
      ratio: multiTrialwatch / multiEmmett,
    },
    bulk: {
      trialwatchPerSecond: bulk.trialwatch,
      insertPerSecond: bulk.insert,
      copyPerSecond: bulk.copy,
      percentOfCopy: percent(bulk.trialwatch / bulk.copy),
      percentOfInsert: percent(bulk.trialwatch / bulk.insert),
    },
  };
};
