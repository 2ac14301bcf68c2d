import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@app/infrastructure';

export const STATUS_PERIODS_TABLE = 'trial_status_periods';

export interface StatusPeriod {
  nctId: string;
  index: number;
  status: string;
  startedAt: Date;
  endedAt: Date | null;
  eventId: string;
}

/** The only code that reads and writes `trial_status_periods` (and its rebuild shadow). */
@Injectable()
export class StatusPeriodsRepository {
  constructor(private readonly database: Database) {}

  /**
   * Replaces every period of these trials with the given ones. The old periods are found one trial at a
   * time through the primary key and deleted by row address: as `nct_id = ANY(...)`, with no statistics
   * yet (a load with autovacuum off, or one faster than it), the planner took a batch's thousand trials
   * for most of the table and read all of it for every batch (`status-periods.repository.int-spec.ts`).
   * Only the status-history projection writes here, under its runner's lock, so no row moves meanwhile.
   */
  async replace(sql: Sql, table: string, nctIds: readonly string[], periods: readonly StatusPeriod[]): Promise<void> {
    await sql.execute(
      `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
         SELECT period.ctid FROM unnest($1::text[]) AS trial(nct_id)
         CROSS JOIN LATERAL (SELECT ctid FROM ${table} WHERE ${table}.nct_id = trial.nct_id OFFSET 0) AS period
       ))`,
      [[...nctIds]],
    );
    await sql.execute(
      `INSERT INTO ${table} (nct_id, period_index, status, started_at, ended_at, started_by_event_id)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::uuid[])`,
      [
        periods.map((p) => p.nctId),
        periods.map((p) => p.index),
        periods.map((p) => p.status),
        periods.map((p) => p.startedAt),
        periods.map((p) => p.endedAt),
        periods.map((p) => p.eventId),
      ],
    );
  }

  async ofTrial(nctId: string): Promise<{ status: string; started_at: Date; ended_at: Date | null }[]> {
    return this.database.query(
      `SELECT status, started_at, ended_at FROM ${STATUS_PERIODS_TABLE} WHERE nct_id = $1 ORDER BY period_index`,
      [nctId],
    );
  }

  /** Every trial's status periods (or these trials'), by NCT ID and period, keyset-paged. */
  async page(
    nctIds: readonly string[] | null,
    after: { nctId: string; index: number } | null,
    limit: number,
  ): Promise<{ nct_id: string; period_index: number; status: string; started_at: Date; ended_at: Date | null }[]> {
    return this.database.query(
      `SELECT nct_id, period_index, status, started_at, ended_at FROM ${STATUS_PERIODS_TABLE}
       WHERE ($1::text[] IS NULL OR nct_id = ANY($1::text[]))
         AND ($2::text IS NULL OR (nct_id, period_index) > ($2::text, $3::int))
       ORDER BY nct_id, period_index
       LIMIT $4`,
      [nctIds, after?.nctId ?? null, after?.index ?? null, limit],
    );
  }
}
