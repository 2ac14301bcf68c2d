import { Injectable } from '@nestjs/common';
import type { SignalName, SignalRecord } from '@app/domain';
import { Database, type Sql } from '@app/infrastructure';

const TABLE = 'trial_signal_announcements';

/** What the daily check has recorded for each trial and since when: the memory that makes it announce once. */
@Injectable()
export class SignalAnnouncements {
  constructor(private readonly database: Database) {}

  async recordedFor(
    nctIds: readonly string[],
    sql: Sql = this.database,
  ): Promise<Map<string, Map<SignalName, string>>> {
    const recorded = new Map<string, Map<SignalName, string>>(nctIds.map((nctId) => [nctId, new Map()]));
    if (nctIds.length === 0) return recorded;
    const rows = await sql.query<{ nct_id: string; signal: SignalName; since: string }>(
      `SELECT nct_id, signal, since::text AS since FROM ${TABLE} WHERE nct_id = ANY($1::text[])`,
      [[...nctIds]],
    );
    for (const row of rows) recorded.get(row.nct_id)?.set(row.signal, row.since);
    return recorded;
  }

  /** Locks these trials' records until the transaction ends, so two checks never announce one signal twice. */
  async lock(sql: Sql, nctIds: readonly string[]): Promise<void> {
    if (nctIds.length === 0) return;
    await sql.query(
      `SELECT pg_advisory_xact_lock(hashtext('signal-check:' || id)) FROM unnest($1::text[]) AS id ORDER BY id`,
      [[...nctIds].sort()],
    );
  }

  async save(sql: Sql, nctId: string, started: readonly SignalRecord[], ended: readonly SignalName[], at: string) {
    if (started.length > 0) {
      await sql.query(
        `INSERT INTO ${TABLE} (nct_id, signal, since, announced_at)
         SELECT $1, signal, since::date, $4 FROM unnest($2::text[], $3::text[]) AS s(signal, since)
         ON CONFLICT (nct_id, signal) DO UPDATE SET since = EXCLUDED.since, announced_at = EXCLUDED.announced_at`,
        [nctId, started.map((record) => record.signal), started.map((record) => record.since), at],
      );
    }
    if (ended.length > 0) {
      await sql.query(`DELETE FROM ${TABLE} WHERE nct_id = $1 AND signal = ANY($2::text[])`, [nctId, [...ended]]);
    }
  }
}
