import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  type Checkpoint,
  compareCheckpoints,
  Database,
  type EventReadOptions,
  PLAN_WITHOUT_JIT,
  planWithoutJit,
  EventStore,
  eventAsRead,
  type Sql,
  START,
  type StoredEvent,
} from '@app/infrastructure';
import type { Projection, TableNames } from './projection.js';

export interface CatchUpTarget {
  /** The checkpoint row to advance: the projection's name, or its rebuild's. */
  checkpointName: string;
  tables: TableNames;
}

/** A stable 64-bit advisory lock key for a checkpoint name. */
const lockKeyOf = (name: string): string =>
  createHash('sha256').update(`projection:${name}`).digest().readBigInt64BE(0).toString();

export interface LockOptions {
  wait: boolean;
  timeoutMs?: number;
}

/** A runner that finds the projection busy waits for the other's batch to commit, then reads what it missed. */
const LOCK_WAIT_MS = 10_000;
const LOCK_NOT_AVAILABLE = '55P03';

/** The next batch's events, read while the current batch is applied, and the checkpoint they follow. */
export interface ReadAhead {
  after: Checkpoint;
  events: StoredEvent[];
}

/**
 * How long a catch-up keeps looking for events committed before it began that no read could reach yet,
 * and how soon it looks first (each wait after that twice the one before).
 */
export const HELD_READ_WAIT_MS = 2_000;
const HELD_READ_FIRST_RETRY_MS = 10;

const sameCheckpoint = (a: Checkpoint, b: Checkpoint): boolean =>
  a.transactionId === b.transactionId && a.globalPosition === b.globalPosition;

/** The checkpoint most of `checkpoints` are at (the first of those as often). */
const mostCommon = (checkpoints: readonly Checkpoint[]): Checkpoint => {
  let best = checkpoints[0]!;
  let bestCount = 0;
  for (const candidate of checkpoints) {
    const count = checkpoints.filter((checkpoint) => sameCheckpoint(checkpoint, candidate)).length;
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
};

/** What the projection reads of each event. */
const readOptionsOf = (projection: Projection): EventReadOptions => ({
  payload: projection.needsPayload,
  facts: projection.payloadFacts ?? null,
  envelopeOnly: projection.envelopeOnlyTypes ?? null,
});

export const liveTarget = (projection: Projection): CatchUpTarget => ({
  checkpointName: projection.name,
  tables: projection.tables,
});

/**
 * Moves a projection forward through the event store, one batch per transaction. The batch's
 * read-model writes and the checkpoint commit together, so a crash never applies a batch twice or
 * loses one. An advisory lock keeps every other runner of the same projection out meanwhile.
 */
@Injectable()
export class ProjectionRunner {
  private readonly logger = new Logger(ProjectionRunner.name);

  constructor(
    private readonly database: Database,
    private readonly eventStore: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Catches a unit up (`ProjectionRegistry.catchUpUnits`: one projection alone, or several together)
   * past every event committed before it began. A read can stop short of those (`READ_HORIZON`): an
   * older transaction of this database is still open, or one of another database ended while the read
   * looked. Then it looks again, after 10 ms and twice as long each time after that, until `deadline`
   * (`performance.now()` time); past it, the unit stops where readers stop, as `catchUp` does. A
   * transaction that appends events wakes the projections itself when it commits; one that writes
   * something else (a webhook delivery's record, a subscription) would otherwise leave the events it held
   * back to the next scheduled wake-up. Returns what `catchUp` or `catchUpTogether` did, added up.
   */
  async catchUpCommitted(projections: readonly Projection[], deadline: number): Promise<number | null> {
    const committed = await this.eventStore.lastCommitted();
    const once = () => (projections.length === 1 ? this.catchUp(projections[0]!) : this.catchUpTogether(projections));
    let total = await once();
    for (let wait = HELD_READ_FIRST_RETRY_MS; committed && performance.now() < deadline; wait *= 2) {
      const checkpoints = await this.checkpointsOf(projections.map((projection) => projection.name));
      if (checkpoints.every((checkpoint) => compareCheckpoints(checkpoint, committed) >= 0)) break;
      await sleep(Math.min(wait, Math.max(0, deadline - performance.now())));
      const more = await once();
      if (more !== null) total = (total ?? 0) + more;
    }
    return total;
  }

  /**
   * Applies every event visible now. Returns how many were applied, or null when another runner held
   * the projection for longer than the lock wait (it is applying them).
   */
  async catchUp(projection: Projection, target: CatchUpTarget = liveTarget(projection)): Promise<number | null> {
    let total = 0;
    let readAhead: Promise<ReadAhead | null> = Promise.resolve(null);
    for (;;) {
      // Awaited before the transaction opens: a transaction never holds a connection while waiting for another.
      const ahead = await readAhead;
      readAhead = Promise.resolve(null);
      const applied = await this.applyWaiting(projection, target, ahead, (next) => {
        readAhead = this.readAlone(next, readOptionsOf(projection));
      });
      if (applied === null) return total > 0 ? total : null;
      total += applied;
      if (applied < this.config.projectionBatchSize) return total;
    }
  }

  /**
   * Catches several projections up together, each in its own transactions under its own lock as
   * `catchUp` does, reading each batch once, whole, for all of them: each is given the batch as its own
   * read would have given it (`eventAsRead`), so PostgreSQL reads and sends a batch once rather than
   * once per projection. The batch is read after the checkpoint most of them are at; one elsewhere
   * (behind after a failure, or ahead after a catch-up of its own) reads its batch itself, as it would
   * alone. Like `catchUp`'s read ahead, a batch read before a projection's lock is taken is used only if
   * its checkpoint is the one found under the lock, and what it holds is then a prefix of what the
   * projection's own read would find. Returns how many events the batches held (the most one of them
   * applied of each, added up), or null when every one was held by another runner for longer than the
   * lock wait.
   */
  async catchUpTogether(projections: readonly Projection[]): Promise<number | null> {
    let most: number | null = null;
    let next: Promise<ReadAhead | null> | null = null;
    for (;;) {
      const checkpoints = await this.checkpointsOf(projections.map((projection) => projection.name));
      const after = mostCommon(checkpoints);
      const read = await next;
      next = null;
      const batch = read && sameCheckpoint(read.after, after) ? read : await this.readAlone(after);
      const last = batch?.events[batch.events.length - 1];
      if (last && batch!.events.length === this.config.projectionBatchSize) {
        next = this.readAlone({ transactionId: last.transactionId, globalPosition: last.globalPosition });
      }
      const applied = await Promise.all(
        projections.map((projection, index) => {
          // Nothing after the checkpoint it was at: a batch read since then would find nothing either.
          if (batch?.events.length === 0 && sameCheckpoint(checkpoints[index]!, after)) return 0;
          const options = readOptionsOf(projection);
          const ahead = batch && { after, events: batch.events.map((event) => eventAsRead(event, options)) };
          return this.applyWaiting(projection, liveTarget(projection), ahead);
        }),
      );
      const held = applied.filter((count): count is number => count !== null);
      if (held.length === 0) return most;
      most = (most ?? 0) + Math.max(...held);
      if (held.every((count) => count < this.config.projectionBatchSize)) return most;
    }
  }

  /**
   * One batch in a transaction of its own, waiting up to `LOCK_WAIT_MS` for the projection's lock: null
   * when another runner held it that long (it is applying the batch).
   */
  private applyWaiting(
    projection: Projection,
    target: CatchUpTarget,
    ahead: ReadAhead | null,
    readNext?: (after: Checkpoint) => void,
  ): Promise<number | null> {
    return this.database
      .transaction((sql) =>
        this.applyBatch(sql, projection, target, { wait: true, timeoutMs: LOCK_WAIT_MS }, ahead, readNext),
      )
      .catch((error: { code?: string }) => {
        if (error.code === LOCK_NOT_AVAILABLE) return null;
        throw error;
      });
  }

  /**
   * Fills an empty target with every event readable now, read stream by stream
   * (`PROJECTION_BATCH_SIZE` streams a transaction, the next ones read while these are applied), so
   * that each stream's rows are written once rather than once for every batch of the commit order its
   * events fall in. Leaves the target's checkpoint at the last of those events, where `catchUp` goes
   * on. Only for a projection that `rebuildsStreamByStream`. Returns how many events it applied.
   */
  async fillStreamByStream(projection: Projection, target: CatchUpTarget): Promise<number> {
    const upTo = await this.eventStore.lastReadable();
    if (!upTo) return 0;
    const read = (after: string) =>
      this.database.transaction(async (sql) => {
        await planWithoutJit(sql);
        return this.eventStore.readStreamsUpTo(
          after,
          this.config.projectionBatchSize,
          upTo,
          sql,
          readOptionsOf(projection),
        );
      });
    let applied = 0;
    for (let next = read(''); ;) {
      const { streamIds, events } = await next;
      if (streamIds.length === 0) break;
      next = read(streamIds[streamIds.length - 1]!);
      // Settled here too, so that a failure below does not leave the read ahead's rejection unhandled.
      next.catch(() => undefined);
      if (events.length === 0) continue;
      await this.database.transaction(async (sql) => {
        if (!(await this.lock(sql, target.checkpointName, { wait: false })))
          throw new Error(`Another run of ${target.checkpointName} holds it`);
        await projection.apply(sql, events, target.tables);
      });
      applied += events.length;
    }
    await this.saveCheckpoint(this.database, target.checkpointName, upTo);
    return applied;
  }

  /**
   * The batch after `after` (whole unless `options` say otherwise), read in a transaction of its own: a
   * unit's batch, read once for all of its projections, or the next batch, read while the current one is
   * applied, so that PostgreSQL reads it while this process applies the other. Whatever it holds is a
   * prefix of what the batch's own read would find (both stop below the oldest running transaction);
   * null when the read failed, and the batch reads for itself.
   */
  private readAlone(after: Checkpoint, options?: EventReadOptions): Promise<ReadAhead | null> {
    return this.database
      .transaction(async (sql) => {
        await planWithoutJit(sql);
        return { after, events: await this.eventStore.readAll(after, this.config.projectionBatchSize, sql, options) };
      })
      .catch(() => null);
  }

  private readBatch(sql: Sql, projection: Projection, after: Checkpoint): Promise<StoredEvent[]> {
    return this.eventStore.readAll(after, this.config.projectionBatchSize, sql, readOptionsOf(projection));
  }

  /**
   * One batch in the caller's transaction. `ahead` is used when it follows the checkpoint read here;
   * after a full batch, `readNext` is told the checkpoint the next batch would follow.
   */
  async applyBatch(
    sql: Sql,
    projection: Projection,
    target: CatchUpTarget,
    lock: LockOptions,
    ahead: ReadAhead | null = null,
    readNext?: (after: Checkpoint) => void,
  ): Promise<number | null> {
    if (!(await this.lock(sql, target.checkpointName, lock))) return null;
    const checkpoint = await this.readCheckpoint(sql, target.checkpointName);
    const events =
      ahead && ahead.events.length > 0 && sameCheckpoint(ahead.after, checkpoint)
        ? ahead.events
        : await this.readBatch(sql, projection, checkpoint);
    if (events.length === 0) return 0;
    const last = events[events.length - 1]!;
    if (readNext && events.length === this.config.projectionBatchSize) {
      readNext({ transactionId: last.transactionId, globalPosition: last.globalPosition });
    }
    await projection.apply(sql, events, target.tables);
    await this.saveCheckpoint(sql, target.checkpointName, last);
    return events.length;
  }

  async saveCheckpoint(sql: Sql, name: string, checkpoint: Checkpoint): Promise<void> {
    await sql.execute(
      `UPDATE projection_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = now() WHERE name = $1`,
      [name, checkpoint.transactionId, checkpoint.globalPosition],
    );
  }

  /**
   * Takes a checkpoint's lock for the rest of the transaction, which it also sets to run without JIT
   * (`PLAN_WITHOUT_JIT`: a batch's queries), in one statement. Without `wait`, returns false when another
   * runner holds it; with `timeoutMs`, gives up after that long with PostgreSQL's lock_not_available error.
   */
  async lock(sql: Sql, checkpointName: string, { wait, timeoutMs }: LockOptions): Promise<boolean> {
    const key = lockKeyOf(checkpointName);
    const timeout = wait && timeoutMs !== undefined ? `${timeoutMs}ms` : null;
    // The settings are the lock's subquery: PostgreSQL sets them before it takes, or waits for, the lock.
    const settings = `(SELECT ${PLAN_WITHOUT_JIT}${timeout ? `, set_config('lock_timeout', $2, true)` : ''}) AS settings`;
    if (wait) {
      await sql.query(`SELECT pg_advisory_xact_lock($1::bigint) FROM ${settings}`, timeout ? [key, timeout] : [key]);
      return true;
    }
    const [lock] = await sql.query<{ acquired: boolean }>(
      `SELECT pg_try_advisory_xact_lock($1::bigint) AS acquired FROM ${settings}`,
      [key],
    );
    return lock?.acquired === true;
  }

  /**
   * The checkpoint, created at the start of the store if missing, in one statement. Read under the
   * checkpoint's lock: a runner that created it meanwhile has committed, and the statement sees its row.
   */
  async readCheckpoint(sql: Sql, name: string): Promise<Checkpoint> {
    const [row] = await sql.query<{ transaction_id: string; global_position: string }>(
      `WITH created AS (
         INSERT INTO projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING
         RETURNING transaction_id, global_position
       )
       SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM created
       UNION ALL
       SELECT transaction_id::text, global_position::text FROM projection_checkpoints WHERE name = $1`,
      [name],
    );
    return row ? { transactionId: row.transaction_id, globalPosition: row.global_position } : START;
  }

  /** A checkpoint and when it last moved (null when the projection has never run). */
  async checkpointOf(name: string): Promise<{ checkpoint: Checkpoint; updatedAt: Date | null }> {
    const [row] = await this.database.query<{ transaction_id: string; global_position: string; updated_at: Date }>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position, updated_at
       FROM projection_checkpoints WHERE name = $1`,
      [name],
    );
    return row
      ? {
          checkpoint: { transactionId: row.transaction_id, globalPosition: row.global_position },
          updatedAt: row.updated_at,
        }
      : { checkpoint: START, updatedAt: null };
  }

  /** Checkpoints by name, in the order named, in one query (the start of the store where there is none yet). */
  private async checkpointsOf(names: readonly string[]): Promise<Checkpoint[]> {
    const rows = await this.database.query<{ name: string; transaction_id: string; global_position: string }>(
      `SELECT name, transaction_id::text AS transaction_id, global_position::text AS global_position
       FROM projection_checkpoints WHERE name = ANY($1::text[])`,
      [[...names]],
    );
    const found = new Map(
      rows.map((row) => [row.name, { transactionId: row.transaction_id, globalPosition: row.global_position }]),
    );
    return names.map((name) => found.get(name) ?? START);
  }

  async resetCheckpoint(sql: Sql, name: string): Promise<void> {
    await sql.execute(
      `INSERT INTO projection_checkpoints (name) VALUES ($1)
       ON CONFLICT (name) DO UPDATE SET transaction_id = '0', global_position = 0, updated_at = now()`,
      [name],
    );
    this.logger.log(`Checkpoint ${name} reset to the start of the event store`);
  }
}
