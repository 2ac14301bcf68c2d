import { Injectable } from '@nestjs/common';
import type { ConductDates, OutcomeSwitch } from '@app/domain';
import { Database, type Sql } from '@app/infrastructure';
import { CURRENT_STATE_TABLE } from './current-state.repository.js';

export const OUTCOME_SWITCHES_TABLE = 'trial_outcome_switches';
export const CONDUCT_DATES_TABLE = 'trial_conduct_dates';

export interface OutcomeSwitchRow {
  eventId: string;
  nctId: string;
  streamVersion: number;
  occurredAt: Date;
  outcomeSwitch: OutcomeSwitch;
}

export interface ConductDatesRow extends ConductDates {
  nctId: string;
  streamVersion: number;
}

export interface OutcomeSwitchingCriteria {
  since: Date | null;
  sponsor: string | null;
  condition: string | null;
  after: string | null;
  limit: number;
}

export interface SwitchedTrialRow {
  nct_id: string;
  brief_title: string | null;
  lead_sponsor: string | null;
  overall_status: string | null;
  conditions: string[];
  start_date: ConductDates['startDate'];
  primary_completion_date: ConductDates['primaryCompletionDate'];
  /** A switch projected before its dates were kept with it has no `datesThen`. */
  switches: {
    eventId: string;
    occurredAt: string;
    switch: Omit<OutcomeSwitch, 'datesThen'> & Partial<OutcomeSwitch>;
  }[];
}

/** The only code that reads and writes `trial_outcome_switches` and `trial_conduct_dates` (and their rebuild shadows). */
@Injectable()
export class OutcomeSwitchesRepository {
  constructor(private readonly database: Database) {}

  async datesOf(sql: Sql, table: string, nctIds: readonly string[]): Promise<Map<string, ConductDatesRow>> {
    const rows = await sql.query<{
      nct_id: string;
      stream_version: number;
      start_date: ConductDates['startDate'];
      primary_completion_date: ConductDates['primaryCompletionDate'];
    }>(
      `SELECT nct_id, stream_version, start_date, primary_completion_date FROM ${table} WHERE nct_id = ANY($1::text[])`,
      [[...nctIds]],
    );
    return new Map(
      rows.map((row) => [
        row.nct_id,
        {
          nctId: row.nct_id,
          streamVersion: row.stream_version,
          startDate: row.start_date,
          primaryCompletionDate: row.primary_completion_date,
        },
      ]),
    );
  }

  async saveDates(sql: Sql, table: string, rows: readonly ConductDatesRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql.execute(
      `INSERT INTO ${table} (nct_id, stream_version, start_date, primary_completion_date)
       SELECT nct_id, stream_version, start_date, primary_completion_date
       FROM unnest($1::text[], $2::int[], $3::jsonb[], $4::jsonb[]) AS r(nct_id, stream_version, start_date, primary_completion_date)
       ON CONFLICT (nct_id) DO UPDATE SET stream_version = EXCLUDED.stream_version,
         start_date = EXCLUDED.start_date, primary_completion_date = EXCLUDED.primary_completion_date`,
      [
        rows.map((row) => row.nctId),
        rows.map((row) => row.streamVersion),
        rows.map((row) => (row.startDate ? JSON.stringify(row.startDate) : null)),
        rows.map((row) => (row.primaryCompletionDate ? JSON.stringify(row.primaryCompletionDate) : null)),
      ],
    );
  }

  async insertSwitches(sql: Sql, table: string, rows: readonly OutcomeSwitchRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql.execute(
      `INSERT INTO ${table} (event_id, nct_id, occurred_at, timing, switch, stream_version)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::jsonb[], $6::int[])
       ON CONFLICT (event_id) DO NOTHING`,
      [
        rows.map((row) => row.eventId),
        rows.map((row) => row.nctId),
        rows.map((row) => row.occurredAt),
        rows.map((row) => row.outcomeSwitch.timing),
        rows.map((row) => JSON.stringify(row.outcomeSwitch)),
        rows.map((row) => row.streamVersion),
      ],
    );
  }

  /**
   * Trials with a primary-outcome switch after their start (since a time), with their switches, by NCT
   * ID. A trial's switches come in stream order: several may occur at one time.
   */
  async switchedTrials(criteria: OutcomeSwitchingCriteria): Promise<SwitchedTrialRow[]> {
    return this.database.query<SwitchedTrialRow>(
      `SELECT t.nct_id, t.brief_title, t.lead_sponsor, t.overall_status, t.conditions,
              d.start_date, d.primary_completion_date,
              (SELECT jsonb_agg(jsonb_build_object('eventId', s.event_id, 'occurredAt', s.occurred_at, 'switch', s.switch)
                                ORDER BY s.occurred_at, s.stream_version)
               FROM ${OUTCOME_SWITCHES_TABLE} s
               WHERE s.nct_id = t.nct_id AND s.timing <> 'before-start'
                 AND ($1::timestamptz IS NULL OR s.occurred_at >= $1)) AS switches
       FROM ${CURRENT_STATE_TABLE} t
       LEFT JOIN ${CONDUCT_DATES_TABLE} d ON d.nct_id = t.nct_id
       WHERE EXISTS (SELECT 1 FROM ${OUTCOME_SWITCHES_TABLE} s
                     WHERE s.nct_id = t.nct_id AND s.timing <> 'before-start'
                       AND ($1::timestamptz IS NULL OR s.occurred_at >= $1))
         AND ($2::text IS NULL OR strpos(lower(t.lead_sponsor), lower($2)) > 0)
         AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM unnest(t.conditions) c WHERE strpos(lower(c), lower($3)) > 0))
         AND ($4::text IS NULL OR t.nct_id > $4)
       ORDER BY t.nct_id
       LIMIT $5`,
      [criteria.since, criteria.sponsor, criteria.condition, criteria.after, criteria.limit + 1],
    );
  }
}
