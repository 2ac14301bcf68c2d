import { CommandBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import type { AppConfig } from '@app/infrastructure';
import { Database } from '@app/infrastructure';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import type { Ingestion } from '../ingestion.js';
import { IngestSnapshotsCommand } from './ingest-snapshots.command.js';

const input = (content: string, source = 'bulk-test') => ({ content: Buffer.from(content), mediaType: null, source });
const trial = (index: number) => `NCT0888${String(index).padStart(4, '0')}`;

/** The bulk path against PostgreSQL: how many snapshots each transaction held, read from the events' transaction ids. */
const withBulkSettings = (settings: Partial<AppConfig>) => {
  const context = {} as { environment: TestEnvironment; module: TestingModule; commands: CommandBus };
  beforeAll(async () => {
    context.environment = await createTestEnvironment(settings);
    context.module = await createTrackingModule(context.environment);
    context.commands = context.module.get(CommandBus);
  });
  afterAll(async () => {
    await context.module?.close();
    await context.environment?.teardown();
  });
  return context;
};

/** Snapshots (each registering a new trial: one event) per transaction, in commit order. */
const eventsPerTransaction = async (database: Database, source = 'bulk-test'): Promise<number[]> =>
  (
    await database.query<{ count: string }>(
      `SELECT count(*) AS count FROM events WHERE metadata->>'source' = $1
       GROUP BY transaction_id ORDER BY transaction_id`,
      [source],
    )
  ).map((row) => Number(row.count));

describe('bulk ingest bounded by count', () => {
  const context = withBulkSettings({ bulkIngestMaxSnapshots: 25, bulkIngestMaxTransactionMs: 600_000 });

  it('splits 120 snapshots into transactions of at most 25, and logs an undecidable one failed while the rest go in', async () => {
    const database = context.module.get(Database);
    await context.commands.execute(new IngestSnapshotsCommand([input(studyVersion(0, 'NCT08889999'))]));
    // A stream this version cannot read (as if written by a newer one): its next snapshot cannot be decided.
    await database.execute(`UPDATE events SET schema_version = 99 WHERE stream_id = 'trial-NCT08889999'`);

    const inputs = Array.from({ length: 120 }, (_, index) => input(studyVersion(0, trial(index))));
    inputs.splice(60, 0, input(studyVersion(1, 'NCT08889999')));
    const outcomes: Ingestion[] = await context.commands.execute(new IngestSnapshotsCommand(inputs));

    expect(outcomes).toHaveLength(121);
    expect(outcomes.filter((outcome) => outcome.status === 'appended')).toHaveLength(120);
    expect(outcomes[60]).toMatchObject({
      status: 'failed',
      nctIds: ['NCT08889999'],
      attempts: 1,
      error: { code: 'event.unreadable', details: { attempts: 1, failedAt: outcomes[60]!.completedAt } },
    });
    const sizes = await eventsPerTransaction(database);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(121); // the first, and the 120
    expect(Math.max(...sizes)).toBeLessThanOrEqual(25);
    expect(sizes.length).toBeGreaterThanOrEqual(1 + Math.ceil(120 / 25));
  });

  it('takes the smaller of the setting and the caller bound', async () => {
    const inputs = Array.from({ length: 30 }, (_, index) => input(studyVersion(0, trial(500 + index)), 'bulk-10'));
    await context.commands.execute(new IngestSnapshotsCommand(inputs, 10));
    const sizes = await eventsPerTransaction(context.module.get(Database), 'bulk-10');
    expect(sizes).toEqual([10, 10, 10]);
  });
});

describe('bulk ingest of a batch holding an oversized snapshot', () => {
  const context = withBulkSettings({ bulkIngestMaxSnapshots: 5, maxSnapshotBytes: 200_000 });

  it('refuses the whole batch before writing any of it, however late the oversized one comes', async () => {
    const inputs = Array.from({ length: 40 }, (_, index) => input(studyVersion(0, trial(2000 + index)), 'bulk-large'));
    inputs.push({ content: Buffer.alloc(200_001, 0x41), mediaType: null, source: 'bulk-large' });
    await expect(context.commands.execute(new IngestSnapshotsCommand(inputs))).rejects.toMatchObject({
      code: 'snapshot.too-large',
    });
    const database = context.module.get(Database);
    expect(await eventsPerTransaction(database, 'bulk-large')).toEqual([]);
    const [{ count }] = await database.query<{ count: string }>(
      `SELECT count(*) AS count FROM ingestions WHERE source = 'bulk-large'`,
    );
    expect(Number(count)).toBe(0);
  });
});

describe('bulk ingest bounded by time', () => {
  const context = withBulkSettings({ bulkIngestMaxSnapshots: 10_000, bulkIngestMaxTransactionMs: 10 });

  it('keeps transactions short when the count alone would allow one for the whole load', async () => {
    const inputs = Array.from({ length: 200 }, (_, index) => input(studyVersion(0, trial(1000 + index))));
    const outcomes: Ingestion[] = await context.commands.execute(new IngestSnapshotsCommand(inputs));
    expect(outcomes.every((outcome) => outcome.status === 'appended')).toBe(true);
    const sizes = await eventsPerTransaction(context.module.get(Database));
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(200);
    // The first transaction is a small probe; the later ones are sized to the 10 ms budget, never the whole load.
    expect(sizes[0]).toBe(16);
    expect(sizes.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...sizes)).toBeLessThan(50);
  });
});
