import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import { Database, InfrastructureModule, Metrics } from '@app/infrastructure';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import {
  createTestEnvironment,
  eventually,
  type TestEnvironment,
} from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand } from '../accept-snapshot/accept-snapshot.command.js';
import { IngestSnapshotsCommand } from '../bulk-ingest/ingest-snapshots.command.js';
import { IngestQueue } from '../ingest-queue.js';
import type { Ingestion } from '../ingestion.js';
import { IngestionWorkerModule } from '../ingestion.module.js';
import { CountIngestionsQuery, ListIngestionsQuery } from '../list-ingestions/list-ingestions.query.js';
import { RetryIngestionCommand } from '../retry-ingestion/retry-ingestion.command.js';
import { SnapshotStore } from '../snapshot-store.js';
import { IngestionHousekeepingProcessor } from '../housekeeping.processor.js';
import { IngestionSweeper } from './ingestion-sweeper.js';
import { ProcessIngestionCommand } from './process-ingestion.command.js';

const MAX_ATTEMPTS = 3;

/**
 * Ingestions that cannot be processed, with a real BullMQ worker on Redis and PostgreSQL. The poison:
 * a snapshot of a trial whose stream holds an event this version cannot read (as if written by a newer
 * trialwatch), which every attempt refuses with `event.unreadable`.
 */
describe('failed ingestions against PostgreSQL and Redis', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;
  let queries: QueryBus;
  let database: Database;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    module = await Test.createTestingModule({
      imports: [
        InfrastructureModule.forRoot({
          ...environment.config,
          ingestMaxAttempts: MAX_ATTEMPTS,
          ingestRetryBackoffMs: 1000,
          // One job at a time: a poison job that held its slot, or came back first, would starve the rest.
          ingestConcurrency: 1,
          ingestSweepAfterMs: 100,
        }),
        CqrsModule.forRoot(),
        IngestionWorkerModule,
      ],
    }).compile();
    await module.init();
    commands = module.get(CommandBus);
    queries = module.get(QueryBus);
    database = module.get(Database);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  const accept = async (content: string, enqueue = true): Promise<string> =>
    (
      await commands.execute(
        new AcceptSnapshotCommand({ content: Buffer.from(content), mediaType: null, source: 'test' }, enqueue),
      )
    ).ingestionId;
  const ingestion = (id: string): Promise<Ingestion> => module.get(SnapshotStore).get(id);

  /** Registers the trial, then marks its stream's events as written in a schema version this one cannot read. */
  const makeUnreadable = async (nctId: string): Promise<void> => {
    await commands.execute(
      new IngestSnapshotsCommand([{ content: Buffer.from(studyVersion(0, nctId)), mediaType: null, source: 'test' }]),
    );
    await database.execute(`UPDATE events SET schema_version = 99 WHERE stream_id = $1`, [`trial-${nctId}`]);
  };

  it('processes every good ingestion while a poison one retries behind them, then ends it failed with its error', async () => {
    await makeUnreadable('NCT09990001');
    const poison = await accept(studyVersion(1, 'NCT09990001'));
    const good: string[] = [];
    for (let index = 0; index < 12; index += 1)
      good.push(await accept(studyVersion(0, `NCT0999${String(100 + index).padStart(4, '0')}`)));

    const goodDone = await eventually(async () => {
      const outcomes = await Promise.all(good.map(ingestion));
      return outcomes.every((outcome) => outcome.status === 'appended') && outcomes;
    }, 30_000);
    // Every good one is in while the poison one is still queued, retrying with its last error.
    const meanwhile = await ingestion(poison);
    expect(meanwhile.status).toBe('queued');
    expect(meanwhile.attempts).toBeGreaterThanOrEqual(1);
    expect(meanwhile.attempts).toBeLessThan(MAX_ATTEMPTS);
    expect(meanwhile.error).toMatchObject({ code: 'event.unreadable' });

    const failed = await eventually(async () => {
      const current = await ingestion(poison);
      return current.status === 'failed' && current;
    }, 30_000);
    expect(failed.attempts).toBe(MAX_ATTEMPTS);
    expect(failed.error).toMatchObject({
      code: 'event.unreadable',
      message: expect.stringContaining('trial.registered'),
      details: { attempts: MAX_ATTEMPTS, failedAt: failed.completedAt },
    });
    const lastGood = Math.max(...goodDone.map((outcome) => Date.parse(outcome.completedAt!)));
    expect(Date.parse(failed.completedAt!)).toBeGreaterThan(lastGood);
    await expect(
      module.get(Metrics).registry.getSingleMetricAsString('trialwatch_ingestions_total'),
    ).resolves.toContain('status="failed"} 1');

    // The sweeper leaves it alone: it is failed, not lost.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await module.get(IngestionSweeper).sweep()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await ingestion(poison)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(await queries.execute(new CountIngestionsQuery('failed'))).toBe(1);
  });

  it('retries a failed ingestion on demand, attempts reset, and refuses to retry any other', async () => {
    await makeUnreadable('NCT09990002');
    const poison = await accept(studyVersion(1, 'NCT09990002'));
    await eventually(async () => (await ingestion(poison)).status === 'failed', 30_000);

    const good = await accept(studyVersion(0, 'NCT09990200'));
    await eventually(async () => (await ingestion(good)).status === 'appended', 30_000);
    await expect(commands.execute(new RetryIngestionCommand(good))).rejects.toMatchObject({
      code: 'ingestion.not-failed',
      kind: 'conflict',
    });

    // The stream is readable again (say, this version now reads it): the retried ingestion goes through.
    await database.execute(`UPDATE events SET schema_version = 1 WHERE stream_id = 'trial-NCT09990002'`);
    const retried = await commands.execute(new RetryIngestionCommand(poison));
    expect(retried).toMatchObject({ status: 'queued', attempts: 0, error: null, completedAt: null });
    const done = await eventually(async () => {
      const current = await ingestion(poison);
      return current.status !== 'queued' && current;
    }, 30_000);
    expect(done).toMatchObject({ status: 'appended', attempts: 1, error: null });
    expect(done.results[0]!.events.map((event) => event.type)).toContain('trial.enrollment-updated');
  });

  it('counts attempts that never ended (the worker stopped mid-way) and fails the ingestion after them', async () => {
    const id = await accept(studyVersion(0, 'NCT09990003'), false);
    const store = module.get(SnapshotStore);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) expect(await store.countAttempt(id)).toBe(attempt);
    const outcome = await commands.execute(new ProcessIngestionCommand(id));
    expect(outcome).toMatchObject({
      status: 'failed',
      attempts: MAX_ATTEMPTS,
      error: { code: 'ingestion.attempts-exhausted', details: { attempts: MAX_ATTEMPTS } },
    });
    expect(await store.countAttempt(id)).toBeNull();
  });

  it('queues a lost job again, but never a failed ingestion, and keeps the attempts already counted', async () => {
    // The worker's own sweep (every second here) would race this one for the lost job: it waits meanwhile.
    const housekeeping = module.get(IngestionHousekeepingProcessor).worker;
    await housekeeping.pause();
    const id = await accept(studyVersion(0, 'NCT09990004'), false);
    try {
      await module.get(SnapshotStore).countAttempt(id);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await module.get(IngestionSweeper).sweep()).toBe(1);
    } finally {
      housekeeping.resume();
    }
    const done = await eventually(async () => {
      const current = await ingestion(id);
      return current.status === 'appended' && current;
    }, 30_000);
    expect(done.attempts).toBe(2);
    // The worker marks its job completed just after the ingestion's transaction commits.
    await eventually(async () => (await module.get(IngestQueue).state(id)) === 'completed', 10_000);
  });

  it('lists failed ingestions newest first, page by page with a cursor', async () => {
    const page1 = await queries.execute(new ListIngestionsQuery('failed', 1));
    expect(page1.ingestions).toHaveLength(1);
    expect(page1.ingestions[0]!.nctIds).toEqual(['NCT09990003']);
    const page2 = await queries.execute(new ListIngestionsQuery('failed', 1, page1.nextCursor));
    expect(page2.ingestions.map((found) => found.nctIds)).toEqual([['NCT09990001']]);
    expect(page2.nextCursor).toBeNull();
    const both = await queries.execute(new ListIngestionsQuery('failed', 10));
    expect(both.ingestions.map((found) => found.id)).toEqual([page1.ingestions[0]!.id, page2.ingestions[0]!.id]);
    expect(both.nextCursor).toBeNull();
    await expect(queries.execute(new ListIngestionsQuery('failed', 10, 'not-a-cursor'))).rejects.toMatchObject({
      code: 'ingestion.invalid-cursor',
    });
  });
});
