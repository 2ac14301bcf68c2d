import { Injectable } from '@nestjs/common';
import { Database, insertRows, type Sql } from '@app/infrastructure';

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
    await insertRows(
      sql,
      {
        into: table,
        columns: [
          'event_id',
          'field',
          'nct_id',
          'event_type',
          'from_value',
          'to_value',
          'occurred_at',
          'recorded_at',
          'stream_version',
          'global_position',
        ],
        types: ['uuid', 'text', 'text', 'text', 'jsonb', 'jsonb', 'timestamptz', 'timestamptz', 'int', 'bigint'],
        suffix: 'ON CONFLICT (event_id, field) DO NOTHING',
      },
      rows.map((row) => [
        row.event_id,
        row.field,
        row.nct_id,
        row.event_type,
        JSON.stringify(row.from_value ?? null),
        JSON.stringify(row.to_value ?? null),
        row.occurred_at,
        row.recorded_at,
        row.stream_version,
        row.global_position,
      ]),
    );
  }

  /** A trial's field changes (one field, or all), ordered by when they occurred. */
  async ofTrial(nctId: string, field: string | null, order: 'newest' | 'oldest'): Promise<FieldChangeRow[]> {
    const direction = order === 'oldest' ? 'ASC' : 'DESC';
    return this.database.query<FieldChangeRow>(
      `SELECT event_id, field, nct_id, event_type, from_value, to_value, occurred_at, recorded_at, stream_version,
              global_position::text AS global_position
       FROM ${FIELD_HISTORY_TABLE}
       WHERE nct_id = $1 AND ($2::text IS NULL OR field = $2)
       ORDER BY occurred_at ${direction}, stream_version ${direction}, field`,
      [nctId, field],
    );
  }
}
