import { Injectable } from '@nestjs/common';
import {
  CLOSED_STATUSES,
  type DateStruct,
  FACTS_LEARNED,
  identifierKey,
  partialDateStart,
  RECRUITING_STATUSES,
  trialSignalsOf,
  type TrialState,
} from '@app/domain';
import { Database, type Sql } from '@app/infrastructure';
import { FIELD_HISTORY_TABLE } from './field-history.repository.js';

export const CURRENT_STATE_TABLE = 'trial_current_state';

/** A trial's row in the current-state read model (its facts are folded from its stream on read). */
export interface CurrentStateRow {
  nct_id: string;
  stream_version: number;
  registered_at: Date;
  last_changed_at: Date;
  last_recorded_at: Date;
  last_event_type: string;
  last_global_position: string;
}

/** A row to write, with the facts its columns are taken from. */
export interface CurrentStateUpdate extends CurrentStateRow {
  facts: TrialState;
}

/** The day trial `t`'s results count as reported on: first submitted, else first posted. */
const REPORTED_DAY_SQL = `COALESCE(t.results_submitted_on, t.results_reported_on)`;

/** The results-due state of trial `t` on the day in parameter `day`, as `resultsDueStateOn` in the domain decides it. */
const resultsDueStateSql = (day: string) => `CASE
  WHEN ${REPORTED_DAY_SQL} <= ${day}::date OR (${REPORTED_DAY_SQL} IS NULL AND t.has_results IS TRUE) THEN
    CASE WHEN ${REPORTED_DAY_SQL} IS NULL OR ${REPORTED_DAY_SQL} <= t.results_due_date
         THEN 'reported-on-time' ELSE 'reported-late' END
  WHEN t.results_due_date < ${day}::date THEN 'overdue'
  WHEN t.results_due_date <= ${day}::date + 30 THEN 'due-within-30-days'
  ELSE 'not-due' END`;
const RESULTS_DUE_STATE_SQL = resultsDueStateSql('$1');

/** The NCT ID of another trial whose record lists trial `t`'s NCT ID as an alias (the trial it was merged into). */
const MERGED_INTO_SQL = `(SELECT o.nct_id FROM ${CURRENT_STATE_TABLE} o
  WHERE o.merged_nct_ids @> ARRAY[t.nct_id] AND o.nct_id <> t.nct_id ORDER BY o.nct_id LIMIT 1)`;

/** The start of the day after the day in parameter `day`: what occurred before it had occurred by that day. */
const endOfDaySql = (day: string) => `((${day}::date + 1)::timestamp AT TIME ZONE 'UTC')`;

const sqlTextArray = (values: readonly string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(', ')}]`;

/** The last day a partial date (`2024`, `2024-02`, `2024-02-15`) covers, as `hygieneThresholdsOf` reads it. */
const lastDaySql = (date: string) => `CASE
  WHEN ${date} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (${date})::date
  WHEN ${date} ~ '^[0-9]{4}-[0-9]{2}$' THEN ((${date} || '-01')::date + interval '1 month' - interval '1 day')::date
  WHEN ${date} ~ '^[0-9]{4}$' THEN (${date} || '-12-31')::date END`;

/**
 * Trial `t`'s hygiene flag days (`verification_stale_from`, `completion_overdue_from`) as its record
 * stood on the day in parameter `day`, by the rules of `hygieneThresholdsOf`: a field the record changed
 * after that day had the value the field history says it changed from; the others are the current
 * record's. Facts learned are no changes (the registry showed them all along). A trial first recorded
 * after the day has no row: trialwatch has no record of it then. When nothing the flags read changed
 * after the day, the flag days are the current record's, as the projection wrote them.
 */
const hygieneOnSql = (day: string) => `SELECT
    CASE WHEN NOT later.changed THEN t.verification_stale_from
         WHEN upper(r.status) <> ALL(${sqlTextArray(CLOSED_STATUSES)}) AND r.verified IS NOT NULL
         THEN (${lastDaySql('r.verified')} + interval '2 years')::date + 1 END AS verification_stale_from,
    CASE WHEN NOT later.changed THEN t.completion_overdue_from
         WHEN upper(r.status) = ANY(${sqlTextArray(RECRUITING_STATUSES)}) AND r.completion IS NOT NULL
         THEN ${lastDaySql('r.completion')} + 1 END AS completion_overdue_from
  FROM (
    SELECT count(*) > 0 AS changed,
           (array_agg(h.from_value ORDER BY h.occurred_at, h.stream_version) FILTER (WHERE h.field = 'overallStatus'))[1] AS status,
           (array_agg(h.from_value ORDER BY h.occurred_at, h.stream_version) FILTER (WHERE h.field = 'statusVerifiedDate'))[1] AS verified,
           (array_agg(h.from_value ORDER BY h.occurred_at, h.stream_version) FILTER (WHERE h.field = 'completionDate'))[1] AS completion,
           (array_agg(h.from_value ORDER BY h.occurred_at, h.stream_version) FILTER (WHERE h.field = 'primaryCompletionDate'))[1] AS primary_completion
    FROM ${FIELD_HISTORY_TABLE} h
    WHERE h.nct_id = t.nct_id AND h.occurred_at >= ${endOfDaySql(day)} AND h.event_type <> '${FACTS_LEARNED}'
      AND h.field IN ('overallStatus', 'statusVerifiedDate', 'completionDate', 'primaryCompletionDate')) later
  CROSS JOIN LATERAL (
    SELECT COALESCE(later.status, to_jsonb(t.overall_status)) #>> '{}' AS status,
           COALESCE(later.verified, to_jsonb(t.status_verified_date)) #>> '{}' AS verified,
           COALESCE(NULLIF(COALESCE(later.completion, t.completion_date), 'null'),
                    COALESCE(later.primary_completion, t.primary_completion_date)) ->> 'date' AS completion) r
  WHERE t.registered_at < ${endOfDaySql(day)}`;

export interface ResultsDueCriteria {
  on: string;
  states: string[] | null;
  sponsor: string | null;
  after: { dueDate: string; nctId: string } | null;
  limit: number;
}

export interface ResultsDueRow {
  nct_id: string;
  brief_title: string | null;
  lead_sponsor: string | null;
  overall_status: string | null;
  primary_completion_date: DateStruct | null;
  due_date: string;
  submitted_on: string | null;
  reported_on: string | null;
  state: string;
}

export interface HygieneCriteria {
  on: string;
  flags: string[] | null;
  sponsor: string | null;
  after: string | null;
  limit: number;
  /** Trials the registry no longer has, with the day each was first found missing. */
  goneFromRegistry: ReadonlyMap<string, string>;
}

export interface HygieneRow {
  nct_id: string;
  brief_title: string | null;
  lead_sponsor: string | null;
  overall_status: string | null;
  verification_stale_from: string | null;
  completion_overdue_from: string | null;
  merged_into: string | null;
  gone_since: string | null;
}

export interface CurrentStateSearch {
  status: string | null;
  phase: string | null;
  sponsor: string | null;
  condition: string | null;
  changedSince: Date | null;
  /** Any other identifier or merged NCT ID, however spaced or cased. */
  secondaryId: string | null;
  /** Words in the NCT ID, titles, acronym or conditions (any letter case). */
  text: string | null;
  /** Trials in this results-due state on `on`. */
  resultsDueState: string | null;
  /** Trials with this hygiene flag holding on `on`. */
  hygieneFlag: string | null;
  /** The day results-due states and hygiene flags are for (ISO date). */
  on: string | null;
  /** Trials the registry no longer has, with the day each was first found missing (for the gone-from-registry flag). */
  goneFromRegistry: ReadonlyMap<string, string>;
  /** The last NCT ID of the previous page. */
  after: string | null;
  limit: number;
}

/** Every criterion of a search but the page, as SQL over `t` with its parameters (numbered from 1). */
const searchFilter = (criteria: CurrentStateSearch): { where: string; parameters: unknown[] } => ({
  where: `($1::text IS NULL OR t.overall_status = $1)
    AND ($2::text IS NULL OR t.phases @> ARRAY[$2::text])
    AND ($3::text IS NULL OR strpos(lower(t.lead_sponsor), lower($3)) > 0)
    AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM unnest(t.conditions) c WHERE strpos(lower(c), lower($4)) > 0))
    AND ($5::timestamptz IS NULL OR t.last_changed_at >= $5)
    AND ($6::text IS NULL OR t.identifier_keys @> ARRAY[$6::text])
    AND ($7::text IS NULL OR strpos(lower(concat_ws(' ', t.nct_id, t.brief_title, t.official_title,
          t.acronym, array_to_string(t.conditions, ' '))), lower($7)) > 0)
    AND ($8::text IS NULL OR (t.results_due_date IS NOT NULL AND ${resultsDueStateSql('$9')} = $8))
    AND ($10::text IS NULL OR CASE $10
          WHEN 'status-verification-stale'
            THEN (SELECT d.verification_stale_from FROM (${hygieneOnSql('$9')}) d) <= $9::date
          WHEN 'completion-past-while-recruiting'
            THEN (SELECT d.completion_overdue_from FROM (${hygieneOnSql('$9')}) d) <= $9::date
          WHEN 'merged-into-another' THEN ${MERGED_INTO_SQL} IS NOT NULL
          WHEN 'gone-from-registry' THEN EXISTS (
            SELECT 1 FROM unnest($11::text[], $12::date[]) AS g(nct_id, since)
            WHERE g.nct_id = t.nct_id AND g.since <= $9::date)
          ELSE false END)`,
  parameters: [
    criteria.status,
    criteria.phase,
    criteria.sponsor,
    criteria.condition,
    criteria.changedSince,
    criteria.secondaryId === null ? null : identifierKey(criteria.secondaryId),
    criteria.text,
    criteria.resultsDueState,
    criteria.on,
    criteria.hygieneFlag,
    [...criteria.goneFromRegistry.keys()],
    [...criteria.goneFromRegistry.values()].map((since) => since.slice(0, 10)),
  ],
});

export interface SignalInputRow {
  nct_id: string;
  stream_version: number;
  results_due_date: string | null;
  results_reported: boolean;
  primary_completion_date: DateStruct | null;
  verification_stale_from: string | null;
  completion_overdue_from: string | null;
  merged_into: string | null;
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

/**
 * Each column's type, in the order the upsert sends them: one array per column, so a batch is one
 * statement of a fixed shape however many rows it holds. Lists travel as JSON and become arrays in the
 * statement (an array of arrays cannot be unnested by row).
 */
const COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['nct_id', 'text'],
  ['stream_version', 'int'],
  ['brief_title', 'text'],
  ['overall_status', 'text'],
  ['phases', 'jsonb'],
  ['study_type', 'text'],
  ['lead_sponsor', 'text'],
  ['conditions', 'jsonb'],
  ['registered_at', 'timestamptz'],
  ['last_changed_at', 'timestamptz'],
  ['last_recorded_at', 'timestamptz'],
  ['last_event_type', 'text'],
  ['last_global_position', 'bigint'],
  ['identifier_keys', 'jsonb'],
  ['merged_nct_ids', 'jsonb'],
  ['results_due_date', 'date'],
  ['results_reported_on', 'date'],
  ['results_submitted_on', 'date'],
  ['has_results', 'boolean'],
  ['verification_stale_from', 'date'],
  ['completion_overdue_from', 'date'],
  ['official_title', 'text'],
  ['acronym', 'text'],
  ['primary_completion_date', 'jsonb'],
  ['status_verified_date', 'text'],
  ['completion_date', 'jsonb'],
];
const LIST_COLUMNS = new Set(['phases', 'conditions', 'identifier_keys', 'merged_nct_ids']);
/** The columns every event moves on, whether or not it changes a fact (what `advance` writes). */
const CHANGE_COLUMNS = new Set([
  'stream_version',
  'last_changed_at',
  'last_recorded_at',
  'last_event_type',
  'last_global_position',
]);

const UPSERT_SQL = (table: string) => `INSERT INTO ${table} AS t (${COLUMNS.map(([name]) => name).join(', ')})
  SELECT ${COLUMNS.map(([name]) => (LIST_COLUMNS.has(name) ? `ARRAY(SELECT jsonb_array_elements_text(u.${name}))` : `u.${name}`)).join(', ')}
  FROM unnest(${COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')})
    AS u(${COLUMNS.map(([name]) => name).join(', ')})
  ON CONFLICT (nct_id) DO UPDATE SET
    ${COLUMNS.filter(([name]) => name !== 'nct_id' && name !== 'registered_at')
      .map(([name]) => `${name} = EXCLUDED.${name}`)
      .join(', ')}
  WHERE t.stream_version < EXCLUDED.stream_version`;

/** The columns taken from a trial's facts, as the upsert sends them (lists and dates as JSON). */
export const factColumnsOf = (facts: TrialState) => {
  const signals = trialSignalsOf(facts);
  return {
    brief_title: facts.briefTitle,
    overall_status: facts.overallStatus,
    phases: JSON.stringify(facts.phases ?? []),
    study_type: facts.studyType,
    lead_sponsor: facts.leadSponsor?.name ?? null,
    conditions: JSON.stringify(facts.conditions ?? []),
    identifier_keys: JSON.stringify(signals.identifierKeys),
    merged_nct_ids: JSON.stringify(signals.mergedNctIds),
    results_due_date: signals.resultsDueDate,
    results_reported_on: signals.resultsReportedOn ? partialDateStart(signals.resultsReportedOn).slice(0, 10) : null,
    results_submitted_on: signals.resultsSubmittedOn ? partialDateStart(signals.resultsSubmittedOn).slice(0, 10) : null,
    has_results: signals.hasResults,
    verification_stale_from: signals.hygieneFrom['status-verification-stale'] ?? null,
    completion_overdue_from: signals.hygieneFrom['completion-past-while-recruiting'] ?? null,
    official_title: facts.officialTitle,
    acronym: facts.acronym,
    primary_completion_date: facts.primaryCompletionDate === null ? null : JSON.stringify(facts.primaryCompletionDate),
    status_verified_date: facts.statusVerifiedDate,
    completion_date: facts.completionDate === null ? null : JSON.stringify(facts.completionDate),
  };
};

/** The only code that reads and writes `trial_current_state` (and its rebuild shadow). */
@Injectable()
export class CurrentStateRepository {
  constructor(private readonly database: Database) {}

  async rowsOf(sql: Sql, table: string, nctIds: readonly string[]): Promise<CurrentStateRow[]> {
    return sql.query<CurrentStateRow>(
      `SELECT nct_id, stream_version, registered_at, last_changed_at, last_recorded_at, last_event_type,
              last_global_position::text AS last_global_position
       FROM ${table} WHERE nct_id = ANY($1::text[])`,
      [[...nctIds]],
    );
  }

  /**
   * Moves rows to a later stream version whose events changed none of their searched columns (see
   * COLUMN_EVENTS): only the version and the last change are written. Never moves a row back.
   */
  async advance(sql: Sql, table: string, rows: readonly CurrentStateRow[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = COLUMNS.filter(([name]) => name === 'nct_id' || CHANGE_COLUMNS.has(name));
    await sql.execute(
      `UPDATE ${table} AS t
       SET ${[...CHANGE_COLUMNS].map((name) => `${name} = u.${name}`).join(', ')}
       FROM unnest(${columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')})
         AS u(${columns.map(([name]) => name).join(', ')})
       WHERE t.nct_id = u.nct_id AND t.stream_version < u.stream_version`,
      columns.map(([name]) => rows.map((row) => row[name as keyof CurrentStateRow])),
    );
  }

  /** Writes whole rows; a row never moves back to an older stream version (a replayed batch). */
  async upsert(sql: Sql, table: string, rows: readonly CurrentStateUpdate[]): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map((row): Record<string, unknown> => ({
      nct_id: row.nct_id,
      stream_version: row.stream_version,
      registered_at: row.registered_at,
      last_changed_at: row.last_changed_at,
      last_recorded_at: row.last_recorded_at,
      last_event_type: row.last_event_type,
      last_global_position: row.last_global_position,
      ...factColumnsOf(row.facts),
    }));
    await sql.execute(
      UPSERT_SQL(table),
      COLUMNS.map(([name]) => values.map((row) => row[name])),
    );
  }

  async find(nctId: string): Promise<CurrentStateRow | null> {
    const [row] = await this.rowsOf(this.database, CURRENT_STATE_TABLE, [nctId]);
    return row ?? null;
  }

  /** The trial whose record lists this NCT ID among its aliases: the registry merged this one into it. */
  async mergedInto(nctId: string): Promise<string | null> {
    const [row] = await this.database.query<{ nct_id: string }>(
      `SELECT nct_id FROM ${CURRENT_STATE_TABLE} WHERE merged_nct_ids @> ARRAY[$1] AND nct_id <> $1 ORDER BY nct_id LIMIT 1`,
      [nctId],
    );
    return row?.nct_id ?? null;
  }

  /** Current states matching every given criterion, by NCT ID, keyset-paged (one row more than the limit). */
  async search(criteria: CurrentStateSearch): Promise<CurrentStateSummaryRow[]> {
    const { where, parameters } = searchFilter(criteria);
    return this.database.query<CurrentStateSummaryRow>(
      `SELECT t.nct_id, t.brief_title, t.overall_status, t.phases, t.study_type, t.lead_sponsor, t.conditions,
              t.stream_version, t.last_changed_at, t.last_event_type
       FROM ${CURRENT_STATE_TABLE} t
       WHERE ${where} AND ($13::text IS NULL OR t.nct_id > $13)
       ORDER BY t.nct_id
       LIMIT $14`,
      [...parameters, criteria.after, criteria.limit + 1],
    );
  }

  /** How many current states match every given criterion, on every page. */
  async countMatching(criteria: CurrentStateSearch): Promise<number> {
    const { where, parameters } = searchFilter(criteria);
    const [row] = await this.database.query<{ trials: string }>(
      `SELECT count(*) AS trials FROM ${CURRENT_STATE_TABLE} t WHERE ${where}`,
      parameters,
    );
    return Number(row?.trials ?? 0);
  }

  /** Applicable trials with their results-due state on `on`, by due date then NCT ID (one row more than the limit). */
  async resultsDue(criteria: ResultsDueCriteria): Promise<ResultsDueRow[]> {
    return this.database.query<ResultsDueRow>(
      `SELECT * FROM (
         SELECT t.nct_id, t.brief_title, t.lead_sponsor, t.overall_status,
                t.primary_completion_date,
                t.results_due_date::text AS due_date, t.results_submitted_on::text AS submitted_on,
                t.results_reported_on::text AS reported_on,
                ${RESULTS_DUE_STATE_SQL} AS state
         FROM ${CURRENT_STATE_TABLE} t
         WHERE t.results_due_date IS NOT NULL
           AND ($2::text IS NULL OR strpos(lower(t.lead_sponsor), lower($2)) > 0)
           AND ($3::date IS NULL OR (t.results_due_date, t.nct_id) > ($3::date, $4::text))) r
       WHERE ($5::text[] IS NULL OR r.state = ANY($5::text[]))
       ORDER BY r.due_date, r.nct_id
       LIMIT $6`,
      [
        criteria.on,
        criteria.sponsor,
        criteria.after?.dueDate ?? null,
        criteria.after?.nctId ?? null,
        criteria.states,
        criteria.limit + 1,
      ],
    );
  }

  /** How many applicable trials are in each results-due state on `on`. */
  async resultsDueCounts(on: string, sponsor: string | null): Promise<Record<string, number>> {
    const rows = await this.database.query<{ state: string; trials: string }>(
      `SELECT ${RESULTS_DUE_STATE_SQL} AS state, count(*) AS trials
       FROM ${CURRENT_STATE_TABLE} t
       WHERE t.results_due_date IS NOT NULL AND ($2::text IS NULL OR strpos(lower(t.lead_sponsor), lower($2)) > 0)
       GROUP BY 1`,
      [on, sponsor],
    );
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.trials)]));
  }

  /** Trials with a registry-hygiene flag holding on `on` (any, or one of `flags`), by NCT ID. */
  async hygiene(criteria: HygieneCriteria): Promise<HygieneRow[]> {
    const gone = [...criteria.goneFromRegistry];
    return this.database.query<HygieneRow>(
      `SELECT * FROM (
         SELECT t.nct_id, t.brief_title, t.lead_sponsor, t.overall_status,
                CASE WHEN d.verification_stale_from <= $1::date THEN d.verification_stale_from::text END AS verification_stale_from,
                CASE WHEN d.completion_overdue_from <= $1::date THEN d.completion_overdue_from::text END AS completion_overdue_from,
                ${MERGED_INTO_SQL} AS merged_into,
                CASE WHEN g.since <= $1::date THEN g.since::text END AS gone_since
         FROM ${CURRENT_STATE_TABLE} t
         CROSS JOIN LATERAL (${hygieneOnSql('$1')}) d
         LEFT JOIN unnest($6::text[], $7::date[]) AS g(nct_id, since) ON g.nct_id = t.nct_id
         WHERE ($2::text IS NULL OR strpos(lower(t.lead_sponsor), lower($2)) > 0)
           AND ($3::text IS NULL OR t.nct_id > $3)) h
       WHERE (($4::text[] IS NULL OR 'status-verification-stale' = ANY($4)) AND h.verification_stale_from IS NOT NULL)
          OR (($4::text[] IS NULL OR 'completion-past-while-recruiting' = ANY($4)) AND h.completion_overdue_from IS NOT NULL)
          OR (($4::text[] IS NULL OR 'gone-from-registry' = ANY($4)) AND h.gone_since IS NOT NULL)
          OR (($4::text[] IS NULL OR 'merged-into-another' = ANY($4)) AND h.merged_into IS NOT NULL)
       ORDER BY h.nct_id
       LIMIT $5`,
      [
        criteria.on,
        criteria.sponsor,
        criteria.after,
        criteria.flags,
        criteria.limit + 1,
        gone.map(([nctId]) => nctId),
        gone.map(([, since]) => since.slice(0, 10)),
      ],
    );
  }

  /**
   * What the daily signal check of day `on` needs of each trial recorded by then, by NCT ID, keyset-paged
   * (the hygiene flag days as the record stood that day).
   */
  async signalInputs(on: string, after: string | null, limit: number): Promise<SignalInputRow[]> {
    return this.database.query<SignalInputRow>(
      `SELECT t.nct_id, t.stream_version, t.results_due_date::text AS results_due_date,
              (${REPORTED_DAY_SQL} IS NOT NULL OR t.has_results IS TRUE) AS results_reported,
              t.primary_completion_date,
              d.verification_stale_from::text AS verification_stale_from,
              d.completion_overdue_from::text AS completion_overdue_from,
              ${MERGED_INTO_SQL} AS merged_into
       FROM ${CURRENT_STATE_TABLE} t
       CROSS JOIN LATERAL (${hygieneOnSql('$1')}) d
       WHERE ($2::text IS NULL OR t.nct_id > $2)
       ORDER BY t.nct_id
       LIMIT $3`,
      [on, after, limit],
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
