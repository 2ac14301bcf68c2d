import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { Database, EventStore } from '@app/infrastructure';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { GetStatusHistoryQuery } from '../get-status-history/get-status-history.query.js';
import { ProjectionRebuilder } from './projection-rebuilder.js';
import { ProjectionRegistry } from './projection-registry.js';
import { liveTarget, ProjectionRunner } from './projection-runner.js';

describe('a rebuild of a projection whose live runner has not run yet', () => {
  let environment: TestEnvironment;
  let module: TestingModule;

  beforeAll(async () => {
    environment = await createTestEnvironment({ projectionBatchSize: 10 });
    module = await createTrackingModule(environment);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  const ingest = async (content: string) => {
    const commands = module.get(CommandBus);
    const { ingestionId } = await commands.execute(
      new AcceptSnapshotCommand({ content: Buffer.from(content), mediaType: null, source: 'test' }, false),
    );
    return commands.execute(new ProcessIngestionCommand(ingestionId));
  };

  it('leaves the live projection at the end of what it rebuilt, so its runner neither replays nor regresses', async () => {
    const nctId = 'NCT07400001';
    // A load with no worker running: no projection has run yet (no checkpoint rows).
    for (let i = 0; i < 80; i += 1) await ingest(studyVersion(i, nctId));
    const projection = module.get(ProjectionRegistry).byName('status-history');
    const runner = module.get(ProjectionRunner);

    for (const each of module.get(ProjectionRegistry).all()) await module.get(ProjectionRebuilder).rebuild(each);
    const history = async () =>
      (await module.get(QueryBus).execute(new GetStatusHistoryQuery(nctId))).periods.map(
        (period: { status: string }) => period.status,
      );
    const rebuilt = await history();
    expect(rebuilt).toEqual(['RECRUITING', 'ACTIVE_NOT_RECRUITING', 'RECRUITING', 'ACTIVE_NOT_RECRUITING']);

    // The live checkpoint is where the rebuild stopped, the store's last event (nothing is appended
    // meanwhile): the live runner's next batch neither replays the store nor moves the status history
    // back. The last event committed, not the last readable, which a transaction of another test file's
    // database ending during that one read can hold back.
    const last = (await module.get(EventStore).lastCommitted())!;
    const checkpoints = Object.fromEntries(
      await Promise.all(
        module
          .get(ProjectionRegistry)
          .names()
          .map(async (name) => [name, (await runner.checkpointOf(name)).checkpoint] as const),
      ),
    );
    await module
      .get(Database)
      .transaction((sql) => runner.applyBatch(sql, projection, liveTarget(projection), { wait: true }));
    expect({ checkpoints, historyAfterOneLiveBatch: await history() }).toEqual({
      checkpoints: Object.fromEntries(
        module
          .get(ProjectionRegistry)
          .names()
          .map((name) => [name, last]),
      ),
      historyAfterOneLiveBatch: rebuilt,
    });
  });
});

describe('every projection applies a batch again, after later ones, as if once (a replay)', () => {
  let environment: TestEnvironment;
  let module: TestingModule;

  beforeAll(async () => {
    environment = await createTestEnvironment({ projectionBatchSize: 10 });
    module = await createTrackingModule(environment);
    const commands = module.get(CommandBus);
    for (let i = 0; i < 80; i += 1) {
      const { ingestionId } = await commands.execute(
        new AcceptSnapshotCommand(
          { content: Buffer.from(studyVersion(i, 'NCT07400002')), mediaType: null, source: 'test' },
          false,
        ),
      );
      await commands.execute(new ProcessIngestionCommand(ingestionId));
    }
    for (const projection of module.get(ProjectionRegistry).all())
      await module.get(ProjectionRunner).catchUp(projection);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  it.each(['current-state', 'field-history', 'status-history', 'change-feed', 'outcome-switches'])(
    '%s: the first batch applied again, after every later one, changes nothing',
    async (name) => {
      const projection = module.get(ProjectionRegistry).byName(name);
      const database = module.get(Database);
      const tables = Object.values(projection.tables);
      const contents = () =>
        Promise.all(
          tables.map(async (table) =>
            (await database.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`))
              .map((r) => r.row)
              .sort(),
          ),
        );
      const before = await contents();
      const first = await module.get(EventStore).readAll({ transactionId: '0', globalPosition: '0' }, 10);
      await database.transaction((sql) => projection.apply(sql, first, projection.tables));
      expect(await contents()).toEqual(before);
    },
  );
});
