import { Injectable } from '@nestjs/common';
import { type ChangeContext, filterFactsOf, type MaterialityTier, nctIdOfStream, tierRank } from '@app/domain';
import { type Checkpoint, Database, type Sql, type StoredEvent } from '@app/infrastructure';
import { CURRENT_STATE_TABLE } from './current-state.repository.js';

export const CHANGE_FEED_TABLE = 'change_feed';

/** An entry of the change feed: an index of an event, without its data. */
export interface ChangeFeedRow {
  transaction_id: string;
  global_position: string;
  event_id: string;
  nct_id: string;
  type: string;
  schema_version: number;
  stream_version: number;
  occurred_at: Date;
  recorded_at: Date;
  /** How much the change matters; null for entries projected before grading existed. */
  materiality_detail: { tier: MaterialityTier; subtype: string; reason: string } | null;
  /** The trial's title, where the read asked for it. */
  brief_title?: string | null;
}

export interface ChangeFeedCriteria {
  types: string[] | null;
  /** Only these trials; an empty list matches none. */
  nctIds: string[] | null;
  /** Entries whose trial had, as of the event, a condition containing one of these. */
  conditions: string[] | null;
  /** Entries whose trial's lead sponsor's name, as of the event, contains one of these. */
  sponsors: string[] | null;
  /** Entries whose trial had, as of the event, one of these phases. */
  phases: string[] | null;
  /** Entries graded at least this (ungraded entries never match). */
  minMateriality?: MaterialityTier | null;
  limit: number;
  /** How many entries to look at, matching or not, at most (never fewer than `limit`). */
  scanLimit?: number;
  /** Entries up to this place only (null: an empty feed, nothing), when given. */
  upTo?: Checkpoint | null;
}

/** What a read of the feed found, and how far it looked. */
export interface ChangeFeedScan {
  rows: ChangeFeedRow[];
  /** The last entry looked at, matched or not; null when there was none after the start. */
  scannedTo: Checkpoint | null;
  /** Whether the look went to the end of the feed as it was then. */
  reachedEnd: boolean;
}

/** Entries one read of the feed looks at, at most: a filter that matches rarely costs a bounded read per page. */
export const DEFAULT_SCAN_LIMIT = 5000;

const COLUMNS = `f.transaction_id::text AS transaction_id, f.global_position::text AS global_position, f.event_id, f.nct_id,
  f.type, f.schema_version, f.stream_version, f.occurred_at, f.recorded_at, f.materiality_detail`;

/** The only code that reads and writes `change_feed` (and its rebuild shadow). */
@Injectable()
export class ChangeFeedRepository {
  constructor(private readonly database: Database) {}

  /** Indexes events, each with its trial's filter facts as of that event and its grade (`contexts`, by event id). */
  async insert(
    sql: Sql,
    table: string,
    events: readonly StoredEvent[],
    contexts: ReadonlyMap<string, ChangeContext>,
  ): Promise<void> {
    if (events.length === 0) return;
    const factsOf = (event: StoredEvent) => contexts.get(event.eventId)?.facts ?? filterFactsOf(null);
    const gradeOf = (event: StoredEvent) => contexts.get(event.eventId)?.materiality ?? null;
    await sql.execute(
      `INSERT INTO ${table} (transaction_id, global_position, event_id, nct_id, type, schema_version, stream_version, occurred_at, recorded_at,
                             conditions, lead_sponsor, phases, materiality, materiality_detail)
       SELECT x, p, e, n, t, s, v, o, r, ARRAY(SELECT jsonb_array_elements_text(c)), l, ARRAY(SELECT jsonb_array_elements_text(ph)), m, md
       FROM unnest($1::xid8[], $2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::int[], $8::timestamptz[], $9::timestamptz[],
                   $10::jsonb[], $11::text[], $12::jsonb[], $13::smallint[], $14::jsonb[]) AS u(x, p, e, n, t, s, v, o, r, c, l, ph, m, md)
       ON CONFLICT DO NOTHING`,
      [
        events.map((e) => e.transactionId),
        events.map((e) => e.globalPosition),
        events.map((e) => e.eventId),
        events.map((e) => nctIdOfStream(e.streamId)),
        events.map((e) => e.type),
        events.map((e) => e.schemaVersion),
        events.map((e) => e.streamVersion),
        events.map((e) => e.occurredAt),
        events.map((e) => e.recordedAt),
        events.map((e) => JSON.stringify(factsOf(e).conditions)),
        events.map((e) => factsOf(e).leadSponsor),
        events.map((e) => JSON.stringify(factsOf(e).phases)),
        events.map((e) => {
          const grade = gradeOf(e);
          return grade ? tierRank(grade.tier) : null;
        }),
        events.map((e) => {
          const grade = gradeOf(e);
          return grade ? JSON.stringify({ tier: grade.tier, subtype: grade.subtype, reason: grade.reason }) : null;
        }),
      ],
    );
  }

  /**
   * Entries after `after` in commit order, matching every given criterion, looking at no more than
   * `scanLimit` entries. Besides the matches it says how far it looked (`scannedTo`: every entry up to
   * there was read, matched or not) and whether that was the end of the feed, so a reader moves on
   * past entries that did not match instead of reading them again. One statement, so the matches and
   * the place they were looked for up to come from one snapshot of the table.
   */
  async after(after: Checkpoint, criteria: ChangeFeedCriteria): Promise<ChangeFeedScan> {
    const scanLimit = Math.max(criteria.scanLimit ?? DEFAULT_SCAN_LIMIT, criteria.limit);
    const rows = await this.database.query<
      Partial<ChangeFeedRow> & {
        scanned: string;
        last_transaction_id: string | null;
        last_global_position: string | null;
      }
    >(
      `WITH scanned AS MATERIALIZED (
         SELECT * FROM ${CHANGE_FEED_TABLE} f
         WHERE (f.transaction_id, f.global_position) > ($1::xid8, $2::bigint)
           AND (NOT $11::boolean OR (f.transaction_id, f.global_position) <= ($12::xid8, $13::bigint))
         ORDER BY f.transaction_id, f.global_position
         LIMIT $9
       ), edge AS (
         SELECT (SELECT count(*) FROM scanned)::text AS scanned, l.transaction_id::text AS last_transaction_id,
                l.global_position::text AS last_global_position
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT transaction_id, global_position FROM scanned
                            ORDER BY transaction_id DESC, global_position DESC LIMIT 1) l ON true
       )
       SELECT m.*, edge.* FROM edge LEFT JOIN LATERAL (
         SELECT ${COLUMNS} FROM scanned f
         WHERE ($3::text[] IS NULL OR f.type = ANY($3))
           AND ($4::text[] IS NULL OR f.nct_id = ANY($4))
           AND ($6::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest(f.conditions) c, unnest($6) q WHERE strpos(lower(c), lower(q)) > 0))
           AND ($7::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($7) q WHERE strpos(lower(f.lead_sponsor), lower(q)) > 0))
           AND ($8::text[] IS NULL OR f.phases && $8)
           AND ($10::smallint IS NULL OR f.materiality >= $10)
         ORDER BY f.transaction_id, f.global_position
         LIMIT $5
       ) m ON true
       ORDER BY m.transaction_id::xid8, m.global_position::bigint`,
      [
        after.transactionId,
        after.globalPosition,
        criteria.types,
        criteria.nctIds,
        criteria.limit,
        criteria.conditions,
        criteria.sponsors,
        criteria.phases,
        scanLimit,
        criteria.minMateriality ? tierRank(criteria.minMateriality) : null,
        criteria.upTo !== undefined,
        criteria.upTo?.transactionId ?? '0',
        criteria.upTo?.globalPosition ?? '0',
      ],
    );
    const edge = rows[0]!;
    return {
      rows: rows
        .filter((row) => row.event_id)
        .map(({ scanned: _s, last_transaction_id: _t, last_global_position: _p, ...row }) => row as ChangeFeedRow),
      scannedTo:
        edge.last_transaction_id && edge.last_global_position
          ? { transactionId: edge.last_transaction_id, globalPosition: edge.last_global_position }
          : null,
      reachedEnd: Number(edge.scanned) < scanLimit,
    };
  }

  /**
   * Entries newest first (by commit), before `before` if given, with each trial's title. Sponsor and
   * condition match the trial's facts as of each event as plain substrings (no LIKE wildcards from the user's text).
   */
  async newestFirst(criteria: {
    before: Checkpoint | null;
    types: string[] | null;
    nctIds: string[] | null;
    sponsor: string | null;
    condition: string | null;
    minMateriality?: MaterialityTier | null;
    limit: number;
  }): Promise<ChangeFeedRow[]> {
    return this.database.query<ChangeFeedRow>(
      `SELECT ${COLUMNS}, t.brief_title
       FROM ${CHANGE_FEED_TABLE} f
       LEFT JOIN ${CURRENT_STATE_TABLE} t ON t.nct_id = f.nct_id
       WHERE ($1::xid8 IS NULL OR (f.transaction_id, f.global_position) < ($1::xid8, $2::bigint))
         AND ($3::text[] IS NULL OR f.type = ANY($3))
         AND ($4::text IS NULL OR strpos(lower(f.lead_sponsor), lower($4)) > 0)
         AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM unnest(f.conditions) c WHERE strpos(lower(c), lower($5)) > 0))
         AND ($7::text[] IS NULL OR f.nct_id = ANY($7))
         AND ($8::smallint IS NULL OR f.materiality >= $8)
       ORDER BY f.transaction_id DESC, f.global_position DESC
       LIMIT $6`,
      [
        criteria.before?.transactionId ?? null,
        criteria.before?.globalPosition ?? null,
        criteria.types,
        criteria.sponsor,
        criteria.condition,
        criteria.limit,
        criteria.nctIds,
        criteria.minMateriality ? tierRank(criteria.minMateriality) : null,
      ],
    );
  }

  /** Each trial's latest change (by registry date) graded at least `minMateriality`; trials without one are left out. */
  async latestGradedOf(nctIds: readonly string[], minMateriality: MaterialityTier): Promise<ChangeFeedRow[]> {
    if (nctIds.length === 0) return [];
    return this.database.query<ChangeFeedRow>(
      `SELECT DISTINCT ON (f.nct_id) ${COLUMNS}
       FROM ${CHANGE_FEED_TABLE} f
       WHERE f.nct_id = ANY($1::text[]) AND f.materiality >= $2
       ORDER BY f.nct_id, f.occurred_at DESC, f.transaction_id DESC, f.global_position DESC`,
      [[...nctIds], tierRank(minMateriality)],
    );
  }

  /** The place of the newest entry, or null when the feed is empty. */
  async end(): Promise<Checkpoint | null> {
    const [row] = await this.database.query<{ transaction_id: string; global_position: string }>(
      `SELECT f.transaction_id::text AS transaction_id, f.global_position::text AS global_position
       FROM ${CHANGE_FEED_TABLE} f
       ORDER BY f.transaction_id DESC, f.global_position DESC LIMIT 1`,
    );
    return row ? { transactionId: row.transaction_id, globalPosition: row.global_position } : null;
  }
}
