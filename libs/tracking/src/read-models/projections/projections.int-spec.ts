import { jest } from '@jest/globals';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { loadTrial, nctIdOfStream, streamIdOf } from '@app/domain';
import {
  APP_CONFIG,
  type AppConfig,
  type Checkpoint,
  compareCheckpoints,
  Database,
  EventStore,
  Metrics,
  type Sql,
  START,
  type StoredEvent,
} from '@app/infrastructure';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { GetTrialQuery } from '../get-trial/get-trial.query.js';
import { ChangeFeedRepository } from '../repositories/change-feed.repository.js';
import { CurrentStateRepository } from '../repositories/current-state.repository.js';
import { ChangeFeedProjection } from './change-feed.projection.js';
import { CurrentStateProjection } from './current-state.projection.js';
import type { Projection } from './projection.js';
import { ProjectionRebuilder } from './projection-rebuilder.js';
import { ProjectionRegistry } from './projection-registry.js';
import { HELD_READ_WAIT_MS, liveTarget, ProjectionRunner } from './projection-runner.js';

/** Every row of a table, in a stable order, as comparable JSON. */
const contentsOf = async (database: Database, table: string): Promise<string[]> =>
  (await database.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`))
    .map((r) => r.row)
    .sort();

/** The projection with each batch applied by `apply` in place of its own `apply`. */
const applyingWith = (projection: Projection, apply: Projection['apply']): Projection => ({
  name: projection.name,
  tables: projection.tables,
  needsPayload: projection.needsPayload,
  payloadFacts: projection.payloadFacts,
  envelopeOnlyTypes: projection.envelopeOnlyTypes,
  rebuildsStreamByStream: projection.rebuildsStreamByStream,
  apply,
});

describe('projections against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let database: Database;
  let runner: ProjectionRunner;
  let projections: Projection[];

  const ingest = async (content: string) => {
    const commands = module.get(CommandBus);
    const { ingestionId } = await commands.execute(
      new AcceptSnapshotCommand({ content: Buffer.from(content), mediaType: null, source: 'test' }, false),
    );
    return commands.execute(new ProcessIngestionCommand(ingestionId));
  };
  /** The last event stored, whether readers may pass it yet or not (every test event is committed). */
  const lastEvent = async (): Promise<Checkpoint> => (await module.get(EventStore).lastCommitted())!;
  /**
   * Catches the projection up until it has every event, as a worker's wake-up does: a read held back for a
   * moment by another test file's transaction (see event-store.int-spec.ts) is tried again.
   */
  const catchUpToTheEnd = async (projection: Projection) => {
    const end = await lastEvent();
    await runner.catchUpCommitted([projection], performance.now() + HELD_READ_WAIT_MS);
    if (compareCheckpoints((await runner.checkpointOf(projection.name)).checkpoint, end) !== 0)
      throw new Error(`${projection.name} did not reach the last event`);
  };
  /**
   * Catches up a projection whose batch fails, until it has read the batch and failed: a read held back
   * as above finds nothing to apply, and the catch-up ends without reaching the failure.
   */
  const expectBatchToFail = async (failing: Projection, message: string) => {
    for (let runs = 0; runs < 10; runs += 1) {
      const failure = await runner.catchUp(failing).then(
        () => null,
        (error: Error) => error,
      );
      if (failure) return expect(failure.message).toBe(message);
    }
    throw new Error(`${failing.name} never read the batch that fails`);
  };
  const catchUpAll = async () => {
    for (const projection of projections) await catchUpToTheEnd(projection);
  };
  const allContents = async () =>
    Object.fromEntries(
      await Promise.all(
        projections
          .flatMap((p) => Object.values(p.tables))
          .map(async (table) => [table, await contentsOf(database, table)] as const),
      ),
    );

  /** The projection's tables emptied and made again by its live runner, reading the store in commit order. */
  const replayInCommitOrder = async (projection: Projection) => {
    await database.transaction(async (sql) => {
      await sql.execute(`TRUNCATE ${Object.values(projection.tables).join(', ')}`);
      await runner.resetCheckpoint(sql, projection.name);
    });
    await catchUpToTheEnd(projection);
  };

  beforeAll(async () => {
    environment = await createTestEnvironment({ projectionBatchSize: 7 });
    module = await createTrackingModule(environment);
    database = module.get(Database);
    runner = module.get(ProjectionRunner);
    projections = module.get(ProjectionRegistry).all();
    for (let i = 0; i < 60; i += 1) await ingest(studyVersion(i, `NCT000003${String(i % 3).padStart(2, '0')}`));
    await catchUpAll();
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  it("takes a checkpoint's lock with the batch's settings in one statement: JIT off, the wait bounded, both for that transaction only", async () => {
    const setting = async (sql: Sql, name: string) =>
      (await sql.query<{ value: string }>(`SELECT current_setting($1) AS value`, [name]))[0]!.value;
    let holderLocked!: () => void;
    const locked = new Promise<void>((resolve) => (holderLocked = resolve));
    let release!: () => void;
    const held = database.transaction(async (sql) => {
      expect(await runner.lock(sql, 'lock-test', { wait: false })).toBe(true);
      expect(await setting(sql, 'jit')).toBe('off');
      holderLocked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await locked;
    await database.session(async (sql) => {
      await sql.execute(`SET jit = on`);
      await sql.execute('BEGIN');
      expect(await runner.lock(sql, 'lock-test', { wait: false })).toBe(false);
      await sql.execute('ROLLBACK');
      await sql.execute('BEGIN');
      const started = performance.now();
      await expect(runner.lock(sql, 'lock-test', { wait: true, timeoutMs: 200 })).rejects.toMatchObject({
        code: '55P03',
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      await sql.execute('ROLLBACK');
      expect(await setting(sql, 'jit')).toBe('on');
      expect(await setting(sql, 'lock_timeout')).toBe('0');
      release();
      await held;
      await sql.execute('BEGIN');
      expect(await runner.lock(sql, 'lock-test', { wait: true, timeoutMs: 200 })).toBe(true);
      expect(await setting(sql, 'jit')).toBe('off');
      expect(await setting(sql, 'lock_timeout')).toBe('200ms');
      await sql.execute('COMMIT');
      expect(await setting(sql, 'jit')).toBe('on');
      expect(await setting(sql, 'lock_timeout')).toBe('0');
      await sql.execute(`RESET jit`);
    });
  });

  it('reads a checkpoint it has never seen as the start of the store, created then and kept from there', async () => {
    const start = await database.transaction((sql) => runner.readCheckpoint(sql, 'checkpoint-test'));
    expect(start).toEqual(START);
    await database.transaction((sql) =>
      runner.saveCheckpoint(sql, 'checkpoint-test', { transactionId: '123', globalPosition: '45' }),
    );
    expect(await database.transaction((sql) => runner.readCheckpoint(sql, 'checkpoint-test'))).toEqual({
      transactionId: '123',
      globalPosition: '45',
    });
  });

  it('applies every event once: replaying the whole store changes nothing', async () => {
    const before = await allContents();
    expect(before['trial_status_periods']!.length).toBeGreaterThan(3);
    await database.transaction(async (sql) => {
      for (const projection of projections) await runner.resetCheckpoint(sql, projection.name);
    });
    await catchUpAll();
    expect(await allContents()).toEqual(before);
  });

  it("serves each trial's current facts as its stream folds them, from a kept state or from the start", async () => {
    const trials = ['NCT00000300', 'NCT00000301', 'NCT00000302'];
    const [{ kept } = { kept: '0' }] = await database.query<{ kept: string }>(
      `SELECT count(*) AS kept FROM stream_states WHERE stream_id = ANY($1::text[])`,
      [trials.map(streamIdOf)],
    );
    expect(Number(kept)).toBeGreaterThan(0);
    const expected = new Map<string, unknown>();
    for (const nctId of trials) {
      const stream = await module.get(EventStore).readStream(streamIdOf(nctId));
      const folded = loadTrial(nctId, stream);
      expected.set(nctId, folded.state);
      const view = await module.get(QueryBus).execute(new GetTrialQuery(nctId));
      expect(view.streamVersion).toBe(folded.version);
      expect(view.state).toEqual(folded.state);
      const [row] = await database.query<Record<string, unknown>>(
        `SELECT stream_version, last_event_type, overall_status, brief_title, official_title, acronym, primary_completion_date
         FROM trial_current_state WHERE nct_id = $1`,
        [nctId],
      );
      // The streams end with batches of enrollment and last-update changes only: rows move on to them.
      expect(['trial.enrollment-updated', 'trial.last-update-posted-date-moved']).toContain(stream.at(-1)!.type);
      expect(row).toEqual({
        stream_version: stream.at(-1)!.streamVersion,
        last_event_type: stream.at(-1)!.type,
        overall_status: folded.state!.overallStatus,
        brief_title: folded.state!.briefTitle,
        official_title: folded.state!.officialTitle,
        acronym: folded.state!.acronym,
        primary_completion_date: folded.state!.primaryCompletionDate,
      });
    }
    const columns = await contentsOf(database, 'trial_current_state');
    await database.execute(`DELETE FROM stream_states`);
    for (const nctId of trials) {
      expect((await module.get(QueryBus).execute(new GetTrialQuery(nctId))).state).toEqual(expected.get(nctId));
    }
    await database.transaction((sql) => runner.resetCheckpoint(sql, 'current-state'));
    await catchUpToTheEnd(projections.find((p) => p.name === 'current-state')!);
    expect(await contentsOf(database, 'trial_current_state')).toEqual(columns);
  });

  const withoutCache = (name: string): Projection => {
    const config = { ...module.get<AppConfig>(APP_CONFIG), projectionFactsCacheTrials: 0 };
    const [store, metrics] = [module.get(EventStore), module.get(Metrics)];
    return name === 'current-state'
      ? new CurrentStateProjection(module.get(CurrentStateRepository), store, metrics, config)
      : new ChangeFeedProjection(module.get(ChangeFeedRepository), store, metrics, config);
  };

  it.each([
    ['current-state', 'trial_current_state'],
    ['change-feed', 'change_feed'],
  ])('%s folds trials from what it kept as it would from their streams', async (name, table) => {
    const metrics = module.get(Metrics);
    const hits = async () =>
      (await metrics.projectionFactsCache.get()).values.find(
        (value) => value.labels.projection === name && value.labels.result === 'hit',
      )?.value ?? 0;
    const hitsBefore = await hits();
    await replayInCommitOrder(withoutCache(name));
    expect(await hits()).toBe(hitsBefore);
    const fromStreams = await contentsOf(database, table);

    await replayInCommitOrder(projections.find((p) => p.name === name)!);
    // Batches of 7 events: each trial changes again in a later batch, folded from memory.
    expect(await hits()).toBeGreaterThan(hitsBefore + 5);
    expect(await contentsOf(database, table)).toEqual(fromStreams);
  });

  it.each(['field-history', 'outcome-switches', 'change-feed'])(
    '%s makes the same rows from the parts of events it reads as from whole events',
    async (name) => {
      const projection = projections.find((p) => p.name === name)!;
      expect(projection.payloadFacts ?? projection.envelopeOnlyTypes).toBeDefined();
      const tables = Object.values(projection.tables);
      const contents = () => Promise.all(tables.map((table) => contentsOf(database, table)));
      await replayInCommitOrder({
        name,
        tables: projection.tables,
        needsPayload: true,
        apply: (sql, events, shadowTables) => projection.apply(sql, events, shadowTables),
      });
      const fromWholeEvents = await contents();
      expect(fromWholeEvents.flat().length).toBeGreaterThan(tables.length);
      await replayInCommitOrder(projection);
      expect(await contents()).toEqual(fromWholeEvents);
    },
  );

  describe('caught up together', () => {
    const readingData = () => projections.filter((projection) => projection.needsPayload);
    const emptied = async (together: Projection[]) =>
      database.transaction(async (sql) => {
        await sql.execute(`TRUNCATE ${together.flatMap((p) => Object.values(p.tables)).join(', ')}`);
        for (const projection of together) await runner.resetCheckpoint(sql, projection.name);
      });
    const eventCount = async () =>
      Number((await database.query<{ count: string }>('SELECT count(*) AS count FROM events'))[0]!.count);
    /** As `catchUpToTheEnd`, together. Returns the events applied and how many catch-ups it took. */
    const togetherToTheEnd = async (together: Projection[]) => {
      const end = await lastEvent();
      let [applied, runs] = [0, 0];
      const atEnd = async () => {
        const checkpoints = await Promise.all(together.map((p) => runner.checkpointOf(p.name)));
        return checkpoints.every(({ checkpoint }) => compareCheckpoints(checkpoint, end) === 0);
      };
      while (runs < 10 && !(await atEnd())) {
        applied += (await runner.catchUpTogether(together)) ?? 0;
        runs += 1;
      }
      expect(await atEnd()).toBe(true);
      return { applied, runs };
    };

    it('make the rows each makes alone, from one read of whole events per batch for all of them', async () => {
      const together = readingData();
      expect(together.map((projection) => projection.name).sort()).toEqual(
        ['change-feed', 'current-state', 'field-history', 'outcome-switches'].sort(),
      );
      const alone = await allContents();
      await emptied(together);
      const reads = jest.spyOn(module.get(EventStore), 'readAll');
      try {
        const { applied, runs } = await togetherToTheEnd(together);
        expect(applied).toBe(await eventCount());
        // Every read is of whole events (no read options): none for a projection alone.
        expect(reads.mock.calls.map(([, , , options]) => options).every((options) => options === undefined)).toBe(true);
        // Batches of 7 each read once, and one read more per catch-up, which finds the rest.
        expect(reads.mock.calls.length).toBeLessThanOrEqual(Math.floor((await eventCount()) / 7) + runs);
      } finally {
        reads.mockRestore();
      }
      expect(await allContents()).toEqual(alone);
    });

    it('bring one a batch behind or ahead of the others to the end, each reading for itself while out of step', async () => {
      const together = readingData();
      const alone = await allContents();
      await emptied(together);
      const [ahead, ...rest] = together;
      await database.transaction((sql) => runner.applyBatch(sql, ahead!, liveTarget(ahead!), { wait: true }));
      await database.transaction((sql) => runner.applyBatch(sql, ahead!, liveTarget(ahead!), { wait: true }));
      await database.transaction((sql) => runner.applyBatch(sql, rest[0]!, liveTarget(rest[0]!), { wait: true }));
      await togetherToTheEnd(together);
      expect(await allContents()).toEqual(alone);
    });

    it('apply nothing and read for none of them when nothing is new', async () => {
      const reads = jest.spyOn(module.get(EventStore), 'readAll');
      try {
        expect(await runner.catchUpTogether(readingData())).toBe(0);
        expect(reads).toHaveBeenCalledTimes(1);
      } finally {
        reads.mockRestore();
      }
    });
  });

  it('folds a trial again from its stream after a batch that kept what it folded failed', async () => {
    const nctId = 'NCT00000302';
    const condition = 'Kept-facts test condition';
    await ingest(studyVersion(300, nctId));
    await catchUpAll();
    const withCondition = JSON.parse(studyVersion(301, nctId));
    withCondition.protocolSection.conditionsModule.conditions.push(condition);
    await ingest(JSON.stringify(withCondition));
    for (const projection of projections.filter((p) => ['current-state', 'change-feed'].includes(p.name))) {
      // The batch folds the new condition into what the projection keeps, then rolls back.
      const failing = applyingWith(projection, async (sql, events, tables) => {
        await projection.apply(sql, events, tables);
        throw new Error('worker died mid-batch');
      });
      await expectBatchToFail(failing, 'worker died mid-batch');
      await catchUpToTheEnd(projection);
    }

    const stream = await module.get(EventStore).readStream(streamIdOf(nctId));
    const conditions = loadTrial(nctId, stream).state!.conditions!;
    expect(conditions.filter((name) => name === condition)).toHaveLength(1);
    const [row] = await database.query<{ conditions: string[]; stream_version: number }>(
      'SELECT conditions, stream_version FROM trial_current_state WHERE nct_id = $1',
      [nctId],
    );
    expect(row).toEqual({ conditions, stream_version: stream.at(-1)!.streamVersion });
    const entries = await database.query<{ conditions: string[] }>(
      `SELECT conditions FROM change_feed WHERE nct_id = $1 AND type = 'trial.conditions-changed'`,
      [nctId],
    );
    expect(entries).toEqual([{ conditions }]);
    await catchUpAll();
  });

  it('leaves nothing behind when a batch fails, and applies it once on the next run', async () => {
    const [statusProjection] = projections.filter((p) => p.name === 'status-history');
    const before = await contentsOf(database, 'trial_status_periods');
    await ingest(studyVersion(125, 'NCT00000300')); // a status change: RECRUITING -> ACTIVE_NOT_RECRUITING
    const failing = applyingWith(statusProjection!, async (sql, events, tables) => {
      await statusProjection!.apply(sql, events, tables);
      throw new Error('worker died mid-batch');
    });
    await expectBatchToFail(failing, 'worker died mid-batch');
    expect(await contentsOf(database, 'trial_status_periods')).toEqual(before);
    await catchUpToTheEnd(statusProjection!);
    const after = await contentsOf(database, 'trial_status_periods');
    expect(after.length).toBe(before.length + 1);
    await catchUpAll();
  });

  it("applies a batch read ahead only when it follows the projection's checkpoint", async () => {
    const statusProjection = projections.find((p) => p.name === 'status-history')!;
    const before = await contentsOf(database, 'trial_status_periods');
    const checkpointAfter = (events: StoredEvent[]): Checkpoint => ({
      transactionId: events.at(-1)!.transactionId,
      globalPosition: events.at(-1)!.globalPosition,
    });
    const store = module.get(EventStore);
    const first = await store.readAll(START, 7);
    const second = await store.readAll(checkpointAfter(first), 7);
    const ahead = { after: checkpointAfter(first), events: second };
    const applyBatch = (next: Checkpoint[]) =>
      database.transaction((sql) =>
        runner.applyBatch(sql, statusProjection, liveTarget(statusProjection), { wait: true }, ahead, (after) =>
          next.push(after),
        ),
      );
    await database.transaction((sql) => runner.resetCheckpoint(sql, 'status-history'));

    // Read ahead of a checkpoint the projection is not at (another runner moved it): not applied.
    const toReadAfterFirst: Checkpoint[] = [];
    expect(await applyBatch(toReadAfterFirst)).toBe(7);
    expect((await runner.checkpointOf('status-history')).checkpoint).toEqual(checkpointAfter(first));
    expect(toReadAfterFirst).toEqual([checkpointAfter(first)]);

    // Read ahead of the checkpoint it is at: applied as read.
    const toReadAfterSecond: Checkpoint[] = [];
    expect(await applyBatch(toReadAfterSecond)).toBe(7);
    expect((await runner.checkpointOf('status-history')).checkpoint).toEqual(checkpointAfter(second));
    expect(toReadAfterSecond).toEqual([checkpointAfter(second)]);

    await catchUpToTheEnd(statusProjection);
    expect(await contentsOf(database, 'trial_status_periods')).toEqual(before);
  });

  it('rebuilds beside the live read model while ingestion continues, ending equal to a rebuild from scratch', async () => {
    const rebuilder = module.get(ProjectionRebuilder);
    let writing = true;
    const writer = (async () => {
      for (let i = 200; writing; i += 1) await ingest(studyVersion(i, `NCT000004${String(i % 4).padStart(2, '0')}`));
    })();
    for (const projection of projections) await rebuilder.rebuild(projection);
    writing = false;
    await writer;
    await catchUpAll();
    const live = await allContents();

    for (const projection of projections) await rebuilder.rebuild(projection);
    expect(await allContents()).toEqual(live);
    expect(live['trial_current_state']!.length).toBe(7);
  });

  /** Current state as the live runner makes it from an empty table, reading the store in commit order. */
  const currentStateInCommitOrder = async (): Promise<string[]> => {
    await replayInCommitOrder(projections.find((p) => p.name === 'current-state')!);
    return contentsOf(database, 'trial_current_state');
  };

  it("rebuilds current state stream by stream, each trial's events whole in one batch, to the rows the commit order makes", async () => {
    const projection = projections.find((p) => p.name === 'current-state')!;
    // Three more trials, so that the trials fill more than one batch of streams (7 a batch here).
    for (let i = 0; i < 6; i += 1) await ingest(studyVersion(300 + i, `NCT000005${String(i % 3).padStart(2, '0')}`));
    await catchUpToTheEnd(projection);
    const streams = await database.query<{ stream_id: string; version: number }>(
      'SELECT stream_id, version FROM streams',
    );
    expect(streams.length).toBeGreaterThan(7);

    const batches: StoredEvent[][] = [];
    await module.get(ProjectionRebuilder).rebuild(
      applyingWith(projection, async (sql, events, tables) => {
        batches.push([...events]);
        await projection.apply(sql, events, tables);
      }),
    );

    expect(batches.length).toBe(Math.ceil(streams.length / 7));
    const versionsBy = new Map<string, number[]>();
    for (const [index, batch] of batches.entries()) {
      for (const event of batch) {
        const versions = versionsBy.get(event.streamId) ?? [];
        versions.push(event.streamVersion);
        versionsBy.set(event.streamId, versions);
        expect(batches.findIndex((other) => other.some((e) => e.streamId === event.streamId))).toBe(index);
      }
    }
    expect(new Map([...versionsBy].map(([id, versions]) => [id, versions.length]))).toEqual(
      new Map(streams.map((stream) => [stream.stream_id, stream.version])),
    );
    for (const versions of versionsBy.values()) expect(versions).toEqual(versions.map((_, i) => i + 1));
    const rebuilt = await contentsOf(database, 'trial_current_state');
    expect(rebuilt.length).toBe(streams.length);
    expect(await currentStateInCommitOrder()).toEqual(rebuilt);
  });

  it('rebuilds current state stream by stream while ingestion goes on, ending as the commit order makes it', async () => {
    const projection = projections.find((p) => p.name === 'current-state')!;
    // While the first batch of streams is applied: a new version of one of its trials, and a new trial.
    const during: string[] = [];
    await module.get(ProjectionRebuilder).rebuild(
      applyingWith(projection, async (sql, events, tables) => {
        if (during.length === 0) {
          during.push(nctIdOfStream(events[0]!.streamId), 'NCT00000700');
          for (const nctId of during) await ingest(studyVersion(500, nctId));
        }
        await projection.apply(sql, events, tables);
      }),
    );
    const rebuilt = await database.query<{ nct_id: string; stream_version: number }>(
      'SELECT nct_id, stream_version FROM trial_current_state WHERE nct_id = ANY($1)',
      [during],
    );
    const heads = await database.query<{ stream_id: string; version: number }>(
      'SELECT stream_id, version FROM streams WHERE stream_id = ANY($1)',
      [during.map(streamIdOf)],
    );
    expect(new Map(rebuilt.map((row) => [streamIdOf(row.nct_id), row.stream_version]))).toEqual(
      new Map(heads.map((head) => [head.stream_id, head.version])),
    );
    expect(heads).toHaveLength(2);
    const contents = await contentsOf(database, 'trial_current_state');
    expect(await currentStateInCommitOrder()).toEqual(contents);
  });

  it('fills a rebuild with only its unique indexes, builds the others after, and swaps in every index under its live name', async () => {
    const rebuilder = module.get(ProjectionRebuilder);
    const indexesOf = (table: string) =>
      database.query<{ indexname: string; indexdef: string }>(
        'SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY indexname',
        [table],
      );
    for (const projection of projections) {
      const tables = Object.values(projection.tables);
      const before = await Promise.all(tables.map(indexesOf));
      expect(before.flat().length).toBeGreaterThan(tables.length);
      // Whether each index of the shadow tables is unique, as each batch of the rebuild found them.
      const whileFilling: boolean[] = [];
      const watched = applyingWith(projection, async (sql, events, shadowTables) => {
        for (const table of Object.values(shadowTables)) {
          const found = await sql.query<{ unique: boolean }>(
            'SELECT indisunique AS "unique" FROM pg_index WHERE indrelid = $1::regclass',
            [table],
          );
          whileFilling.push(...found.map((index) => index.unique));
        }
        await projection.apply(sql, events, shadowTables);
      });
      await rebuilder.rebuild(watched);
      expect(whileFilling.length).toBeGreaterThan(0);
      expect(whileFilling.every((unique) => unique)).toBe(true);
      expect(await Promise.all(tables.map(indexesOf))).toEqual(before);
    }
    // The next rebuild starts from the same names: none drifts.
    await rebuilder.rebuild(projections.find((p) => p.name === 'current-state')!);
    expect((await indexesOf('trial_current_state')).map((index) => index.indexname)).toEqual([
      'trial_current_state_changed',
      'trial_current_state_identifiers',
      'trial_current_state_merged_nct_ids',
      'trial_current_state_phases',
      'trial_current_state_pkey',
      'trial_current_state_results_due',
      'trial_current_state_status',
    ]);
  });
});
