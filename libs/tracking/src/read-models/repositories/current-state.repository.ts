import { Injectable } from '@nestjs/common';
import type { TrialState } from '@app/domain';
import { Database, insertRows, type Sql } from '@app/infrastructure';

export const CURRENT_STATE_TABLE = 'trial_current_state';

/** A trial's row in the current-state read model. */
export interface CurrentStateRow {
  nct_id: string;
  stream_version: number;
  facts: TrialState;
  registered_at: Date;
  last_changed_at: Date;
  last_recorded_at: Date;
  last_event_type: string;
  last_global_position: string;
}

export interface CurrentStateSearch {
  status: string | null;
  phase: string | null;
  sponsor: string | null;
  condition: string | null;
  changedSince: string | null;
  /** The last NCT ID of the previous page. */
  after: string | null;
  limit: number;
}

export interface CurrentStateSummaryRow {
  nct_id: string;
  brief_title: string | null;
  overall_status: string | null;
  phases: string[];
  study_type: string | null;
  lead_sponsor: string | null;
  conditions: string[];
  stream_version: number;
  last_changed_at: Date;
  last_event_type: string;
}

const COLUMNS = [
  'nct_id',
  'stream_version',
  'facts',
  'brief_title',
  'overall_status',
  'phases',
  'study_type',
  'lead_sponsor',
  'conditions',
  'registered_at',
  'last_changed_at',
  'last_recorded_at',
  'last_event_type',
  'last_global_position',
];
const TYPES = [
  'text',
  'int',
  'jsonb',
  'text',
  'text',
  'text[]',
  'text',
  'text',
  'text[]',
  'timestamptz',
  'timestamptz',
  'timestamptz',
  'text',
  'bigint',
];

/** The only code that reads and writes `trial_current_state` (and its rebuild shadow). */
@Injectable()
export class CurrentStateRepository {
  constructor(private readonly database: Database) {}

  async rowsOf(sql: Sql, table: string, nctIds: readonly string[]): Promise<CurrentStateRow[]> {
    return sql.query<CurrentStateRow>(
      `SELECT nct_id, stream_version, facts, registered_at, last_changed_at, last_recorded_at, last_event_type,
              last_global_position::text AS last_global_position
       FROM ${table} WHERE nct_id = ANY($1::text[])`,
      [[...nctIds]],
    );
  }

  /** Writes whole rows; a row never moves back to an older stream version (a replayed batch). */
  async upsert(sql: Sql, table: string, rows: readonly CurrentStateRow[]): Promise<void> {
    if (rows.length === 0) return;
    await insertRows(
      sql,
      {
        into: `${table} AS t`,
        columns: COLUMNS,
        types: TYPES,
        suffix: `ON CONFLICT (nct_id) DO UPDATE SET
           stream_version = EXCLUDED.stream_version, facts = EXCLUDED.facts, brief_title = EXCLUDED.brief_title,
           overall_status = EXCLUDED.overall_status, phases = EXCLUDED.phases, study_type = EXCLUDED.study_type,
           lead_sponsor = EXCLUDED.lead_sponsor, conditions = EXCLUDED.conditions,
           last_changed_at = EXCLUDED.last_changed_at, last_recorded_at = EXCLUDED.last_recorded_at,
           last_event_type = EXCLUDED.last_event_type, last_global_position = EXCLUDED.last_global_position
         WHERE t.stream_version < EXCLUDED.stream_version`,
      },
      rows.map((row) => [
        row.nct_id,
        row.stream_version,
        JSON.stringify(row.facts),
        row.facts.briefTitle,
        row.facts.overallStatus,
        row.facts.phases ?? [],
        row.facts.studyType,
        row.facts.leadSponsor?.name ?? null,
        row.facts.conditions ?? [],
        row.registered_at,
        row.last_changed_at,
        row.last_recorded_at,
        row.last_event_type,
        row.last_global_position,
      ]),
    );
  }

  async find(nctId: string): Promise<CurrentStateRow | null> {
    const [row] = await this.rowsOf(this.database, CURRENT_STATE_TABLE, [nctId]);
    return row ?? null;
  }

  /** Current states matching every given criterion, by NCT ID, keyset-paged (one row more than the limit). */
  async search(criteria: CurrentStateSearch): Promise<CurrentStateSummaryRow[]> {
    return this.database.query<CurrentStateSummaryRow>(
      `SELECT nct_id, brief_title, overall_status, phases, study_type, lead_sponsor, conditions, stream_version,
              last_changed_at, last_event_type
       FROM ${CURRENT_STATE_TABLE}
       WHERE ($1::text IS NULL OR overall_status = $1)
         AND ($2::text IS NULL OR phases @> ARRAY[$2::text])
         AND ($3::text IS NULL OR strpos(lower(lead_sponsor), lower($3)) > 0)
         AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM unnest(conditions) c WHERE strpos(lower(c), lower($4)) > 0))
         AND ($5::timestamptz IS NULL OR last_changed_at >= $5)
         AND ($6::text IS NULL OR nct_id > $6)
       ORDER BY nct_id
       LIMIT $7`,
      [
        criteria.status,
        criteria.phase,
        criteria.sponsor,
        criteria.condition,
        criteria.changedSince,
        criteria.after,
        criteria.limit + 1,
      ],
    );
  }

  /** Brief titles by NCT ID, for the trials the read model knows. */
  async titlesOf(nctIds: readonly string[]): Promise<Map<string, string | null>> {
    if (nctIds.length === 0) return new Map();
    const rows = await this.database.query<{ nct_id: string; brief_title: string | null }>(
      `SELECT nct_id, brief_title FROM ${CURRENT_STATE_TABLE} WHERE nct_id = ANY($1::text[])`,
      [[...new Set(nctIds)]],
    );
    return new Map(rows.map((row) => [row.nct_id, row.brief_title]));
  }
}
