import pg from 'pg';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  anotherDatabaseOf,
  createTestEnvironment,
  eventually,
  type TestEnvironment,
} from '../../../../test/support/test-environment.js';
import { inRolledBackTransaction, type PlanNode, planOf, scansOf } from '../../../../test/support/query-plans.js';
import { Database, type Sql } from '../database/database.js';
import { runMigrations } from '../database/data-source.js';
import { InfrastructureModule } from '../infrastructure.module.js';
import {
  type Checkpoint,
  compareCheckpoints,
  EventStore,
  eventAsRead,
  type EventReadOptions,
  type NewEvent,
  START,
  type StoredEvent,
  type StreamAppend,
} from './event-store.js';
import { ConcurrencyError, InvalidExpectedVersionError } from './event-store.errors.js';

const event = (n: number): NewEvent => ({
  type: 'test.happened',
  schemaVersion: 1,
  data: { n },
  metadata: { test: true },
  occurredAt: '2024-01-01T00:00:00.000Z',
});

/** A fresh database with the event store on it, for one describe block. */
const startEventStore = async () => {
  const environment = await createTestEnvironment();
  const module = await Test.createTestingModule({
    imports: [InfrastructureModule.forRoot(environment.config)],
  }).compile();
  await module.init();
  return { environment, module, store: module.get(EventStore), database: module.get(Database) };
};

const stopEventStore = async (module: TestingModule | undefined, environment: TestEnvironment | undefined) => {
  await module?.close();
  await environment?.teardown();
};

/**
 * Every event after `from` in the global order, read a page at a time. A transaction of another test
 * file's database that ends while a read looks can hold that one read back ("is not held by a write
 * transaction open in another database of the server"), so the read is repeated until it reaches the
 * last event committed before it began; `asReadNow` reads once, for a test of what a hold hides.
 */
const readEverythingOf = async (
  store: EventStore,
  from: Checkpoint,
  pageSize: number,
  { asReadNow = false } = {},
): Promise<StoredEvent[]> => {
  const readOnce = async () => {
    const all: StoredEvent[] = [];
    let checkpoint = from;
    for (;;) {
      const batch = await store.readAll(checkpoint, pageSize);
      if (batch.length === 0) return all;
      all.push(...batch);
      checkpoint = batch[batch.length - 1]!;
    }
  };
  if (asReadNow) return readOnce();
  const committed = await store.lastCommitted();
  return eventually(async () => {
    const all = await readOnce();
    return (committed === null || compareCheckpoints(all.at(-1) ?? from, committed) >= 0) && all;
  }, 5_000);
};

/**
 * Appends `streamId`'s first event in a transaction that then stays open until `commit` is called:
 * events committed meanwhile lie behind it in the global order, unreadable until it ends.
 */
const appendHeldOpen = async (
  database: Database,
  store: EventStore,
  streamId: string,
): Promise<{ commit: () => Promise<void> }> => {
  let release!: () => void;
  const mayCommit = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const isHolding = new Promise<void>((resolve) => (holding = resolve));
  const holder = database.transaction(async (sql) => {
    await store.append(streamId, [event(1)], 'no-stream', sql);
    holding();
    await mayCommit;
  });
  await isHolding;
  return {
    commit: async () => {
      release();
      await holder;
    },
  };
};

describe('EventStore (PostgreSQL)', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let store: EventStore;
  let database: Database;

  beforeAll(async () => {
    ({ environment, module, store, database } = await startEventStore());
  });

  afterAll(() => stopEventStore(module, environment));

  const readEverything = (from: Checkpoint = START, options?: { asReadNow: boolean }) =>
    readEverythingOf(store, from, 100, options);

  it('appends with expected versions and numbers each stream from 1', async () => {
    const first = await store.append('trial-A', [event(1), event(2)], 'no-stream');
    expect(first.nextExpectedVersion).toBe(2);
    expect(first.events.map((e) => e.streamVersion)).toEqual([1, 2]);
    const second = await store.append('trial-A', [event(3)], 2);
    expect(second.events[0]).toMatchObject({
      streamVersion: 3,
      type: 'test.happened',
      data: { n: 3 },
      metadata: { test: true },
    });
    expect((await store.readStream('trial-A')).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
  });

  it('refuses a stale expected version with a typed conflict, writing nothing and drawing no position', async () => {
    const before = await store.append('trial-B', [event(1)], 'no-stream');
    await expect(store.append('trial-B', [event(2)], 0)).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.append('trial-B', [event(2)], 'no-stream')).rejects.toMatchObject({
      code: 'event-store.concurrency-conflict',
      kind: 'conflict',
    });
    await expect(store.append('trial-B', [event(2)], 5)).rejects.toBeInstanceOf(ConcurrencyError);
    const after = await store.append('trial-B', [event(2)], 1);
    expect(BigInt(after.events[0]!.globalPosition)).toBe(BigInt(before.events[0]!.globalPosition) + 1n);
    expect(await store.streamVersion('trial-B')).toBe(2);
  });

  it('appends to several streams all or nothing', async () => {
    await store.append('trial-C', [event(1)], 'no-stream');
    await expect(
      store.appendMany([
        { streamId: 'trial-D', events: [event(1)], expectedVersion: 'no-stream' },
        { streamId: 'trial-C', events: [event(2)], expectedVersion: 7 },
      ]),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('trial-D')).toEqual([]);
    const results = await store.appendMany([
      { streamId: 'trial-D', events: [event(1), event(2)], expectedVersion: 'no-stream' },
      { streamId: 'trial-C', events: [event(2)], expectedVersion: 1 },
    ]);
    expect(results.map((r) => [r.streamId, r.nextExpectedVersion])).toEqual([
      ['trial-D', 2],
      ['trial-C', 2],
    ]);
  });

  it('checks what an append of no events expects, and tells the version the stream is at', async () => {
    await store.append('trial-Empty', [event(1), event(2), event(3)], 'no-stream');
    await expect(store.append('trial-Empty', [], 1)).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.append('trial-Empty', [], 'no-stream')).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.append('trial-Empty', [], 3)).nextExpectedVersion).toBe(3);
    expect((await store.append('trial-Empty', [], 'any')).nextExpectedVersion).toBe(3);
    expect((await store.append('trial-Empty-none', [], 'no-stream')).nextExpectedVersion).toBe(0);
    // Beside an append of events, on both the one-stream and the several-stream path.
    const [, nothing] = await store.appendMany([
      { streamId: 'trial-Empty2', events: [event(1)], expectedVersion: 'no-stream' },
      { streamId: 'trial-Empty', events: [], expectedVersion: 'any' },
    ]);
    expect(nothing!.nextExpectedVersion).toBe(3);
    await expect(
      store.appendMany([
        { streamId: 'trial-Empty3', events: [event(1)], expectedVersion: 'no-stream' },
        { streamId: 'trial-Empty4', events: [event(1)], expectedVersion: 'no-stream' },
        { streamId: 'trial-Empty', events: [], expectedVersion: 2 },
      ]),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.streamVersion('trial-Empty3')).toBe(0);
  });

  it('refuses an expected version no stream can be at, on every path, writing nothing', async () => {
    for (const expectedVersion of [-1, 1.5]) {
      await expect(store.append('trial-N', [event(1)], expectedVersion)).rejects.toBeInstanceOf(
        InvalidExpectedVersionError,
      );
      await expect(
        store.appendMany([
          { streamId: 'trial-N', events: [event(1)], expectedVersion },
          { streamId: 'trial-N2', events: [event(1)], expectedVersion: 'no-stream' },
        ]),
      ).rejects.toBeInstanceOf(InvalidExpectedVersionError);
    }
    expect([await store.streamVersion('trial-N'), await store.streamVersion('trial-N2')]).toEqual([0, 0]);
  });

  it('refuses a call naming one stream twice, whatever the versions, writing nothing', async () => {
    await store.append('trial-T', [event(1)], 'no-stream');
    const before = await readEverything();
    // A stale exact version beside 'any' once slipped through: the 'any' append moved the stream's row.
    for (const appends of [
      [
        { streamId: 'trial-T', events: [event(2)], expectedVersion: 7 },
        { streamId: 'trial-T', events: [event(3)], expectedVersion: 'any' },
      ],
      [
        { streamId: 'trial-U', events: [event(1)], expectedVersion: 'no-stream' },
        { streamId: 'trial-T', events: [event(2)], expectedVersion: 1 },
        { streamId: 'trial-T', events: [], expectedVersion: 1 },
      ],
    ] satisfies StreamAppend[][]) {
      await expect(store.appendMany(appends)).rejects.toMatchObject({
        code: 'event-store.stream-named-twice',
        kind: 'invalid',
        streamIds: ['trial-T'],
      });
    }
    await expect(
      store.appendMany([{ streamId: 'trial-T', events: [event(2)], expectedVersion: 'any' }]),
    ).resolves.toEqual([expect.objectContaining({ nextExpectedVersion: 2 })]);
    expect((await readEverything()).length).toBe(before.length + 1);
    expect(await store.readStream('trial-U')).toEqual([]);
  });

  it("appends to one stream with 'any' from nothing and onwards, and within a caller's transaction all or nothing", async () => {
    const created = await store.append('trial-ANY', [event(1), event(2)], 'any');
    expect(created.events.map((e) => [e.streamVersion, e.data])).toEqual([
      [1, { n: 1 }],
      [2, { n: 2 }],
    ]);
    const extended = await store.append('trial-ANY', [event(3)], 'any');
    expect(extended.nextExpectedVersion).toBe(3);
    expect(BigInt(extended.events[0]!.globalPosition)).toBeGreaterThan(BigInt(created.events[1]!.globalPosition));
    expect((await store.readStream('trial-ANY')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);

    await expect(
      database.transaction(async (sql) => {
        await store.append('trial-ANY', [event(4)], 3, sql);
        await store.append('trial-TX', [event(1)], 'no-stream', sql);
        throw new Error('the caller gives up');
      }),
    ).rejects.toThrow('the caller gives up');
    expect(await store.streamVersion('trial-ANY')).toBe(3);
    expect(await store.readStream('trial-TX')).toEqual([]);
    // The conflict inside a caller's transaction is the same typed error.
    await expect(database.transaction((sql) => store.append('trial-ANY', [event(4)], 2, sql))).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
  });

  it('keeps a state beside a stream with the append, and reads it with the events after it', async () => {
    await store.append('trial-S1', [event(1), event(2)], 'no-stream');
    await store.appendMany([
      { streamId: 'trial-S1', events: [event(3)], expectedVersion: 2, state: { schemaVersion: 1, data: { sum: 6 } } },
      { streamId: 'trial-S2', events: [event(1)], expectedVersion: 'no-stream', state: { schemaVersion: 1, data: {} } },
    ]);
    await store.append('trial-S1', [event(4)], 3);
    await store.append('trial-S2', [event(2)], 1);
    const single = await store.append('trial-S2', [event(3)], 2);
    expect(single.nextExpectedVersion).toBe(3);
    await store.appendMany([
      { streamId: 'trial-S2', events: [event(4)], expectedVersion: 3, state: { schemaVersion: 1, data: { n: 4 } } },
    ]);

    const read = await store.readStreamsAfterStates(['trial-S1', 'trial-S2', 'trial-S3'], 1);
    expect(read.get('trial-S1')!.state).toEqual({ version: 3, data: { sum: 6 } });
    expect(read.get('trial-S1')!.events.map((e) => e.data)).toEqual([{ n: 4 }]);
    expect(read.get('trial-S2')).toEqual({ state: { version: 4, data: { n: 4 } }, events: [] });
    expect(read.get('trial-S3')).toEqual({ state: null, events: [] });
    // A state kept in another format is no state: the whole stream comes.
    const otherFormat = await store.readStreamsAfterStates(['trial-S1'], 2);
    expect(otherFormat.get('trial-S1')!.state).toBeNull();
    expect(otherFormat.get('trial-S1')!.events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
    expect(await store.keptStates(['trial-S1', 'trial-S3'])).toEqual(
      new Map([['trial-S1', { version: 3, schemaVersion: 1 }]]),
    );
    // A refused append keeps nothing.
    await expect(store.append('trial-S1', [event(5)], 1)).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(
      store.appendMany([
        { streamId: 'trial-S1', events: [event(5)], expectedVersion: 1, state: { schemaVersion: 1, data: 'x' } },
      ]),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.readStreamsAfterStates(['trial-S1'], 1)).get('trial-S1')!.state).toEqual({
      version: 3,
      data: { sum: 6 },
    });
  });

  it('keeps a stream contiguous under 8 concurrent appenders', async () => {
    const appender = async (worker: number) => {
      for (let i = 0; i < 25; i += 1) {
        for (;;) {
          const version = await store.streamVersion('trial-E');
          try {
            await store.append('trial-E', [event(worker * 100 + i)], version === 0 ? 'no-stream' : version);
            break;
          } catch (error) {
            if (!(error instanceof ConcurrencyError)) throw error;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, worker) => appender(worker)));
    const versions = (await store.readStream('trial-E')).map((e) => e.streamVersion);
    expect(versions).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('appends to the same streams named in opposite orders from many transactions at once, without a deadlock', async () => {
    // Each writer names the streams in its own order; the store locks them in one fixed order.
    const streams = ['trial-X1', 'trial-X2', 'trial-X3'];
    const writers = Array.from({ length: 12 }, (_, writer) => {
      const order = writer % 2 === 0 ? streams : [...streams].reverse();
      return store.appendMany(order.map((streamId) => ({ streamId, events: [event(writer)], expectedVersion: 'any' })));
    });
    await expect(Promise.all(writers)).resolves.toHaveLength(12);
    for (const streamId of streams) {
      expect((await store.readStream(streamId)).map((e) => e.streamVersion)).toEqual(
        Array.from({ length: 12 }, (_, index) => index + 1),
      );
    }
  });

  it('reads events by id, stream versions, and one part of some types of events up to a place', async () => {
    const first = await store.append('trial-R', [event(1), { ...event(2), type: 'test.other' }, event(3)], 'no-stream');
    const byId = await store.readByIds([
      first.events[2]!.eventId,
      first.events[0]!.eventId,
      'f0000000-0000-4000-8000-000000000000',
    ]);
    expect([...byId.keys()].sort()).toEqual([first.events[0]!.eventId, first.events[2]!.eventId].sort());
    expect(byId.get(first.events[2]!.eventId)?.data).toEqual({ n: 3 });
    expect(await store.streamVersions(['trial-R', 'trial-none'])).toEqual(new Map([['trial-R', 3]]));
    const parts = await store.readStreamsOfTypes(['trial-R'], { 'test.happened': ['n'] }, first.events[1]!);
    expect(parts.get('trial-R')!.map((e) => [e.streamVersion, e.data])).toEqual([[1, 1]]);
  });

  it('reads only the named facts of events that carry facts, and the rest of their data', async () => {
    const appended = await store.append(
      'trial-F',
      [
        {
          ...event(1),
          type: 'test.registered',
          data: { facts: { nctId: 'N', phases: ['P1'], sites: ['big'] }, source: 's' },
        },
        { ...event(2), data: { n: 2, facts: 'not an object' } },
        { ...event(3), type: 'test.other', data: { facts: { phases: ['P2'] } } },
      ],
      'no-stream',
    );
    const read = await store.readStreamsOfTypes(
      ['trial-F'],
      { 'test.registered': [], 'test.happened': [], 'test.other': ['facts'] },
      appended.events[2]!,
      database,
      { facts: ['nctId', 'phases'] },
    );
    expect(read.get('trial-F')!.map((e) => e.data)).toEqual([
      { facts: { nctId: 'N', phases: ['P1'] }, source: 's' },
      { n: 2, facts: 'not an object' },
      { phases: ['P2'] },
    ]);
  });

  it('reads a batch in commit order with only the named facts of events that carry facts', async () => {
    const before = (await readEverything()).at(-1) ?? START;
    await store.append(
      'trial-G',
      [
        {
          ...event(1),
          type: 'test.registered',
          data: { facts: { nctId: 'N', phases: ['P1'], sites: ['big'] }, source: 's' },
        },
        { ...event(2), data: { n: 2, facts: 'not an object' } },
      ],
      'no-stream',
    );
    // Each read waits out a read held back for a moment by another test file's transaction (see below).
    const readBoth = (options: EventReadOptions = {}) =>
      eventually(async () => {
        const read = await store.readAll(before, 10, database, options);
        return read.length === 2 && read;
      }, 5_000);
    const read = await readBoth({ facts: ['nctId', 'phases'] });
    expect(read.map((e) => [e.streamId, e.streamVersion, e.data, e.metadata])).toEqual([
      ['trial-G', 1, { facts: { nctId: 'N', phases: ['P1'] }, source: 's' }, event(1).metadata],
      ['trial-G', 2, { n: 2, facts: 'not an object' }, event(2).metadata],
    ]);
    expect((await readBoth()).map((e) => e.data)[0]).toEqual({
      facts: { nctId: 'N', phases: ['P1'], sites: ['big'] },
      source: 's',
    });
    // Events of the types named envelope-only come without data or metadata, beside the others as asked.
    for (const options of [
      { envelopeOnly: ['test.registered'] },
      { envelopeOnly: ['test.registered'], facts: ['nctId'] },
    ]) {
      const envelopes = await readBoth(options);
      expect(envelopes.map((e) => [e.type, e.streamVersion, e.data, e.metadata])).toEqual([
        ['test.registered', 1, null, {}],
        ['test.happened', 2, { n: 2, facts: 'not an object' }, event(2).metadata],
      ]);
      const streams = await store.readStreamsUpTo('trial-F', 1, envelopes[1]!, database, options);
      expect(streams.events).toEqual(envelopes);
    }
    // A batch read whole and given to each reader as its own read would have given it.
    const whole = await readBoth();
    for (const options of [
      {},
      { payload: false },
      { facts: ['nctId', 'phases'] },
      { facts: [] },
      { envelopeOnly: ['test.registered'] },
      { envelopeOnly: ['test.registered'], facts: ['nctId'] },
      { envelopeOnly: ['test.happened'], facts: ['sites'] },
    ]) {
      expect(whole.map((stored) => eventAsRead(stored, options))).toEqual(await readBoth(options));
    }
  });

  it('never lets a reader skip an event whose transaction commits late', async () => {
    const checkpointBefore = (await readEverything()).at(-1) ?? START;
    // The late transaction takes its position first, then stays open.
    const late = await appendHeldOpen(database, store, 'trial-late');
    await store.append('trial-early', [event(2)], 'no-stream');

    // A reader now must not pass the open transaction: the committed later event stays hidden behind it.
    const whileOpen = await readEverything(checkpointBefore, { asReadNow: true });
    expect(whileOpen.map((e) => e.streamId)).not.toContain('trial-early');
    const checkpoint = whileOpen.at(-1) ?? checkpointBefore;

    await late.commit();
    const afterCommit = await readEverything(checkpoint);
    expect(afterCommit.map((e) => e.streamId)).toEqual(['trial-late', 'trial-early']);
  });

  it('is not held by a write transaction open in another database of the server', async () => {
    const writer = new pg.Client({ connectionString: anotherDatabaseOf(environment.databaseUrl) });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      const [{ xid }] = (await writer.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows as [
        { xid: string },
      ];
      const appended = await store.append('trial-beside-elsewhere', [event(1)], 'no-stream');
      // The other database's transaction is older than the append and still open.
      expect(BigInt(xid)).toBeLessThan(BigInt(appended.events[0]!.transactionId));

      // A transaction of another test file's database that ends between a read's snapshot and its look at
      // pg_stat_activity holds that one read back (it cannot be placed, so it counts as this database's);
      // the next read passes it. The open transaction elsewhere, older than the append, never holds it.
      const readsIt = async (eventId: string) =>
        (await readEverything(START, { asReadNow: true })).some((e) => e.eventId === eventId);
      await eventually(() => readsIt(appended.events[0]!.eventId), 5_000);
      await eventually(async () => compareCheckpoints((await store.lastReadable())!, appended.events[0]!) === 0, 5_000);
      expect(await store.heldBehindOpenTransaction()).toBeNull();

      // The same transaction open in this database holds the readers, as any of this database's does.
      const here = new pg.Client({ connectionString: environment.databaseUrl });
      await here.connect();
      try {
        await here.query('BEGIN');
        await here.query('SELECT pg_current_xact_id()');
        const behind = await store.append('trial-behind-here', [event(1)], 'no-stream');
        expect((await readEverything(START, { asReadNow: true })).map((e) => e.eventId)).not.toContain(
          behind.events[0]!.eventId,
        );
        expect(await store.heldBehindOpenTransaction()).not.toBeNull();
        await here.query('ROLLBACK');
        await eventually(() => readsIt(behind.events[0]!.eventId), 5_000);
      } finally {
        await here.end();
      }
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      await writer.end();
    }
  });

  it('is not held by short transactions of another database that end while it looks', async () => {
    // Another database's transactions start before each append and end around the check that follows it: a
    // check that took them for this database's, because they had ended before it could place them, would
    // report the append as held behind a transaction that is no longer open.
    const churners = await Promise.all(
      [1, 2].map(async () => {
        const client = new pg.Client({ connectionString: anotherDatabaseOf(environment.databaseUrl) });
        await client.connect();
        return client;
      }),
    );
    let churning = true;
    const churn = churners.map(async (client) => {
      while (churning) {
        await client.query('BEGIN');
        await client.query('SELECT pg_current_xact_id(), pg_sleep(0.002)');
        await client.query('COMMIT');
      }
    });
    const heldAt: number[] = [];
    try {
      for (let n = 1; n <= 600; n++) {
        await store.append('trial-beside-churn', [event(n)], n === 1 ? 'no-stream' : n - 1);
        if ((await store.heldBehindOpenTransaction()) !== null) heldAt.push(n);
      }
    } finally {
      churning = false;
      await Promise.all(churn);
      await Promise.all(churners.map((client) => client.end()));
    }
    expect(heldAt).toEqual([]);
  });

  it('reads the store stream by stream up to its last readable event, and a reader of the commit order goes on from there', async () => {
    const a = await store.append('trial-upto-a', [event(1), event(2)], 'no-stream');
    await store.append('trial-upto-b', [event(1)], 'no-stream');
    const c = await store.append('trial-upto-c', [event(1)], 'no-stream');
    // A transaction that has written stays open; appends after it commit but are not readable yet.
    const holder = await appendHeldOpen(database, store, 'trial-upto-d');
    await store.append('trial-upto-e', [event(1)], 'no-stream');
    await store.append('trial-upto-a', [event(3)], 2);

    const lastOfC = { transactionId: c.events[0]!.transactionId, globalPosition: c.events[0]!.globalPosition };
    // Waits out a one-read hold by another test file's transaction (see the test above).
    const upTo = await eventually(async () => {
      const readable = (await store.lastReadable())!;
      return compareCheckpoints(readable, lastOfC) === 0 && readable;
    }, 5_000);
    const versionsOf = (events: StoredEvent[]) => events.map((e) => `${e.streamId}@${e.streamVersion}`);

    const first = await store.readStreamsUpTo('trial-upto-', 2, upTo);
    expect(first.streamIds).toEqual(['trial-upto-a', 'trial-upto-b']);
    expect(versionsOf(first.events)).toEqual(['trial-upto-a@1', 'trial-upto-a@2', 'trial-upto-b@1']);
    expect(first.events[1]).toEqual(a.events[1]);
    const rest = await store.readStreamsUpTo('trial-upto-b', 100, upTo);
    expect(rest.streamIds.filter((id) => id.startsWith('trial-upto-'))).toEqual(['trial-upto-c', 'trial-upto-e']);
    expect(versionsOf(rest.events)).toEqual(['trial-upto-c@1']);
    const envelopes = await store.readStreamsUpTo('trial-upto-b', 1, upTo, database, { payload: false });
    expect(envelopes.events.map((e) => [e.streamId, e.data])).toEqual([['trial-upto-c', null]]);

    await holder.commit();
    expect(await store.heldBehindOpenTransaction()).toBeNull();
    expect(versionsOf((await readEverything(upTo)).filter((e) => e.streamId.startsWith('trial-upto-')))).toEqual([
      'trial-upto-d@1',
      'trial-upto-e@1',
      'trial-upto-a@3',
    ]);
  });

  it('estimates lag from positions, and dates events held behind an open transaction', async () => {
    const caughtUp = (await readEverything()).at(-1) ?? START;
    expect(await store.lagBehind(caughtUp)).toEqual({ events: 0, oldestUnreadRecordedAt: null });
    const appended = await store.append('trial-lag', [event(1), event(2), event(3)], 'no-stream');
    const lag = await store.lagBehind(caughtUp);
    expect(lag.events).toBe(3);
    expect(lag.oldestUnreadRecordedAt).toEqual(appended.events[0]!.recordedAt);
    expect(await store.lagBehind(appended.events[2]!)).toEqual({ events: 0, oldestUnreadRecordedAt: null });

    // A transaction that has written stays open; an append after it commits but stays unreadable.
    const holder = await appendHeldOpen(database, store, 'trial-holder');
    const held = await store.append('trial-held', [event(1)], 'no-stream');
    const whileHeld = await store.heldBehindOpenTransaction();
    expect(whileHeld).not.toBeNull();
    expect(whileHeld!.since.getTime()).toBeLessThanOrEqual(held.events[0]!.recordedAt.getTime());
    expect((await store.lagBehind(appended.events[2]!)).events).toBeGreaterThanOrEqual(1);

    await holder.commit();
    expect(await store.heldBehindOpenTransaction()).toBeNull();
    expect((await readEverything(appended.events[2]!)).map((e) => e.streamId)).toEqual(['trial-holder', 'trial-held']);
  });
});

describe('EventStore global order across a power of ten', () => {
  let environment: TestEnvironment;
  let module: TestingModule;

  beforeAll(async () => {
    ({ environment, module } = await startEventStore());
  });

  afterAll(() => stopEventStore(module, environment));

  it('reads transaction 99 before transaction 100, numerically and not as text', async () => {
    // Transaction ids written as they would have been by transactions 100 and 99 (in that insert order).
    for (const transactionId of ['100', '99'])
      await module.get(Database).execute(
        `INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, occurred_at, transaction_id)
         VALUES ($1, 1, gen_random_uuid(), 'test.happened', 1, '{}', now(), $2::xid8)`,
        [`trial-T${transactionId}`, transactionId],
      );
    const store = module.get(EventStore);
    const [first, second] = await store.readAll(START, 2);
    expect([first!.transactionId, second!.transactionId]).toEqual(['99', '100']);
    const [next] = await store.readAll(first!, 1);
    expect(next!.transactionId).toBe('100');
  });
});

describe('EventStore restored into another PostgreSQL server', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let store: EventStore;
  let database: Database;

  beforeAll(async () => {
    ({ environment, module, store, database } = await startEventStore());
  });

  afterAll(() => stopEventStore(module, environment));

  /** The expression the events' transaction ids are taken from. */
  const transactionIdDefault = async () =>
    (
      await database.query<{ expression: string }>(
        `SELECT column_default AS expression FROM information_schema.columns
         WHERE table_name = 'events' AND column_name = 'transaction_id'`,
      )
    )[0]?.expression;

  it("keeps the server's own transaction ids, read for free, in a store no restore brought ids from", async () => {
    await runMigrations(database.dataSource);
    await runMigrations(database.dataSource);
    expect(await transactionIdDefault()).toBe('pg_current_xact_id()');
    const [shift] = await database.query<{ shift: string }>('SELECT shift::text AS shift FROM store_transaction_shift');
    expect(shift!.shift).toBe('0');
  });

  it('reads what is appended after the restore after the restored events, from any place among them', async () => {
    // A dump of a server whose transaction counter was far ahead of this one's: its events keep the
    // transaction ids that server gave them, a billion past what this server gives now.
    const [now] = await database.query<{ next: string }>(
      'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next',
    );
    const restoredFrom = BigInt(now!.next) + 1_000_000_000n;
    for (const [index, transactionId] of [restoredFrom, restoredFrom + 7n].entries())
      await database.execute(
        `INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, occurred_at, transaction_id)
         VALUES ('trial-RESTORED', $1, gen_random_uuid(), 'test.happened', 1, '{}', now(), $2::xid8)`,
        [index + 1, String(transactionId)],
      );
    // Where a reader (a projection's checkpoint, a client's cursor) stood when the dump was taken.
    const [readerPlace] = await database.query<Checkpoint>(
      `SELECT transaction_id::text AS "transactionId", global_position::text AS "globalPosition"
       FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );

    // What every process does as it starts (MIGRATE_ON_START) and `trialwatch migrate` does.
    await runMigrations(database.dataSource);
    expect(await transactionIdDefault()).toBe('store_transaction_id()');

    const one = await store.append('trial-AFTER-1', [event(1)], 'no-stream');
    const many = await store.appendMany([
      { streamId: 'trial-AFTER-2', events: [event(2)], expectedVersion: 'no-stream' },
      { streamId: 'trial-AFTER-3', events: [event(3)], expectedVersion: 'no-stream' },
    ]);
    // A second start finds nothing to move, and the order still holds.
    await runMigrations(database.dataSource);
    const later = await store.append('trial-AFTER-1', [event(4)], 1);

    const appended = [one, ...many, later].flatMap((result) => result.events);
    for (const event of appended) expect(compareCheckpoints(event, readerPlace!)).toBeGreaterThan(0);
    expect((await readEverythingOf(store, readerPlace!, 2)).map((event) => event.eventId)).toEqual(
      appended.map((event) => event.eventId),
    );
    expect((await readEverythingOf(store, START, 2)).map((event) => event.transactionId).slice(0, 2)).toEqual([
      String(restoredFrom),
      String(restoredFrom + 7n),
    ]);
    await eventually(async () => compareCheckpoints((await store.lastReadable())!, later.events[0]!) === 0, 5_000);
  });
});

describe('EventStore bulk appends (event rows by COPY)', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let store: EventStore;
  let database: Database;

  beforeAll(async () => {
    ({ environment, module, store, database } = await startEventStore());
  });

  afterAll(() => stopEventStore(module, environment));

  const readEverything = (from: Checkpoint = START) => readEverythingOf(store, from, 500);

  const headPosition = async (): Promise<bigint> => {
    const [row] = await database.query<{ head: string }>(
      'SELECT coalesce(max(global_position), 0)::text AS head FROM events',
    );
    return BigInt(row!.head);
  };

  // Values COPY's text format must escape, and JSON that carries them as escapes.
  const awkward = (n: number): NewEvent => ({
    type: `test.awkward\t${n}`,
    schemaVersion: 2,
    data: {
      n,
      text: 'tab\there, line\nend, cr\rend, back\\slash, "quoted", \\N, ünïcödé ✓',
      nested: [null, true, 1.5],
    },
    metadata: { note: 'a\\b\tc\n' },
    occurredAt: '2023-06-01T12:34:56.789Z',
  });

  it('returns what it stored: ids, versions, positions, transaction and times, payloads byte for byte', async () => {
    const appends = [
      { streamId: 'bulk-A\twith tab', events: [awkward(1), awkward(2)], expectedVersion: 'no-stream' as const },
      { streamId: 'bulk-B', events: [awkward(3)], expectedVersion: 'any' as const },
      { streamId: 'bulk-C', events: [], expectedVersion: 'no-stream' as const },
      { streamId: 'bulk-D\\', events: [event(1), awkward(4), event(2)], expectedVersion: 0 },
    ];
    const results = await store.appendMany(appends);
    expect(results.map((r) => [r.streamId, r.nextExpectedVersion, r.events.length])).toEqual([
      ['bulk-A\twith tab', 2, 2],
      ['bulk-B', 1, 1],
      ['bulk-C', 0, 0],
      ['bulk-D\\', 3, 3],
    ]);
    const returned = results.flatMap((r) => r.events);
    const stored = await readEverything();
    expect(stored).toHaveLength(returned.length);
    const storedById = new Map(stored.map((e) => [e.eventId, e]));
    for (const event of returned) expect(storedById.get(event.eventId)).toEqual(event);
    expect(new Set(returned.map((e) => e.transactionId)).size).toBe(1);
    expect(results[0]!.events[1]).toMatchObject({
      streamVersion: 2,
      data: awkward(2).data,
      metadata: awkward(2).metadata,
    });
    expect((await store.readStream('bulk-D\\')).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
  });

  it('numbers a batch with gap-free positions in the order it returns them, and readAll reads that order', async () => {
    const before = await headPosition();
    const appends = Array.from({ length: 120 }, (_, stream) => ({
      streamId: `gapless-${String(stream).padStart(3, '0')}`,
      events: [event(stream), event(stream + 1000), event(stream + 2000)],
      expectedVersion: 'no-stream' as const,
    }));
    // Named out of order: the store writes streams in one fixed order (by id), each in version order.
    const results = await store.appendMany([...appends].reverse());
    const written = results
      .flatMap((r) => r.events)
      .sort((a, b) => (BigInt(a.globalPosition) < BigInt(b.globalPosition) ? -1 : 1));
    expect(written.map((e) => BigInt(e.globalPosition))).toEqual(
      Array.from({ length: 360 }, (_, index) => before + 1n + BigInt(index)),
    );
    expect(written.map((e) => `${e.streamId}@${e.streamVersion}`)).toEqual(
      appends.flatMap((a) => [1, 2, 3].map((version) => `${a.streamId}@${version}`)),
    );
    const read = await readEverything();
    expect(read.slice(-360)).toEqual(written);
  });

  it('writes nothing and draws no position when any stream of a batch is not at its expected version', async () => {
    await store.appendMany([
      { streamId: 'conflict-X', events: [event(1), event(2)], expectedVersion: 'no-stream' },
      { streamId: 'conflict-Y', events: [event(1)], expectedVersion: 'no-stream' },
    ]);
    const before = await headPosition();
    const fresh = Array.from({ length: 200 }, (_, stream) => ({
      streamId: `conflict-new-${stream}`,
      events: [event(stream)],
      expectedVersion: 'no-stream' as const,
    }));
    const refused = [
      [{ streamId: 'conflict-X', events: [event(3)], expectedVersion: 1 }],
      [{ streamId: 'conflict-Y', events: [event(2)], expectedVersion: 'no-stream' as const }],
      [{ streamId: 'conflict-Y', events: [event(2)], expectedVersion: 0 }],
    ];
    for (const stale of refused) {
      const attempt = store.appendMany([
        ...fresh.slice(0, 100),
        ...stale,
        { streamId: 'conflict-Z', events: [event(9)], expectedVersion: 'any' },
        ...fresh.slice(100),
      ]);
      await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(attempt).rejects.toMatchObject({ conflicts: [{ streamId: stale[0]!.streamId }] });
    }
    expect(
      await store.streamVersions(['conflict-X', 'conflict-Y', 'conflict-Z', ...fresh.map((f) => f.streamId)]),
    ).toEqual(
      new Map([
        ['conflict-X', 2],
        ['conflict-Y', 1],
      ]),
    );
    expect(await headPosition()).toBe(before);
    const next = await store.appendMany(fresh);
    expect(BigInt(next[0]!.events[0]!.globalPosition)).toBe(before + 1n);
  });

  it('writes nothing when the rows themselves fail, and the connection stays usable', async () => {
    const [taken] = await store.append('dup-A', [event(1)], 'no-stream').then((r) => r.events);
    const batch = [
      { streamId: 'dup-B', events: [event(1)], expectedVersion: 'no-stream' as const },
      { streamId: 'dup-C', events: [{ ...event(2), eventId: taken!.eventId }], expectedVersion: 'no-stream' as const },
      {
        streamId: 'dup-D',
        events: [event(3)],
        expectedVersion: 'no-stream' as const,
        state: { schemaVersion: 1, data: 1 },
      },
    ];
    // On the pool, within a caller's transaction, and with the pool passed as if it were one.
    await expect(store.appendMany(batch)).rejects.toThrow(/duplicate key|events_event_id_key/);
    await expect(database.transaction((sql) => store.appendMany(batch, sql))).rejects.toThrow(/duplicate key/);
    await expect(store.appendMany(batch, database)).rejects.toThrow(/duplicate key/);
    expect(await store.streamVersions(['dup-B', 'dup-C', 'dup-D'])).toEqual(new Map());
    expect(await store.keptStates(['dup-D'])).toEqual(new Map());
    // A caller's transaction that fails after the COPY takes the COPY's rows with it.
    await expect(
      database.transaction(async (sql) => {
        await store.appendMany(
          batch.map((append) => ({ ...append, events: [event(4)] })),
          sql,
        );
        throw new Error('the caller gives up');
      }),
    ).rejects.toThrow('the caller gives up');
    expect(await store.streamVersions(['dup-B', 'dup-C', 'dup-D'])).toEqual(new Map());
    // Every pooled connection still works (none is left in a COPY or an aborted transaction).
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        store.appendMany([
          { streamId: `after-${n}-1`, events: [event(n)], expectedVersion: 'no-stream' },
          { streamId: `after-${n}-2`, events: [event(n)], expectedVersion: 'no-stream' },
        ]),
      ),
    );
    expect(results.flat().every((r) => r.nextExpectedVersion === 1)).toBe(true);
  });

  it('keeps readAll consistent with what two concurrent bulk appenders return, and lets no reader skip', async () => {
    const start = (await readEverything()).at(-1) ?? START;
    const shared = Array.from({ length: 40 }, (_, n) => `shared-${n}`);
    const returned: StoredEvent[][] = [];
    const appender = async (worker: number) => {
      for (let batch = 0; batch < 12; batch += 1) {
        const results = await store.appendMany([
          ...shared.map((streamId) => ({
            streamId,
            events: [event(worker * 100 + batch)],
            expectedVersion: 'any' as const,
          })),
          ...Array.from({ length: 60 }, (_, n) => ({
            streamId: `own-${worker}-${batch}-${n}`,
            events: [event(n), event(n + 1)],
            expectedVersion: 'no-stream' as const,
          })),
        ]);
        returned.push(results.flatMap((r) => r.events));
      }
    };
    // A reader follows the global order while the appenders write: it must end with every event.
    let done = false;
    const followed: StoredEvent[] = [];
    const reader = (async () => {
      let checkpoint = start;
      for (;;) {
        const finished = done;
        const batch = await store.readAll(checkpoint, 200);
        followed.push(...batch);
        if (batch.length > 0) checkpoint = batch.at(-1)!;
        else if (finished) return;
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all([appender(1), appender(2)]);
    await eventually(async () => (await store.heldBehindOpenTransaction()) === null);
    done = true;
    await reader;

    const read = await readEverything(start);
    expect(followed).toEqual(read);
    // Each batch is one transaction: its events are read together, in the order of their positions.
    const batches = returned
      .map((batch) => [...batch].sort(compareCheckpoints))
      .sort((a, b) => compareCheckpoints(a[0]!, b[0]!));
    const places = (events: StoredEvent[]) => events.map((e) => `${e.transactionId}:${e.globalPosition}:${e.eventId}`);
    expect(places(read)).toEqual(places(batches.flat()));
    for (const batch of batches) expect(new Set(batch.map((e) => e.transactionId)).size).toBe(1);
    expect(new Set(batches.map((batch) => batch[0]!.transactionId)).size).toBe(24);
    for (let i = 1; i < read.length; i += 1) expect(compareCheckpoints(read[i - 1]!, read[i]!)).toBeLessThan(0);
    const sharedVersions = await store.readStreams(shared);
    for (const streamId of shared)
      expect(sharedVersions.get(streamId)!.map((e) => e.streamVersion)).toEqual(
        Array.from({ length: 24 }, (_, i) => i + 1),
      );
  });
});

describe('EventStore reads of several streams, on a store of many', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let store: EventStore;
  let database: Database;
  const STREAMS = 4_000;
  const streamId = (n: number) => `many-${String(n).padStart(5, '0')}`;
  const typeOf = (stream: number, n: number) => (n === 5 && stream % 50 === 0 ? 'test.rare' : `test.kind-${n}`);

  beforeAll(async () => {
    ({ environment, module, store, database } = await startEventStore());
    for (let first = 0; first < STREAMS; first += 500) {
      await store.appendMany(
        Array.from({ length: 500 }, (_, offset) => ({
          streamId: streamId(first + offset),
          // Five types, one of them rare, so that the index on the type is there to tempt the planner.
          events: [1, 2, 3, 4, 5].map((n) => ({ ...event(n), type: typeOf(first + offset, n) })),
          expectedVersion: 'no-stream' as const,
        })),
      );
    }
    await database.execute('ANALYZE events');
  });

  afterAll(() => stopEventStore(module, environment));

  /** Runs each statement a read sends as EXPLAIN instead (no rows come back), keeping the plans. */
  const explaining = (sql: Sql, plans: PlanNode[]): Sql => ({
    query: async <Row>(text: string, parameters?: unknown[]): Promise<Row[]> => {
      plans.push(await planOf(sql, text, parameters));
      return [];
    },
    execute: () => Promise.reject(new Error('a read does not write')),
    copyRows: () => Promise.reject(new Error('a read does not write')),
  });

  // Each read must probe the index once per asked stream whatever the planner believes. Flattened
  // into a join, with the bounds poorly estimated, it chose a sequential scan of `events` (half a
  // second at 400,000 events); believing streams long (statistics taken early in a load, or none),
  // it combined each stream's range with the type index, reading every event of that type per stream.
  const CONDITIONS: Record<string, string[]> = {
    'with fresh statistics': [],
    'with statistics that take each stream for a thousand events': [
      'ALTER TABLE events ALTER COLUMN stream_id SET (n_distinct = 20)',
      'ANALYZE events',
    ],
    'with nested loops discouraged': ['SET LOCAL enable_nestloop = off'],
  };
  it.each(Object.keys(CONDITIONS))(
    'reads each asked stream through the (stream_id, stream_version) index, never the whole table, %s',
    async (condition) => {
      const asked = Array.from({ length: 300 }, (_, i) => streamId(i * 13));
      const plans: PlanNode[] = [];
      // Rolled back: the statistics and settings are this test's alone.
      await inRolledBackTransaction(database, async (sql) => {
        for (const statement of CONDITIONS[condition]!) await sql.execute(statement);
        const explain = explaining(sql, plans);
        await store.readStreams(asked, explain);
        await store.readStreamsAt(
          asked,
          asked.map(() => 3),
          1,
          explain,
        );
        await store.readStreamsOfTypes(
          asked,
          { 'test.rare': [] },
          { transactionId: '999999999', globalPosition: '999999999' },
          explain,
        );
      });
      const scans = plans.flatMap((plan) => scansOf(plan, 'events'));
      expect(plans.length).toBe(4);
      expect(scans.length).toBeGreaterThanOrEqual(3);
      for (const scan of scans) {
        expect(scan['Node Type']).not.toBe('Seq Scan');
        expect(scan['Index Name']).toBe('events_stream_version_unique');
      }
    },
  );

  it('reads the same events as before for each asked stream, duplicates named once', async () => {
    const asked = [streamId(7), streamId(3_999), streamId(7), 'many-none'];
    const streams = await store.readStreams(asked);
    expect([...streams.keys()]).toEqual([streamId(7), streamId(3_999), 'many-none']);
    expect(streams.get(streamId(7))!.map((e) => [e.streamVersion, e.data])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [n, { n }]),
    );
    expect(streams.get('many-none')).toEqual([]);
    const at = await store.readStreamsAt([streamId(7), streamId(8)], [2, 4], 1);
    expect(at.get(streamId(7))!.events.map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(at.get(streamId(8))!.events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
    const ofTypes = await store.readStreamsOfTypes(
      [streamId(9), streamId(9)],
      { 'test.kind-2': ['n'], 'test.kind-4': ['n'] },
      {
        transactionId: '999999999',
        globalPosition: '999999999',
      },
    );
    expect(ofTypes.get(streamId(9))!.map((e) => [e.type, e.data])).toEqual([
      ['test.kind-2', 2],
      ['test.kind-4', 4],
    ]);
  });
});
