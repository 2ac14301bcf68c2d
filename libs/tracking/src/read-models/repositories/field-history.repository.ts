import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@app/infrastructure';

export const FIELD_HISTORY_TABLE = 'trial_field_history';

export interface FieldChangeRow {
  event_id: string;
  field: string;
  nct_id: string;
  event_type: string;
  from_value: unknown;
  to_value: unknown;
  occurred_at: Date;
  recorded_at: Date;
  stream_version: number;
  global_position: string;
}

/** The only code that reads and writes `trial_field_history` (and its rebuild shadow). */
@Injectable()
export class FieldHistoryRepository {
  constructor(private readonly database: Database) {}

  async insert(sql: Sql, table: string, rows: readonly FieldChangeRow[]): Promise<void> {
    if (rows.length === 0) return;
    // One array per column: a statement of a fixed shape whatever the batch holds, which PostgreSQL parses
    // and plans in a fraction of the time of thousands of separate parameters (the values are small).
    await sql.execute(
      `INSERT INTO ${table} (event_id, field, nct_id, event_type, from_value, to_value, occurred_at, recorded_at,
                             stream_version, global_position)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[],
                            $7::timestamptz[], $8::timestamptz[], $9::int[], $10::bigint[])
       ON CONFLICT (event_id, field) DO NOTHING`,
      [
        rows.map((row) => row.event_id),
        rows.map((row) => row.field),
        rows.map((row) => row.nct_id),
        rows.map((row) => row.event_type),
        rows.map((row) => JSON.stringify(row.from_value ?? null)),
        rows.map((row) => JSON.stringify(row.to_value ?? null)),
        rows.map((row) => row.occurred_at),
        rows.map((row) => row.recorded_at),
        rows.map((row) => row.stream_version),
        rows.map((row) => row.global_position),
      ],
    );
  }

  /** A trial's field changes (of these fields, or all), ordered by when they occurred. */
  async ofTrial(
    nctId: string,
    fields: readonly string[] | null,
    order: 'newest' | 'oldest',
  ): Promise<FieldChangeRow[]> {
    const direction = order === 'oldest' ? 'ASC' : 'DESC';
    return this.database.query<FieldChangeRow>(
      `SELECT event_id, field, nct_id, event_type, from_value, to_value, occurred_at, recorded_at, stream_version,
              global_position::text AS global_position
       FROM ${FIELD_HISTORY_TABLE}
       WHERE nct_id = $1 AND ($2::text[] IS NULL OR field = ANY($2))
       ORDER BY occurred_at ${direction}, stream_version ${direction}, field`,
      [nctId, fields ? [...fields] : null],
    );
  }
}
