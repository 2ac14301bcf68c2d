import pg from 'pg';
import { CommandBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { Database } from '@app/infrastructure';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from './catch-up-projections.command.js';

describe('catching the projections up, against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    module = await createTrackingModule(environment);
    commands = module.get(CommandBus);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  const ingest = async (nctId: string) => {
    const { ingestionId } = await commands.execute(
      new AcceptSnapshotCommand(
        { content: Buffer.from(studyVersion(0, nctId)), mediaType: null, source: 'test' },
        false,
      ),
    );
    await commands.execute(new ProcessIngestionCommand(ingestionId));
  };
  const tracked = async () =>
    (
      await module.get(Database).query<{ nct_id: string }>(`SELECT nct_id FROM trial_current_state ORDER BY nct_id`)
    ).map((row) => row.nct_id);

  /** A write transaction of this database left open: readers of the global order stop before it until it ends. */
  const holdReaders = async () => {
    const holder = new pg.Client({ connectionString: environment.databaseUrl });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_current_xact_id()');
    return {
      release: async () => {
        await holder.query('ROLLBACK');
        await holder.end();
      },
    };
  };

  it('applies what was committed before it was asked, once a transaction that held readers back for a moment ends', async () => {
    await ingest('NCT07330001');
    await commands.execute(new CatchUpProjectionsCommand('current-state'));
    const holder = await holdReaders();
    await ingest('NCT07330002');
    const caughtUp = commands.execute(new CatchUpProjectionsCommand('current-state'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.release();
    await caughtUp;
    expect(await tracked()).toEqual(['NCT07330001', 'NCT07330002']);
  });

  it('stops where readers stop, within seconds, while a transaction of this database stays open', async () => {
    const holder = await holdReaders();
    try {
      await ingest('NCT07330003');
      const started = performance.now();
      await commands.execute(new CatchUpProjectionsCommand('current-state'));
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(await tracked()).not.toContain('NCT07330003');
    } finally {
      await holder.release();
    }
    await commands.execute(new CatchUpProjectionsCommand('current-state'));
    expect(await tracked()).toContain('NCT07330003');
  });
});
