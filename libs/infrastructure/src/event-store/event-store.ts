import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '../database/database.js';
import { insertRows } from '../database/insert-rows.js';
import { OPEN_TRANSACTIONS_HORIZON, READ_HORIZON } from '../database/read-horizon.js';
import { ConcurrencyError, InvalidExpectedVersionError, StreamNamedTwiceError } from './event-store.errors.js';

/** `any`: append whatever the stream holds; `no-stream`: the stream must not exist; a number: its exact current version. */
export type ExpectedVersion = 'any' | 'no-stream' | number;

export interface NewEvent {
  eventId?: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata?: Record<string, unknown>;
  /** When the change happened in the registry (its effective date), as an ISO timestamp. */
  occurredAt: string;
}

export interface StoredEvent<Data = unknown> {
  globalPosition: string;
  transactionId: string;
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Data;
  metadata: Record<string, unknown>;
  occurredAt: Date;
  recordedAt: Date;
}

export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expectedVersion: ExpectedVersion;
  /**
   * The stream's folded state after these events, kept beside the stream in the same statement or
   * transaction as the append (replacing the one kept before): see `readStreamsAfterStates`.
   */
  state?: StreamStateInput;
}

/** A folded state as its writer formats it; `schemaVersion` names that format. */
export interface StreamStateInput {
  schemaVersion: number;
  data: unknown;
}

/** A stream's kept state (at `version`) and the events appended after it, in version order. */
export interface StreamSinceState {
  state: { version: number; data: unknown } | null;
  events: StoredEvent[];
}

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append: pass it as the next expected version. */
  nextExpectedVersion: number;
  events: StoredEvent[];
}

/** A reader's place in the global order. Events are ordered by (transactionId, globalPosition). */
export interface Checkpoint {
  transactionId: string;
  globalPosition: string;
}

export const START: Checkpoint = { transactionId: '0', globalPosition: '0' };

interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: Record<string, unknown>;
  occurred_at: Date;
  recorded_at: Date;
}

/** An event row's columns, with `data` and `metadata` as these expressions. */
const eventColumns = (data = 'data', metadata = 'metadata'): string =>
  `global_position, transaction_id::text AS transaction_id, stream_id, stream_version, event_id, type, schema_version, ${data} AS data, ${metadata} AS metadata, occurred_at, recorded_at`;

const EVENT_COLUMNS = eventColumns();

/**
 * An event's data with, where it carries `facts` (a registration, learned facts), only the facts named
 * in the text[] parameter `facts` (null: all of them).
 */
const dataWithFactsOnly = (facts: string): string => `CASE WHEN ${facts}::text[] IS NULL
    OR jsonb_typeof(data -> 'facts') IS DISTINCT FROM 'object' THEN data
  ELSE (data - 'facts') || jsonb_build_object('facts',
    (SELECT coalesce(jsonb_object_agg(f.key, f.value), '{}'::jsonb)
     FROM jsonb_each(data -> 'facts') AS f WHERE f.key = ANY(${facts}::text[]))) END`;

const ENVELOPE_COLUMNS = eventColumns("'null'::jsonb", "'{}'::jsonb");

/** What a reader of the global order, or of the store stream by stream, loads of each event. */
export interface EventReadOptions {
  /** false: only the envelope (type, stream, positions, dates), data null and metadata {}. */
  payload?: boolean;
  /** Of an event whose data carries `facts` (a registration, learned facts), only these facts. */
  facts?: readonly string[] | null;
  /** Events of these types come as envelopes only, whatever else is loaded of the others. */
  envelopeOnly?: readonly string[] | null;
}

/**
 * An event read whole, as a reader with `options` gets it from the store (`readAll`'s columns): what
 * one read of whole events, shared by readers with different needs, gives each of them.
 * `event-store.int-spec.ts` checks it against the store's own reads.
 */
export const eventAsRead = (
  event: StoredEvent,
  { payload = true, facts = null, envelopeOnly = null }: EventReadOptions,
): StoredEvent => {
  if (!payload || envelopeOnly?.includes(event.type)) return { ...event, data: null, metadata: {} };
  if (facts === null) return event;
  const data = event.data;
  if (!isObject(data) || !isObject(data['facts'])) return event;
  const kept = Object.entries(data['facts']).filter(([fact]) => facts.includes(fact));
  return { ...event, data: { ...data, facts: Object.fromEntries(kept) } };
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The columns a reader of events asks for (`EventReadOptions`), with what they need passed as the
 * parameters after `parameters`.
 */
const readColumns = (
  { payload = true, facts = null, envelopeOnly = null }: EventReadOptions,
  parameters: unknown[],
): { columns: string; parameters: unknown[] } => {
  if (!payload) return { columns: ENVELOPE_COLUMNS, parameters };
  const all = [...parameters];
  const next = (value: unknown) => `$${all.push(value)}`;
  let data = facts === null ? 'data' : dataWithFactsOnly(next(facts));
  let metadata = 'metadata';
  if (envelopeOnly !== null && envelopeOnly.length > 0) {
    const types = next(envelopeOnly);
    data = `CASE WHEN type = ANY(${types}::text[]) THEN 'null'::jsonb ELSE ${data} END`;
    metadata = `CASE WHEN type = ANY(${types}::text[]) THEN '{}'::jsonb ELSE metadata END`;
  }
  return { columns: eventColumns(data, metadata), parameters: all };
};

/**
 * The events of each stream in `spans` (rows with an `id` column), in stream and version order, read
 * as one range of the `(stream_id, stream_version)` index per stream: `range` may bound the versions
 * (columns of `span`), `filter` keeps some of each range's events (any other condition), and `columns`
 * are computed from the kept ones only.
 *
 * `OFFSET 0` keeps PostgreSQL from flattening the per-stream subquery into a join of the whole table,
 * and from pushing `filter` into it. Flattened, with the version and position bounds poorly estimated,
 * it chose a hash join over a sequential scan of `events` (half a second for 500 streams at 400,000
 * events, growing with the store); given the type condition, it combined each stream's range with the
 * type index, reading every event of those types once per stream (3 s for 500 streams at 600,000).
 * `event-store.int-spec.ts` ("reads of several streams, on a store of many") checks the plans.
 */
const eventsPerStream = (
  spans: string,
  columns: string,
  { range = '', filter = '' }: { range?: string; filter?: string } = {},
): string =>
  `SELECT ${columns} FROM ${spans}
   CROSS JOIN LATERAL (
     SELECT * FROM events WHERE events.stream_id = span.id ${range} OFFSET 0
   ) AS events
   ${filter ? `WHERE ${filter}` : ''}
   ORDER BY events.stream_id, events.stream_version`;

const toStoredEvent = (row: EventRow): StoredEvent => ({
  globalPosition: String(row.global_position),
  transactionId: row.transaction_id,
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  eventId: row.event_id,
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata,
  occurredAt: row.occurred_at,
  recordedAt: row.recorded_at,
});

/** The highest stream version there can be (`stream_version` is an integer): "up to the end". */
const LAST_VERSION = 2_147_483_647;

const groupByStream = (streamIds: readonly string[], rows: EventRow[]): Map<string, StoredEvent[]> => {
  const streams = new Map<string, StoredEvent[]>(streamIds.map((id) => [id, []]));
  for (const row of rows) streams.get(row.stream_id)!.push(toStoredEvent(row));
  return streams;
};

const describe = (expected: ExpectedVersion): string =>
  typeof expected === 'number' ? `version ${expected}` : expected;

/**
 * The PostgreSQL event store. Appends are all-or-nothing per call, even across streams: a bulk load
 * appends thousands of streams in one transaction. Each stream's expected version is checked (and its
 * row locked) before any event row, and so any global position, is written. Appends to several
 * streams send their event rows by `COPY`.
 */
@Injectable()
export class EventStore {
  constructor(private readonly database: Database) {}

  async append(
    streamId: string,
    events: NewEvent[],
    expectedVersion: ExpectedVersion,
    sql?: Sql,
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamId, events, expectedVersion }], sql);
    return result!;
  }

  /** Appends to several streams in one transaction (the caller's, when given). */
  async appendMany(appends: StreamAppend[], sql?: Sql): Promise<AppendResult[]> {
    const named = new Set<string>();
    const twice = new Set<string>();
    for (const { streamId } of appends) {
      if (named.has(streamId)) twice.add(streamId);
      named.add(streamId);
    }
    if (twice.size > 0) throw new StreamNamedTwiceError([...twice]);
    const invalid = appends.filter(
      ({ expectedVersion }) =>
        typeof expectedVersion === 'number' && !(Number.isInteger(expectedVersion) && expectedVersion >= 0),
    );
    if (invalid.length > 0) throw new InvalidExpectedVersionError(invalid.map((append) => append.streamId));
    const nonEmpty = appends.filter((append) => append.events.length > 0);
    const empty = appends.filter((append) => append.events.length === 0);
    // An append of nothing still checks its expectation, and tells the version the stream is at.
    const emptyVersions = empty.length > 0 ? await this.checkUnmoved(sql ?? this.database, empty) : new Map();
    const withEmpty = (results: AppendResult[]): AppendResult[] =>
      results.map((result) =>
        result.events.length === 0 && emptyVersions.has(result.streamId)
          ? { ...result, nextExpectedVersion: emptyVersions.get(result.streamId)! }
          : result,
      );
    if (nonEmpty.length === 0) {
      return withEmpty(appends.map((append) => ({ streamId: append.streamId, nextExpectedVersion: 0, events: [] })));
    }
    if (nonEmpty.length === 1) {
      // One stream: one statement, so without a caller's transaction one round trip and no BEGIN/COMMIT.
      const result = await this.appendOne(sql ?? this.database, nonEmpty[0]!);
      return withEmpty(
        appends.map((append) =>
          append === nonEmpty[0] ? result : { streamId: append.streamId, nextExpectedVersion: 0, events: [] },
        ),
      );
    }
    const work = (tx: Sql) => this.appendWithin(tx, appends, nonEmpty);
    // Several statements that must share one transaction: the pool itself is no transaction.
    return withEmpty(await (sql && !(sql instanceof Database) ? work(sql) : this.database.transaction(work)));
  }

  /** The versions of streams appended nothing, each checked against what its append expected. */
  private async checkUnmoved(sql: Sql, appends: readonly StreamAppend[]): Promise<Map<string, number>> {
    const rows = await sql.query<{ stream_id: string; version: number }>(
      'SELECT stream_id, version FROM streams WHERE stream_id = ANY($1::text[])',
      [appends.map((append) => append.streamId)],
    );
    const versions = new Map(appends.map((append) => [append.streamId, 0]));
    rows.forEach((row) => versions.set(row.stream_id, row.version));
    const conflicts = appends
      .filter(({ streamId, expectedVersion }) =>
        expectedVersion === 'any'
          ? false
          : versions.get(streamId) !== (expectedVersion === 'no-stream' ? 0 : expectedVersion),
      )
      .map((append) => ({ streamId: append.streamId, expected: describe(append.expectedVersion) }));
    if (conflicts.length > 0) throw new ConcurrencyError(conflicts);
    return versions;
  }

  /**
   * One stream's append as a single statement with bound parameters: the version check and bump and the
   * event rows are data-modifying CTEs of one INSERT, atomic on their own. The event rows are selected
   * from the stream's reserved row, so a failed check inserts nothing and draws no global position
   * (event-store.int-spec.ts: "refuses a stale expected version with a typed conflict, writing nothing
   * and drawing no position"). A concurrent append to the same stream waits on the stream's row and
   * then sees its new version, as in the multi-stream path.
   */
  private async appendOne(sql: Sql, append: StreamAppend): Promise<AppendResult> {
    const { streamId, events, expectedVersion } = append;
    const count = events.length;
    const reserve =
      typeof expectedVersion === 'number' && expectedVersion > 0
        ? `UPDATE streams SET version = version + $2, updated_at = now()
           WHERE stream_id = $1 AND version = $3::int RETURNING version`
        : expectedVersion === 'any'
          ? `INSERT INTO streams (stream_id, version) VALUES ($1, $2)
             ON CONFLICT (stream_id) DO UPDATE SET version = streams.version + EXCLUDED.version, updated_at = now()
             RETURNING version`
          : `INSERT INTO streams (stream_id, version) VALUES ($1, $2) ON CONFLICT (stream_id) DO NOTHING RETURNING version`;
    // $3 (the expected version) only where the statement uses it: an unused parameter has no type.
    const parameters: unknown[] =
      typeof expectedVersion === 'number' && expectedVersion > 0
        ? [streamId, count, expectedVersion]
        : [streamId, count];
    const values = events.map((event, index) => {
      const at = parameters.length;
      parameters.push(
        event.eventId ?? randomUUID(),
        event.type,
        event.schemaVersion,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata ?? {}),
        new Date(event.occurredAt).toISOString(),
      );
      return `(${index + 1}, $${at + 1}::uuid, $${at + 2}::text, $${at + 3}::int, $${at + 4}::jsonb, $${at + 5}::jsonb, $${at + 6}::timestamptz)`;
    });
    let keepState = '';
    if (append.state) {
      parameters.push(append.state.schemaVersion, JSON.stringify(append.state.data));
      const at = parameters.length;
      keepState = `, kept AS (
         INSERT INTO stream_states (stream_id, stream_version, schema_version, state)
         SELECT $1, reserved.version, $${at - 1}::int, $${at}::jsonb FROM reserved
         ON CONFLICT (stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version,
           schema_version = EXCLUDED.schema_version, state = EXCLUDED.state, updated_at = now()
       )`;
    }
    const rows = await sql.query<EventRow & { reserved_version: number }>(
      `WITH reserved AS (${reserve})${keepState},
       appended AS (
         INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, occurred_at)
         SELECT $1, reserved.version - $2 + e.ordinal, e.event_id, e.type, e.schema_version, e.data, e.metadata, e.occurred_at
         FROM reserved, (VALUES ${values.join(', ')})
           AS e(ordinal, event_id, type, schema_version, data, metadata, occurred_at)
         ORDER BY e.ordinal
         RETURNING global_position, transaction_id, stream_version, event_id, recorded_at
       )
       SELECT global_position, transaction_id::text AS transaction_id, stream_version, event_id, recorded_at
       FROM appended ORDER BY stream_version`,
      parameters,
    );
    if (rows.length !== count) throw new ConcurrencyError([{ streamId, expected: describe(expectedVersion) }]);
    return {
      streamId,
      nextExpectedVersion: rows.at(-1)!.stream_version,
      events: rows.map((row, index) => {
        const event = events[index]!;
        return {
          globalPosition: String(row.global_position),
          transactionId: row.transaction_id,
          streamId,
          streamVersion: row.stream_version,
          eventId: row.event_id,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: event.metadata ?? {},
          occurredAt: new Date(event.occurredAt),
          recordedAt: row.recorded_at,
        };
      }),
    };
  }

  private async appendWithin(sql: Sql, appends: StreamAppend[], nonEmpty: StreamAppend[]): Promise<AppendResult[]> {
    // A fixed lock order keeps concurrent multi-stream appends from deadlocking (event-store.int-spec.ts:
    // "appends to the same streams named in opposite orders ... without a deadlock").
    const ordered = [...nonEmpty].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
    const newVersions = await this.reserveVersions(sql, ordered);

    const rows: Omit<StoredEvent, 'globalPosition' | 'transactionId' | 'recordedAt'>[] = [];
    for (const append of ordered) {
      const last = newVersions.get(append.streamId)!;
      append.events.forEach((event, index) =>
        rows.push({
          streamId: append.streamId,
          streamVersion: last - append.events.length + index + 1,
          eventId: event.eventId ?? randomUUID(),
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: event.metadata ?? {},
          occurredAt: new Date(event.occurredAt),
        }),
      );
    }
    // The rows go in by COPY (no bound parameters to parse, plan and cast per statement), with
    // everything the database would assign drawn first: global positions from the column's own
    // sequence, in the rows' order, and the transaction's id and time, which are the columns'
    // defaults (`transaction_id`, `recorded_at`) for every row this transaction writes. Nothing is
    // drawn before the versions are checked, so a conflict draws no position.
    const [drawn] = await sql.query<{ transaction_id: string; recorded_at: Date; positions: string[] }>(
      `SELECT store_transaction_id()::text AS transaction_id, now() AS recorded_at,
              ARRAY(SELECT nextval(pg_get_serial_sequence('events', 'global_position'))
                    FROM generate_series(1, $1::int) ORDER BY 1)::text[] AS positions`,
      [rows.length],
    );
    const { transaction_id: transactionId, recorded_at: recordedAt, positions } = drawn!;
    const copied = await sql.copyRows(
      {
        into: 'events',
        columns: [
          'global_position',
          'stream_id',
          'stream_version',
          'event_id',
          'type',
          'schema_version',
          'data',
          'metadata',
          'occurred_at',
        ],
      },
      rows.map((row, index) => [
        positions[index]!,
        row.streamId,
        String(row.streamVersion),
        row.eventId,
        row.type,
        String(row.schemaVersion),
        JSON.stringify(row.data),
        JSON.stringify(row.metadata),
        row.occurredAt.toISOString(),
      ]),
    );
    if (copied !== rows.length) throw new Error(`COPY wrote ${copied} of ${rows.length} events`);
    const states = ordered.filter((append) => append.state);
    if (states.length > 0) {
      await insertRows(
        sql,
        {
          into: 'stream_states',
          columns: ['stream_id', 'stream_version', 'schema_version', 'state'],
          types: ['text', 'int', 'int', 'jsonb'],
          suffix: `ON CONFLICT (stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version,
                   schema_version = EXCLUDED.schema_version, state = EXCLUDED.state, updated_at = now()`,
        },
        states.map((append) => [
          append.streamId,
          newVersions.get(append.streamId)!,
          append.state!.schemaVersion,
          JSON.stringify(append.state!.data),
        ]),
      );
    }
    const byStream = new Map<string, StoredEvent[]>();
    rows.forEach((row, index) => {
      const stored: StoredEvent = { ...row, globalPosition: positions[index]!, transactionId, recordedAt };
      const stream = byStream.get(row.streamId);
      if (stream) stream.push(stored);
      else byStream.set(row.streamId, [stored]);
    });
    return appends.map((append) => ({
      streamId: append.streamId,
      nextExpectedVersion:
        newVersions.get(append.streamId) ?? (typeof append.expectedVersion === 'number' ? append.expectedVersion : 0),
      events: byStream.get(append.streamId) ?? [],
    }));
  }

  /** Checks every expected version and moves each stream's version forward; throws ConcurrencyError on any mismatch. */
  private async reserveVersions(sql: Sql, ordered: StreamAppend[]): Promise<Map<string, number>> {
    const newVersions = new Map<string, number>();
    const exact = ordered.filter((append) => typeof append.expectedVersion === 'number' && append.expectedVersion > 0);
    const fresh = ordered.filter((append) => append.expectedVersion === 'no-stream' || append.expectedVersion === 0);
    const any = ordered.filter((append) => append.expectedVersion === 'any');

    if (exact.length > 0) {
      const rows = await sql.query<{ stream_id: string; version: number }>(
        `WITH expected AS (
           SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) AS e(stream_id, expected, count)
         ), locked AS (
           SELECT s.stream_id, e.expected, e.count FROM streams s JOIN expected e USING (stream_id)
           WHERE s.version = e.expected ORDER BY s.stream_id FOR UPDATE OF s
         )
         UPDATE streams s SET version = locked.expected + locked.count, updated_at = now()
         FROM locked WHERE s.stream_id = locked.stream_id
         RETURNING s.stream_id, s.version`,
        [
          exact.map((a) => a.streamId),
          exact.map((a) => a.expectedVersion as number),
          exact.map((a) => a.events.length),
        ],
      );
      rows.forEach((row) => newVersions.set(row.stream_id, row.version));
    }
    if (fresh.length > 0) {
      const rows = await sql.query<{ stream_id: string; version: number }>(
        `INSERT INTO streams (stream_id, version)
         SELECT * FROM unnest($1::text[], $2::int[])
         ON CONFLICT (stream_id) DO NOTHING
         RETURNING stream_id, version`,
        [fresh.map((a) => a.streamId), fresh.map((a) => a.events.length)],
      );
      rows.forEach((row) => newVersions.set(row.stream_id, row.version));
    }
    if (any.length > 0) {
      const rows = await sql.query<{ stream_id: string; version: number }>(
        `INSERT INTO streams (stream_id, version)
         SELECT * FROM unnest($1::text[], $2::int[])
         ON CONFLICT (stream_id) DO UPDATE SET version = streams.version + EXCLUDED.version, updated_at = now()
         RETURNING stream_id, version`,
        [any.map((a) => a.streamId), any.map((a) => a.events.length)],
      );
      rows.forEach((row) => newVersions.set(row.stream_id, row.version));
    }
    const conflicts = ordered
      .filter((append) => !newVersions.has(append.streamId))
      .map((append) => ({ streamId: append.streamId, expected: describe(append.expectedVersion) }));
    if (conflicts.length > 0) throw new ConcurrencyError(conflicts);
    return newVersions;
  }

  /**
   * Checks that these streams are still at these versions, and keeps them there until `sql`'s
   * transaction ends (appenders wait): a decision taken on them without appending stays true when it
   * commits. A stream that moved is a ConcurrencyError, as for an append.
   */
  async assertVersions(expected: ReadonlyMap<string, number>, sql: Sql): Promise<void> {
    if (expected.size === 0) return;
    const rows = await sql.query<{ stream_id: string; version: number }>(
      'SELECT stream_id, version FROM streams WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR SHARE',
      [[...expected.keys()]],
    );
    const actual = new Map(rows.map((row) => [row.stream_id, row.version]));
    const conflicts = [...expected]
      .filter(([streamId, version]) => (actual.get(streamId) ?? 0) !== version)
      .map(([streamId, version]) => ({ streamId, expected: describe(version) }));
    if (conflicts.length > 0) throw new ConcurrencyError(conflicts);
  }

  async streamVersion(streamId: string, sql: Sql = this.database): Promise<number> {
    const [row] = await sql.query<{ version: number }>('SELECT version FROM streams WHERE stream_id = $1', [streamId]);
    return row?.version ?? 0;
  }

  /** A stream's events in version order, optionally only those that occurred up to a time. */
  async readStream(
    streamId: string,
    options: { occurredUpTo?: string } = {},
    sql: Sql = this.database,
  ): Promise<StoredEvent[]> {
    const rows = await sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE stream_id = $1 AND ($2::timestamptz IS NULL OR occurred_at <= $2)
       ORDER BY stream_version`,
      [streamId, options.occurredUpTo ?? null],
    );
    return rows.map(toStoredEvent);
  }

  /** The events of several streams, grouped by stream, each in version order. */
  async readStreams(streamIds: string[], sql: Sql = this.database): Promise<Map<string, StoredEvent[]>> {
    const rows = await sql.query<EventRow>(eventsPerStream('unnest($1::text[]) AS span(id)', EVENT_COLUMNS), [
      [...new Set(streamIds)],
    ]);
    return groupByStream(streamIds, rows);
  }

  /**
   * Several streams as their readers fold them: each one's kept state in the format `schemaVersion`
   * (null when none is kept, or only in another format) and the events after it. The state is read
   * first: events appended meanwhile are among the events, never lost between the two.
   */
  async readStreamsAfterStates(
    streamIds: string[],
    schemaVersion: number,
    sql: Sql = this.database,
  ): Promise<Map<string, StreamSinceState>> {
    return this.readStreamsAt(
      streamIds,
      streamIds.map(() => LAST_VERSION),
      schemaVersion,
      sql,
    );
  }

  /**
   * Several streams as they stood at given versions (`versions[i]` for `streamIds[i]`), as their readers
   * fold them: each one's kept state in the format `schemaVersion` when it lies at or before that version
   * (null otherwise), and the events after it up to that version.
   */
  async readStreamsAt(
    streamIds: readonly string[],
    versions: readonly number[],
    schemaVersion: number,
    sql: Sql = this.database,
  ): Promise<Map<string, StreamSinceState>> {
    const states = await sql.query<{ stream_id: string; stream_version: number; state: unknown }>(
      `SELECT s.stream_id, s.stream_version, s.state
       FROM unnest($1::text[], $2::int[]) AS at(id, version)
       CROSS JOIN LATERAL (
         SELECT stream_id, stream_version, state FROM stream_states
         WHERE stream_id = at.id AND stream_version <= at.version AND schema_version = $3 OFFSET 0
       ) AS s`,
      [streamIds, versions, schemaVersion],
    );
    const kept = new Map(states.map((row) => [row.stream_id, row]));
    const rows = await sql.query<EventRow>(
      eventsPerStream('unnest($1::text[], $2::int[], $3::int[]) AS span(id, after, up_to)', EVENT_COLUMNS, {
        range: 'AND events.stream_version > span.after AND events.stream_version <= span.up_to',
      }),
      [streamIds, streamIds.map((streamId) => kept.get(streamId)?.stream_version ?? 0), versions],
    );
    const events = groupByStream(streamIds, rows);
    return new Map(
      streamIds.map((streamId) => {
        const state = kept.get(streamId);
        return [
          streamId,
          {
            state: state ? { version: state.stream_version, data: state.state } : null,
            events: events.get(streamId)!,
          },
        ];
      }),
    );
  }

  /** What is kept of some streams' states: version and format, without the states. */
  async keptStates(
    streamIds: readonly string[],
    sql: Sql = this.database,
  ): Promise<Map<string, { version: number; schemaVersion: number }>> {
    const rows = await sql.query<{ stream_id: string; stream_version: number; schema_version: number }>(
      'SELECT stream_id, stream_version, schema_version FROM stream_states WHERE stream_id = ANY($1::text[])',
      [[...streamIds]],
    );
    return new Map(
      rows.map((row) => [row.stream_id, { version: row.stream_version, schemaVersion: row.schema_version }]),
    );
  }

  /**
   * Events of some types in several streams, grouped by stream in version order, up to a place in the
   * global order (null: every committed one). `extract` names, per type, the one part of the data to load (a JSON path): readers
   * that need one field of a large event (a status out of a whole registration) do not load the rest.
   * With `facts`, of an event loaded whole whose data carries `facts` (a registration, learned facts)
   * only those facts are loaded, beside the rest of its data. Metadata is not loaded.
   */
  async readStreamsOfTypes(
    streamIds: string[],
    extract: Readonly<Record<string, readonly string[]>>,
    upTo: Checkpoint | null,
    sql: Sql = this.database,
    { facts = null }: { facts?: readonly string[] | null } = {},
  ): Promise<Map<string, StoredEvent[]>> {
    const types = Object.keys(extract);
    const rows = await sql.query<EventRow>(
      eventsPerStream(
        'unnest($1::text[]) AS span(id)',
        `global_position, transaction_id::text AS transaction_id, stream_id, stream_version, event_id, type,
         schema_version,
         CASE WHEN $6::text[] IS NULL OR (($3::jsonb) ->> type) <> '{}'
              THEN data #> (($3::jsonb) ->> type)::text[]
              ELSE ${dataWithFactsOnly('$6')} END AS data,
         '{}'::jsonb AS metadata, occurred_at, recorded_at`,
        {
          filter: `type = ANY($2::text[])
            AND ($4::xid8 IS NULL OR (transaction_id, global_position) <= ($4::xid8, $5::bigint))`,
        },
      ),
      [
        [...new Set(streamIds)],
        types,
        JSON.stringify(Object.fromEntries(types.map((type) => [type, `{${extract[type]!.join(',')}}`]))),
        upTo?.transactionId ?? null,
        upTo?.globalPosition ?? null,
        facts,
      ],
    );
    return groupByStream(streamIds, rows);
  }

  /** Events by id (any order of ids; missing ids are left out), keyed by id. */
  async readByIds(eventIds: readonly string[], sql: Sql = this.database): Promise<Map<string, StoredEvent>> {
    if (eventIds.length === 0) return new Map();
    const rows = await sql.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ANY($1::uuid[])`, [
      [...new Set(eventIds)],
    ]);
    return new Map(rows.map((row) => [row.event_id, toStoredEvent(row)]));
  }

  /** Each existing stream's version and the effective date of its newest event. */
  async streamHeads(
    streamIds: readonly string[],
    sql: Sql = this.database,
  ): Promise<Map<string, { version: number; occurredAt: Date }>> {
    if (streamIds.length === 0) return new Map();
    const rows = await sql.query<{ stream_id: string; version: number; occurred_at: Date }>(
      `SELECT s.stream_id, s.version, e.occurred_at
       FROM streams s JOIN events e ON e.stream_id = s.stream_id AND e.stream_version = s.version
       WHERE s.stream_id = ANY($1::text[])`,
      [[...streamIds]],
    );
    return new Map(rows.map((row) => [row.stream_id, { version: row.version, occurredAt: row.occurred_at }]));
  }

  /** Which of these streams exist, with their versions. */
  async streamVersions(streamIds: readonly string[], sql: Sql = this.database): Promise<Map<string, number>> {
    if (streamIds.length === 0) return new Map();
    const rows = await sql.query<{ stream_id: string; version: number }>(
      'SELECT stream_id, version FROM streams WHERE stream_id = ANY($1::text[])',
      [[...streamIds]],
    );
    return new Map(rows.map((row) => [row.stream_id, row.version]));
  }

  /**
   * Events after `checkpoint` in commit order. Only transactions below the oldest one still running in
   * this database (`READ_HORIZON`) are read: a transaction that started earlier but commits later would
   * otherwise land behind a reader's checkpoint and be skipped for good.
   * `options` say what is loaded of each event (all of it by default).
   */
  async readAll(
    after: Checkpoint,
    limit: number,
    sql: Sql = this.database,
    options: EventReadOptions = {},
  ): Promise<StoredEvent[]> {
    // Readers that need only the envelope (type, stream, positions) skip the data and metadata.
    // Ordered by the table's columns: an unqualified `transaction_id` would name the selected text
    // column, sorting '1000' before '999' and scanning the whole table instead of the commit-order index.
    const { columns, parameters } = readColumns(options, [after.transactionId, after.globalPosition, limit]);
    const rows = await sql.query<EventRow>(
      `SELECT ${columns} FROM events
       WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         AND transaction_id < ${READ_HORIZON}
       ORDER BY events.transaction_id, events.global_position
       LIMIT $3`,
      parameters,
    );
    return rows.map(toStoredEvent);
  }

  /**
   * The last event `readAll` may return now, as a place in the global order (null when there is none):
   * every event at or before it is committed and stays as it is, and every event committed later lies
   * after it. So the events up to it can be read in another order (`readStreamsUpTo`), and a reader of
   * the global order goes on from it without skipping or repeating one.
   */
  async lastReadable(sql: Sql = this.database): Promise<Checkpoint | null> {
    const [row] = await sql.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM events
       WHERE transaction_id < ${READ_HORIZON}
       ORDER BY events.transaction_id DESC, events.global_position DESC
       LIMIT 1`,
    );
    return row ? { transactionId: row.transaction_id, globalPosition: row.global_position } : null;
  }

  /**
   * The last event committed before this statement began, as a place in the global order (null when there
   * is none), whether or not `readAll` may return it yet: a reader that has passed it has every event
   * committed by then.
   */
  async lastCommitted(sql: Sql = this.database): Promise<Checkpoint | null> {
    const [row] = await sql.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM events
       ORDER BY events.transaction_id DESC, events.global_position DESC
       LIMIT 1`,
    );
    return row ? { transactionId: row.transaction_id, globalPosition: row.global_position } : null;
  }

  /**
   * The next `count` streams in stream id order after `afterStreamId` ('' for the first), with each one's
   * events at or before `upTo` in the global order, in stream and version order: the store read stream
   * by stream rather than in commit order. A stream with no event up to `upTo` is among `streamIds`
   * with none among `events`. `options` as for `readAll`.
   */
  async readStreamsUpTo(
    afterStreamId: string,
    count: number,
    upTo: Checkpoint,
    sql: Sql = this.database,
    options: EventReadOptions = {},
  ): Promise<{ streamIds: string[]; events: StoredEvent[] }> {
    const streams = await sql.query<{ stream_id: string }>(
      'SELECT stream_id FROM streams WHERE stream_id > $1 ORDER BY stream_id LIMIT $2',
      [afterStreamId, count],
    );
    const streamIds = streams.map((row) => row.stream_id);
    if (streamIds.length === 0) return { streamIds, events: [] };
    const { columns, parameters } = readColumns(options, [streamIds, upTo.transactionId, upTo.globalPosition]);
    const rows = await sql.query<EventRow>(
      eventsPerStream('unnest($1::text[]) AS span(id)', columns, {
        filter: '(transaction_id, global_position) <= ($2::xid8, $3::bigint)',
      }),
      parameters,
    );
    return { streamIds, events: rows.map(toStoredEvent) };
  }

  /**
   * Whether any event lies after the checkpoint, committed before this statement began, whether or not
   * `readAll` may return it yet (it stops below the oldest transaction still running).
   */
  async anyAfter(after: Checkpoint, sql: Sql = this.database): Promise<boolean> {
    const [row] = await sql.query<{ found: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
       ) AS found`,
      [after.transactionId, after.globalPosition],
    );
    return row?.found ?? false;
  }

  /**
   * Whether some event lies at or after `at`, visible or not. Events are never deleted, so a place a
   * reader of this store was given (an event's, or the start) always has one; a place with none comes
   * from elsewhere: another database, or this one before it was reset.
   */
  async holdsAtOrAfter(at: Checkpoint, sql: Sql = this.database): Promise<boolean> {
    const [row] = await sql.query<{ found: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM events WHERE (transaction_id, global_position) >= ($1::xid8, $2::bigint)
       ) AS found`,
      [at.transactionId, at.globalPosition],
    );
    return row?.found ?? false;
  }

  /**
   * How far a checkpoint is behind the store, estimated from positions so that it costs two index
   * lookups however far behind it is: the first event after the checkpoint (its recorded time dates
   * the lag) and the newest global position. `events` is 0 exactly when nothing lies beyond the
   * checkpoint; otherwise it is the distance in global positions (at least 1), which counts the
   * positions of rolled-back appends too (`event-store.int-spec.ts`: "estimates lag from positions").
   */
  async lagBehind(
    checkpoint: Checkpoint,
    sql: Sql = this.database,
  ): Promise<{ events: number; oldestUnreadRecordedAt: Date | null }> {
    const [row] = await sql.query<{ head: string | null; oldest: Date | null; found: boolean }>(
      `SELECT (SELECT max(global_position) FROM events)::text AS head,
              first.recorded_at AS oldest, first.recorded_at IS NOT NULL AS found
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (
         SELECT recorded_at FROM events
         WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         ORDER BY transaction_id, global_position
         LIMIT 1
       ) AS first ON true`,
      [checkpoint.transactionId, checkpoint.globalPosition],
    );
    if (!row?.found) return { events: 0, oldestUnreadRecordedAt: null };
    const distance = BigInt(row.head ?? '0') - BigInt(checkpoint.globalPosition);
    return { events: Math.max(1, Number(distance)), oldestUnreadRecordedAt: row.oldest };
  }

  /**
   * Committed events that no reader of the global order may read yet, because a transaction that
   * started before them is still open (they lie at or above `OPEN_TRANSACTIONS_HORIZON`): when the
   * first of them was recorded, or null when none is held. Readers resume as soon as that transaction ends.
   */
  async heldBehindOpenTransaction(sql: Sql = this.database): Promise<{ since: Date } | null> {
    const [row] = await sql.query<{ recorded_at: Date }>(
      `SELECT recorded_at FROM events
       WHERE transaction_id >= ${OPEN_TRANSACTIONS_HORIZON}
       ORDER BY transaction_id, global_position
       LIMIT 1`,
    );
    return row ? { since: row.recorded_at } : null;
  }
}

/** Orders two places in the global order: negative when `a` comes first. */
export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number => {
  const [ta, tb] = [BigInt(a.transactionId), BigInt(b.transactionId)];
  if (ta !== tb) return ta < tb ? -1 : 1;
  const [pa, pb] = [BigInt(a.globalPosition), BigInt(b.globalPosition)];
  return pa < pb ? -1 : pa > pb ? 1 : 0;
};
