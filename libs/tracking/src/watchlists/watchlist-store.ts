import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@app/infrastructure';
import {
  type RunError,
  type RunStatus,
  type Watchlist,
  type WatchlistDefinition,
  WatchlistNameTakenError,
  WatchlistNotFoundError,
  type WatchlistRun,
} from './watchlist.js';

interface WatchlistRow {
  id: string;
  name: string;
  nct_ids: string[];
  search: Record<string, string> | null;
  page_urls: string[];
  cron: string;
  time_zone: string;
  backfill_history: boolean;
  last_successful_sync_at: Date | null;
  last_data_timestamp: string | null;
  created_at: Date;
  updated_at: Date;
}

interface RunRow {
  id: string;
  watchlist_id: string;
  trigger: WatchlistRun['trigger'];
  status: RunStatus;
  queued_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  requested: Record<string, unknown>;
  studies_fetched: number;
  appended: number;
  learned: number;
  unchanged: number;
  stale: number;
  rejected: number;
  events_appended: number;
  errors: RunError[];
  notes: string[];
}

const toWatchlist = (row: WatchlistRow): Watchlist => ({
  id: row.id,
  name: row.name,
  nctIds: row.nct_ids,
  search: row.search,
  pageUrls: row.page_urls,
  schedule: { cron: row.cron, timeZone: row.time_zone },
  backfillHistory: row.backfill_history,
  lastSuccessfulSyncAt: row.last_successful_sync_at?.toISOString() ?? null,
  lastDataTimestamp: row.last_data_timestamp,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const toRun = (row: RunRow): WatchlistRun => ({
  id: row.id,
  watchlistId: row.watchlist_id,
  trigger: row.trigger,
  status: row.status,
  queuedAt: row.queued_at.toISOString(),
  startedAt: row.started_at?.toISOString() ?? null,
  endedAt: row.ended_at?.toISOString() ?? null,
  requested: row.requested,
  studiesFetched: row.studies_fetched,
  appended: row.appended,
  learned: row.learned,
  unchanged: row.unchanged,
  stale: row.stale,
  rejected: row.rejected,
  eventsAppended: row.events_appended,
  errors: row.errors,
  notes: row.notes,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type RunCounts = Pick<
  WatchlistRun,
  'studiesFetched' | 'appended' | 'learned' | 'unchanged' | 'stale' | 'rejected' | 'eventsAppended'
>;

@Injectable()
export class WatchlistStore {
  constructor(private readonly database: Database) {}

  async insert(id: string, definition: WatchlistDefinition, now: string): Promise<Watchlist> {
    try {
      const [row] = await this.database.query<WatchlistRow>(
        `INSERT INTO watchlists (id, name, nct_ids, search, page_urls, cron, time_zone, backfill_history, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
        [
          id,
          definition.name,
          definition.nctIds,
          definition.search ? JSON.stringify(definition.search) : null,
          definition.pageUrls,
          definition.schedule.cron,
          definition.schedule.timeZone,
          definition.backfillHistory,
          now,
        ],
      );
      return toWatchlist(row!);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new WatchlistNameTakenError(definition.name);
      throw error;
    }
  }

  async update(id: string, definition: WatchlistDefinition, now: string): Promise<Watchlist> {
    try {
      const [row] = await this.database.query<WatchlistRow>(
        `UPDATE watchlists SET name = $2, nct_ids = $3, search = $4, page_urls = $5, cron = $6, time_zone = $7,
           backfill_history = $8, updated_at = $9
         WHERE id = $1 RETURNING *`,
        [
          id,
          definition.name,
          definition.nctIds,
          definition.search ? JSON.stringify(definition.search) : null,
          definition.pageUrls,
          definition.schedule.cron,
          definition.schedule.timeZone,
          definition.backfillHistory,
          now,
        ],
      );
      if (!row) throw new WatchlistNotFoundError(id);
      return toWatchlist(row);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new WatchlistNameTakenError(definition.name);
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.database.execute(`DELETE FROM watchlists WHERE id = $1`, [id]);
    if (deleted === 0) throw new WatchlistNotFoundError(id);
  }

  /** By id, or by name (the CLI lets people use names). */
  async get(idOrName: string): Promise<Watchlist> {
    const [row] = await this.database.query<WatchlistRow>(
      UUID.test(idOrName) ? `SELECT * FROM watchlists WHERE id = $1` : `SELECT * FROM watchlists WHERE name = $1`,
      [idOrName],
    );
    if (!row) throw new WatchlistNotFoundError(idOrName);
    return toWatchlist(row);
  }

  async list(): Promise<Watchlist[]> {
    return (await this.database.query<WatchlistRow>(`SELECT * FROM watchlists ORDER BY name`)).map(toWatchlist);
  }

  async markSynced(id: string, startedAt: string, dataTimestamp: string | null): Promise<void> {
    await this.database.execute(
      `UPDATE watchlists SET last_successful_sync_at = $2, last_data_timestamp = coalesce($3, last_data_timestamp) WHERE id = $1`,
      [id, startedAt, dataTimestamp],
    );
  }

  async queueRun(
    id: string,
    watchlistId: string,
    trigger: WatchlistRun['trigger'],
    now: string,
  ): Promise<WatchlistRun> {
    const [row] = await this.database.query<RunRow>(
      `INSERT INTO watchlist_runs (id, watchlist_id, trigger, status, queued_at) VALUES ($1, $2, $3, 'queued', $4) RETURNING *`,
      [id, watchlistId, trigger, now],
    );
    return toRun(row!);
  }

  async startRun(id: string, requested: Record<string, unknown>, now: string): Promise<void> {
    await this.database.execute(
      `UPDATE watchlist_runs SET status = 'running', started_at = $2, requested = $3 WHERE id = $1`,
      [id, now, JSON.stringify(requested)],
    );
  }

  async finishRun(
    id: string,
    status: RunStatus,
    counts: RunCounts,
    errors: RunError[],
    notes: string[],
    now: string,
  ): Promise<void> {
    await this.database.execute(
      `UPDATE watchlist_runs SET status = $2, ended_at = $3, studies_fetched = $4, appended = $5, unchanged = $6, stale = $7,
         rejected = $8, events_appended = $9, errors = $10, notes = $11, learned = $12
       WHERE id = $1`,
      [
        id,
        status,
        now,
        counts.studiesFetched,
        counts.appended,
        counts.unchanged,
        counts.stale,
        counts.rejected,
        counts.eventsAppended,
        JSON.stringify(errors),
        JSON.stringify(notes),
        counts.learned,
      ],
    );
  }

  async getRun(id: string): Promise<WatchlistRun | null> {
    const [row] = await this.database.query<RunRow>(`SELECT * FROM watchlist_runs WHERE id = $1`, [id]);
    return row ? toRun(row) : null;
  }

  async runs(watchlistId: string, limit: number): Promise<WatchlistRun[]> {
    return (
      await this.database.query<RunRow>(
        `SELECT * FROM watchlist_runs WHERE watchlist_id = $1 ORDER BY queued_at DESC, id LIMIT $2`,
        [watchlistId, limit],
      )
    ).map(toRun);
  }

  async recordAlias(alias: string, nctId: string, sql: Sql = this.database): Promise<void> {
    await sql.execute(
      `INSERT INTO trial_aliases (alias_nct_id, nct_id) VALUES ($1, $2) ON CONFLICT (alias_nct_id) DO UPDATE SET nct_id = EXCLUDED.nct_id`,
      [alias, nctId],
    );
  }

  async backfilledTrials(nctIds: string[]): Promise<Set<string>> {
    const rows = await this.database.query<{ nct_id: string }>(
      `SELECT nct_id FROM trial_backfills WHERE nct_id = ANY($1) AND status <> 'failed'`,
      [nctIds],
    );
    return new Set(rows.map((row) => row.nct_id));
  }

  async recordBackfill(
    nctId: string,
    status: 'completed' | 'skipped' | 'failed',
    versions: number,
    detail: string | null,
  ): Promise<void> {
    await this.database.execute(
      `INSERT INTO trial_backfills (nct_id, status, versions, detail) VALUES ($1, $2, $3, $4)
       ON CONFLICT (nct_id) DO UPDATE SET status = EXCLUDED.status, versions = EXCLUDED.versions, detail = EXCLUDED.detail, completed_at = now()`,
      [nctId, status, versions, detail],
    );
  }

  /** Records the trials a run brought in; the earliest time each was seen stays. */
  async recordTrials(watchlistId: string, nctIds: readonly string[], seenAt: string): Promise<void> {
    if (nctIds.length === 0) return;
    await this.database.execute(
      `INSERT INTO watchlist_trials (watchlist_id, nct_id, first_seen_at)
       SELECT $1, nct_id, $3 FROM unnest($2::text[]) AS t(nct_id)
       ON CONFLICT (watchlist_id, nct_id) DO NOTHING`,
      [watchlistId, [...new Set(nctIds)], seenAt],
    );
  }

  /** For each of these watchlists, the trials it watches: named by NCT ID, or brought in by one of its runs. */
  async trialsOf(watchlistIds: readonly string[], nctIds?: readonly string[]): Promise<Map<string, Set<string>>> {
    const rows = await this.database.query<{ watchlist_id: string; nct_id: string }>(
      `SELECT w.id AS watchlist_id, t.nct_id FROM watchlists w CROSS JOIN unnest(w.nct_ids) AS t(nct_id)
       WHERE w.id = ANY($1::uuid[]) AND ($2::text[] IS NULL OR t.nct_id = ANY($2))
       UNION
       SELECT watchlist_id, nct_id FROM watchlist_trials
       WHERE watchlist_id = ANY($1::uuid[]) AND ($2::text[] IS NULL OR nct_id = ANY($2))`,
      [[...watchlistIds], nctIds ? [...nctIds] : null],
    );
    const trials = new Map<string, Set<string>>(watchlistIds.map((id) => [id, new Set()]));
    for (const row of rows) trials.get(row.watchlist_id)?.add(row.nct_id);
    return trials;
  }
}
