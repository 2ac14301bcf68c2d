import { Injectable } from '@nestjs/common';
import type { Checkpoint } from '@app/infrastructure';
import { Database, READ_HORIZON, type Sql } from '@app/infrastructure';
import {
  InvalidSubscriptionError,
  type Subscription,
  type SubscriptionFilter,
  SubscriptionNotFoundError,
} from './subscription.js';
import { MATCHING_LOCK_KEY } from './matching-lock.js';

interface SubscriptionRow {
  id: string;
  name: string | null;
  filter: SubscriptionFilter;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  last_sequence: string;
  checkpoint_transaction_id: string;
  checkpoint_global_position: string;
  created_at: Date;
  updated_at: Date;
}

/** A subscription with what delivery needs and the API never shows. */
export interface SubscriptionRecord extends Subscription {
  secrets: string[];
  checkpoint: Checkpoint;
}

const toRecord = (row: SubscriptionRow, now: Date): SubscriptionRecord => ({
  id: row.id,
  name: row.name,
  filter: row.filter,
  url: row.url,
  status: row.status,
  disabledReason: row.disabled_reason,
  disabledAt: row.disabled_at?.toISOString() ?? null,
  failingSince: row.failing_since?.toISOString() ?? null,
  lastSequence: Number(row.last_sequence),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  // During a rotation both secrets sign, so receivers can switch at their pace.
  secrets:
    row.previous_secret && row.previous_secret_expires_at && row.previous_secret_expires_at > now
      ? [row.secret, row.previous_secret]
      : [row.secret],
  checkpoint: { transactionId: row.checkpoint_transaction_id, globalPosition: row.checkpoint_global_position },
});

export const publicView = ({
  secrets: _secrets,
  checkpoint: _checkpoint,
  ...subscription
}: SubscriptionRecord): Subscription => subscription;

const COLUMNS = `id, name, filter, url, secret, previous_secret, previous_secret_expires_at, status, disabled_reason, disabled_at,
  failing_since, last_sequence::text AS last_sequence, checkpoint_transaction_id::text AS checkpoint_transaction_id, checkpoint_global_position::text AS checkpoint_global_position,
  created_at, updated_at`;

/**
 * Locks the watchlists a filter names until the transaction ends, so none is deleted while the
 * subscription naming it is written (deleting one refuses while a subscription names it); refuses a
 * filter naming one that no longer exists.
 */
const lockWatchlists = async (sql: Sql, filter: SubscriptionFilter | undefined): Promise<void> => {
  const named = [...new Set((filter?.watchlistIds ?? []).map((id) => id.toLowerCase()))];
  if (named.length === 0) return;
  const rows = await sql.query<{ id: string }>(
    `SELECT id::text AS id FROM watchlists WHERE id = ANY($1::uuid[]) ORDER BY id FOR KEY SHARE`,
    [named],
  );
  const found = new Set(rows.map((row) => row.id));
  const missing = named.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new InvalidSubscriptionError(`Invalid filter: no watchlist with id ${missing.join(', ')}`, {
      problems: [`no watchlist with id ${missing.join(', ')}`],
    });
  }
};

@Injectable()
export class SubscriptionStore {
  constructor(private readonly database: Database) {}

  /**
   * A new subscription hears of every event not yet below the commit horizon when it is created:
   * its checkpoint sits just under the oldest transaction still running in this database (`READ_HORIZON`), so nothing committing late is missed.
   */
  async insert(
    subscription: { id: string; name: string | null; filter: SubscriptionFilter; url: string; secret: string },
    now: Date,
  ): Promise<SubscriptionRecord> {
    const [row] = await this.database.transaction(async (sql) => {
      await lockWatchlists(sql, subscription.filter);
      return sql.query<SubscriptionRow>(
        `INSERT INTO subscriptions (id, name, filter, url, secret, status, checkpoint_transaction_id, checkpoint_global_position, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'active',
               (${READ_HORIZON}::text::numeric - 1)::text::xid8, 9223372036854775807, $6, $6)
       RETURNING ${COLUMNS}`,
        [
          subscription.id,
          subscription.name,
          JSON.stringify(subscription.filter),
          subscription.url,
          subscription.secret,
          now,
        ],
      );
    });
    return toRecord(row!, now);
  }

  async get(id: string, now: Date, sql: Sql = this.database): Promise<SubscriptionRecord> {
    const [row] = await sql.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE id = $1`, [id]);
    if (!row) throw new SubscriptionNotFoundError(id);
    return toRecord(row, now);
  }

  /** The checkpoint of the active subscription furthest behind, or null when none is active. */
  async lowestActiveCheckpoint(sql: Sql = this.database): Promise<Checkpoint | null> {
    const [row] = await sql.query<{ transaction_id: string; global_position: string }>(
      `SELECT checkpoint_transaction_id::text AS transaction_id, checkpoint_global_position::text AS global_position
       FROM subscriptions WHERE status = 'active'
       ORDER BY checkpoint_transaction_id, checkpoint_global_position LIMIT 1`,
    );
    return row ? { transactionId: row.transaction_id, globalPosition: row.global_position } : null;
  }

  /** The subscriptions among `ids` that exist (one statement). */
  async getMany(ids: readonly string[], now: Date, sql: Sql = this.database): Promise<SubscriptionRecord[]> {
    const rows = await sql.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE id = ANY($1::uuid[])`, [
      [...ids],
    ]);
    return rows.map((row) => toRecord(row, now));
  }

  async list(now: Date): Promise<SubscriptionRecord[]> {
    return (
      await this.database.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions ORDER BY created_at, id`)
    ).map((row) => toRecord(row, now));
  }

  async active(now: Date, sql: Sql = this.database): Promise<SubscriptionRecord[]> {
    return (await sql.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE status = 'active'`)).map(
      (row) => toRecord(row, now),
    );
  }

  async update(
    id: string,
    changes: { name?: string | null; filter?: SubscriptionFilter; url?: string },
    now: Date,
  ): Promise<SubscriptionRecord> {
    const [row] = await this.database.transaction(async (sql) => {
      // Not while a matcher pass runs: it may have read the filter this replaces, and would match by it
      // events committed after this returns (notification-matcher.int-spec.ts).
      if (changes.filter) await sql.query('SELECT pg_advisory_xact_lock($1::bigint)', [MATCHING_LOCK_KEY]);
      await lockWatchlists(sql, changes.filter);
      return sql.query<SubscriptionRow>(
        `UPDATE subscriptions SET name = CASE WHEN $6 THEN $2 ELSE name END, filter = coalesce($3, filter), url = coalesce($4, url), updated_at = $5
       WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          changes.name ?? null,
          changes.filter ? JSON.stringify(changes.filter) : null,
          changes.url ?? null,
          now,
          // A name given as null clears it; one left out stays.
          changes.name !== undefined,
        ],
      );
    });
    if (!row) throw new SubscriptionNotFoundError(id);
    return toRecord(row, now);
  }

  async rotateSecret(id: string, secret: string, graceUntil: Date, now: Date): Promise<SubscriptionRecord> {
    const [row] = await this.database.query<SubscriptionRow>(
      `UPDATE subscriptions SET previous_secret = secret, previous_secret_expires_at = $3, secret = $2, updated_at = $4
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, secret, graceUntil, now],
    );
    if (!row) throw new SubscriptionNotFoundError(id);
    return toRecord(row, now);
  }

  /** Active again, with its pending deliveries starting afresh: a full retry schedule each, from now. */
  async enable(id: string, now: Date, sql?: Sql): Promise<SubscriptionRecord> {
    const run = async (tx: Sql) => {
      const [row] = await tx.query<SubscriptionRow>(
        `UPDATE subscriptions SET status = 'active', disabled_reason = NULL, disabled_at = NULL, failing_since = NULL, updated_at = $2
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, now],
      );
      if (!row) throw new SubscriptionNotFoundError(id);
      // Not while its filter names a watchlist that is gone (one deleted before deleting refused it):
      // active, it would match nothing, ever.
      await lockWatchlists(tx, row.filter);
      await tx.execute(
        `UPDATE deliveries SET attempts = 0, next_attempt_at = $2, restarts = restarts + 1
         WHERE subscription_id = $1 AND status = 'pending'`,
        [id, now],
      );
      return toRecord(row, now);
    };
    return sql ? run(sql) : this.database.transaction(run);
  }

  /**
   * Re-queues the deliveries abandoned at or after `since`, each with a fresh retry schedule, and
   * enables the subscription; in one transaction. Returns how many were re-queued.
   */
  async recover(id: string, since: Date, now: Date): Promise<{ subscription: SubscriptionRecord; recovered: number }> {
    return this.database.transaction(async (sql) => {
      await this.get(id, now, sql);
      const recovered = await sql.execute(
        `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, abandoned_at = NULL, restarts = restarts + 1
         WHERE subscription_id = $1 AND status = 'abandoned' AND abandoned_at >= $2`,
        [id, since, now],
      );
      return { subscription: await this.enable(id, now, sql), recovered };
    });
  }

  async disable(id: string, reason: string, now: Date, sql: Sql = this.database): Promise<void> {
    await sql.execute(
      `UPDATE subscriptions SET status = 'disabled', disabled_reason = $2, disabled_at = $3, updated_at = $3 WHERE id = $1 AND status = 'active'`,
      [id, reason, now],
    );
  }

  async delete(id: string): Promise<void> {
    if ((await this.database.execute(`DELETE FROM subscriptions WHERE id = $1`, [id])) === 0)
      throw new SubscriptionNotFoundError(id);
  }

  /**
   * Active subscriptions with a delivery due by `now`, for the sweep: every retry, and every first attempt
   * that fell due before `handedOffSince`. A later first attempt was handed to a queue job when it fell due
   * (by the matcher, a redelivery, a recovery); queuing another for each subscription of a fan-out still
   * under way would only repeat that work, so the sweep takes it only once it has waited that long.
   */
  async withDueDeliveries(now: Date, handedOffSince: Date): Promise<string[]> {
    const rows = await this.database.query<{ subscription_id: string }>(
      `SELECT DISTINCT d.subscription_id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND s.status = 'active'
         AND (d.attempts > 0 OR d.next_attempt_at < $2)`,
      [now, handedOffSince],
    );
    return rows.map((row) => row.subscription_id);
  }

  async markHealthy(id: string, sql: Sql = this.database): Promise<void> {
    await sql.execute(`UPDATE subscriptions SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`, [
      id,
    ]);
  }
}
