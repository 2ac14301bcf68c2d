import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@app/infrastructure';
import {
  type Backfill,
  type RegistryState,
  type RunError,
  type RunStatus,
  type Watchlist,
  type WatchlistDefinition,
  WatchlistNameTakenError,
  WatchlistNotFoundError,
  WatchlistInUseError,
  type WatchlistRun,
  type WatchedTrial,
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

interface WatchedTrialRow {
  nct_id: string;
  fetched_in_full_at: Date | null;
  registry_state: RegistryState | null;
  last_found_at: Date | null;
  missing_since: Date | null;
  backfill_status: Backfill['status'] | null;
  versions: number | null;
  attempts: number | null;
  last_attempt_at: Date | null;
  last_error: string | null;
}

const toWatchedTrial = (row: WatchedTrialRow): WatchedTrial => ({
  nctId: row.nct_id,
  fetchedInFullAt: row.fetched_in_full_at?.toISOString() ?? null,
  registryState: row.registry_state ?? 'unknown',
  lastFoundAt: row.last_found_at?.toISOString() ?? null,
  missingSince: row.missing_since?.toISOString() ?? null,
  backfill: row.backfill_status
    ? {
        status: row.backfill_status,
        versions: row.versions ?? 0,
        attempts: row.attempts ?? 0,
        lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
        lastError: row.last_error,
      }
    : null,
});

/** A row that names a watchlist deleted meanwhile (a run still under way writing what it found): not found. */
const watchlistStillThere = async <T>(watchlistId: string, write: Promise<T>): Promise<T> => {
  try {
    return await write;
  } catch (error) {
    if ((error as { code?: string }).code === '23503') throw new WatchlistNotFoundError(watchlistId);
    throw error;
  }
};

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
      return await this.database.transaction(async (sql) => this.updateLocked(sql, id, definition, now));
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new WatchlistNameTakenError(definition.name);
      throw error;
    }
  }

  private async updateLocked(sql: Sql, id: string, definition: WatchlistDefinition, now: string): Promise<Watchlist> {
    // Locked first: what a run records of the trials it names (which locks the watchlist to read them)
    // commits before the statement below reads watched_trials, or reads the watchlist as changed.
    const [locked] = await sql.query(`SELECT id FROM watchlists WHERE id = $1 FOR UPDATE`, [id]);
    if (!locked) throw new WatchlistNotFoundError(id);
    // In the same statement, a trial taken out of the watchlist is forgotten: named again later, it is
    // watched for the first time again. That the registry no longer had it is kept (no sync found it since),
    // and when a sync last found it there.
    const [row] = await sql.query<WatchlistRow>(
      `WITH updated AS (
           UPDATE watchlists SET name = $2, nct_ids = $3, search = $4, page_urls = $5, cron = $6, time_zone = $7,
             backfill_history = $8, updated_at = $9
           WHERE id = $1 RETURNING *
         ), forgotten AS (
           DELETE FROM watched_trials WHERE watchlist_id IN (SELECT id FROM updated) AND NOT nct_id = ANY($3)
             AND registry_state IS DISTINCT FROM 'removed'
         ), unwatched AS (
           UPDATE watched_trials SET fetched_in_full_at = NULL
           WHERE watchlist_id IN (SELECT id FROM updated) AND NOT nct_id = ANY($3) AND registry_state = 'removed'
         ), seen AS (
           INSERT INTO registry_sightings (nct_id, last_found_at)
           SELECT nct_id, last_found_at FROM watched_trials
           WHERE watchlist_id IN (SELECT id FROM updated) AND NOT nct_id = ANY($3)
             AND registry_state = 'found' AND last_found_at IS NOT NULL
           ON CONFLICT (nct_id) DO UPDATE SET last_found_at = greatest(registry_sightings.last_found_at, EXCLUDED.last_found_at)
         )
         SELECT * FROM updated`,
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
  }

  /**
   * The subscriptions whose filter names the watchlist (disabled ones too: they may be enabled again);
   * stored ids in any letter case.
   */
  async subscriptionsNaming(id: string, sql: Sql = this.database): Promise<{ id: string; name: string | null }[]> {
    return sql.query<{ id: string; name: string | null }>(
      `SELECT id, name FROM subscriptions
       WHERE EXISTS (
         SELECT 1 FROM jsonb_array_elements_text(
           CASE WHEN jsonb_typeof(filter->'watchlistIds') = 'array' THEN filter->'watchlistIds' ELSE '[]'::jsonb END
         ) named
         WHERE lower(named) = lower($1))
       ORDER BY created_at, id`,
      [id],
    );
  }

  /** Refuses while a subscription's filter names the watchlist (`WatchlistInUseError`). */
  async assertUnused(id: string, sql: Sql = this.database): Promise<void> {
    const naming = await this.subscriptionsNaming(id, sql);
    if (naming.length > 0) throw new WatchlistInUseError(id, naming);
  }

  async delete(id: string): Promise<void> {
    await this.database.transaction(async (sql) => {
      // Locked first, so a subscription naming it (which locks the watchlists it names while it is
      // written) either commits before the check below sees it, or finds the watchlist gone.
      const [locked] = await sql.query(`SELECT id FROM watchlists WHERE id = $1 FOR UPDATE`, [id]);
      if (!locked) throw new WatchlistNotFoundError(id);
      await this.assertUnused(id, sql);
      await this.deleteUnused(id, sql);
    });
  }

  private async deleteUnused(id: string, sql: Sql): Promise<void> {
    // Its watched trials go with it; what it knew of whether the registry has them is kept: that it
    // found one removed (until a sync finds it again), and when it last found one there.
    const deleted = await sql.execute(
      `WITH absent AS (
         INSERT INTO registry_absences (nct_id, missing_since)
         SELECT nct_id, missing_since FROM watched_trials
         WHERE watchlist_id = $1 AND registry_state = 'removed' AND missing_since IS NOT NULL
         ON CONFLICT DO NOTHING
       ), seen AS (
         INSERT INTO registry_sightings (nct_id, last_found_at)
         SELECT nct_id, last_found_at FROM watched_trials
         WHERE watchlist_id = $1 AND registry_state = 'found' AND last_found_at IS NOT NULL
         ON CONFLICT (nct_id) DO UPDATE SET last_found_at = greatest(registry_sightings.last_found_at, EXCLUDED.last_found_at)
       )
       DELETE FROM watchlists WHERE id = $1`,
      [id],
    );
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

  /** The sync succeeded from `startedAt`, with the registry's data as of `dataTimestamp` and this search. */
  async markSynced(
    id: string,
    startedAt: string,
    dataTimestamp: string | null,
    search: Record<string, string> | null,
  ): Promise<void> {
    await this.database.execute(
      `UPDATE watchlists SET last_successful_sync_at = $2, last_data_timestamp = coalesce($3, last_data_timestamp),
         synced_search = $4::jsonb
       WHERE id = $1`,
      [id, startedAt, dataTimestamp, search ? JSON.stringify(search) : null],
    );
  }

  /** Whether the watchlist's search differs from the one its last successful sync read (jsonb equality). */
  async searchChangedSinceSync(id: string): Promise<boolean> {
    const [row] = await this.database.query<{ changed: boolean }>(
      `SELECT search IS NOT NULL AND search IS DISTINCT FROM synced_search AS changed FROM watchlists WHERE id = $1`,
      [id],
    );
    return row?.changed ?? false;
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

  /**
   * Marks a run running from `now`, asking for `requested`. A run taken up again (its worker died) keeps
   * its start and what it asked for first. Returns when the run started.
   */
  async startRun(id: string, requested: Record<string, unknown>, now: string): Promise<string> {
    const [row] = await this.database.query<{ started_at: Date }>(
      `UPDATE watchlist_runs SET status = 'running', started_at = coalesce(started_at, $2),
         requested = CASE WHEN started_at IS NULL THEN $3::jsonb ELSE requested END
       WHERE id = $1 RETURNING started_at`,
      [id, now, JSON.stringify(requested)],
    );
    return row?.started_at.toISOString() ?? now;
  }

  /**
   * Adds to a run's errors and notes as they come, so that a run taken up again still reports them (in
   * the transaction that logs the ingestions they are about, when given).
   */
  async addToRunRecords(
    id: string,
    errors: readonly RunError[],
    notes: readonly string[],
    sql: Sql = this.database,
  ): Promise<void> {
    if (errors.length === 0 && notes.length === 0) return;
    await sql.execute(
      `UPDATE watchlist_runs SET errors = errors || $2::jsonb, notes = notes || $3::jsonb WHERE id = $1`,
      [id, JSON.stringify(errors), JSON.stringify(notes)],
    );
  }

  /** Adds to a run's counts as it goes (in the transaction that logs the ingestions counted, when given). */
  async addToRunCounts(id: string, counts: RunCounts, sql: Sql = this.database): Promise<void> {
    if (Object.values(counts).every((count) => count === 0)) return;
    await sql.execute(
      `UPDATE watchlist_runs SET studies_fetched = studies_fetched + $2, appended = appended + $3,
         learned = learned + $4, unchanged = unchanged + $5, stale = stale + $6, rejected = rejected + $7,
         events_appended = events_appended + $8
       WHERE id = $1`,
      [
        id,
        counts.studiesFetched,
        counts.appended,
        counts.learned,
        counts.unchanged,
        counts.stale,
        counts.rejected,
        counts.eventsAppended,
      ],
    );
  }

  /** Ends a run with all its errors and notes (those of a worker that died running it too); its counts are those added as it went. */
  async finishRun(id: string, status: RunStatus, errors: RunError[], notes: string[], now: string): Promise<void> {
    await this.database.execute(
      `UPDATE watchlist_runs SET status = $2, ended_at = $3, errors = $4, notes = $5 WHERE id = $1`,
      [id, status, now, JSON.stringify(errors), JSON.stringify(notes)],
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

  /** The trials a watchlist names, each as the watchlist knows it (and its history backfill, if any). */
  async watchedTrials(watchlistId: string, nctIds: readonly string[]): Promise<WatchedTrial[]> {
    const rows = await this.database.query<WatchedTrialRow>(
      `SELECT t.nct_id, w.fetched_in_full_at, w.registry_state, w.last_found_at, w.missing_since,
              b.status AS backfill_status, b.versions, b.attempts, b.last_attempt_at, b.last_error
       FROM unnest($2::text[]) WITH ORDINALITY AS t(nct_id, position)
       LEFT JOIN watched_trials w ON w.watchlist_id = $1 AND w.nct_id = t.nct_id
       LEFT JOIN trial_backfills b ON b.nct_id = t.nct_id
       ORDER BY t.position`,
      [watchlistId, [...nctIds]],
    );
    return rows.map(toWatchedTrial);
  }

  /**
   * The trials a run got in full: from now on this watchlist asks for them only when updated. Only those
   * it still names: a run reads the watchlist when it starts, and a trial taken out meanwhile must stay
   * first watched when named again, or the date window could hide what it missed. The watchlist stays
   * locked until this commits, so a change of it comes either first, and is seen here, or after, and
   * forgets what this wrote.
   */
  async markFetchedInFull(watchlistId: string, nctIds: readonly string[], at: string): Promise<void> {
    if (nctIds.length === 0) return;
    await this.database.transaction(async (sql) => {
      const [watchlist] = await sql.query<{ nct_ids: string[] }>(
        `SELECT nct_ids FROM watchlists WHERE id = $1 FOR SHARE`,
        [watchlistId],
      );
      if (!watchlist) return;
      await sql.execute(
        `INSERT INTO watched_trials (watchlist_id, nct_id, fetched_in_full_at, registry_state, last_found_at)
         SELECT $1, nct_id, CASE WHEN nct_id = ANY($4::text[]) THEN $3::timestamptz END, 'found', $3
         FROM unnest($2::text[]) AS t(nct_id)
         ON CONFLICT (watchlist_id, nct_id) DO UPDATE SET
           fetched_in_full_at = coalesce(watched_trials.fetched_in_full_at, EXCLUDED.fetched_in_full_at),
           registry_state = 'found', last_found_at = EXCLUDED.last_found_at, missing_since = NULL`,
        [watchlistId, [...new Set(nctIds)], at, watchlist.nct_ids],
      );
    });
    await this.forgetAbsences(nctIds, at);
  }

  /** Trials the registry still has (returned by an update window or a presence check). */
  async markFound(watchlistId: string, nctIds: readonly string[], at: string): Promise<void> {
    if (nctIds.length === 0) return;
    await watchlistStillThere(
      watchlistId,
      this.database.execute(
        `INSERT INTO watched_trials (watchlist_id, nct_id, registry_state, last_found_at)
         SELECT $1, nct_id, 'found', $3 FROM unnest($2::text[]) AS t(nct_id)
         ON CONFLICT (watchlist_id, nct_id) DO UPDATE SET
           registry_state = 'found', last_found_at = EXCLUDED.last_found_at, missing_since = NULL`,
        [watchlistId, [...new Set(nctIds)], at],
      ),
    );
    await this.forgetAbsences(nctIds, at);
  }

  /** Absences kept from deleted watchlists that a sync finding these trials at `at` puts an end to. */
  private async forgetAbsences(nctIds: readonly string[], at: string): Promise<void> {
    await this.database.execute(`DELETE FROM registry_absences WHERE nct_id = ANY($1::text[]) AND missing_since < $2`, [
      [...new Set(nctIds)],
      at,
    ]);
  }

  /** The registry answered that it does not have the trial; `missing_since` keeps the first time. */
  async markMissing(watchlistId: string, nctId: string, state: 'not-found' | 'removed', at: string): Promise<void> {
    await watchlistStillThere(
      watchlistId,
      this.database.execute(
        `INSERT INTO watched_trials (watchlist_id, nct_id, registry_state, missing_since) VALUES ($1, $2, $3, $4)
         ON CONFLICT (watchlist_id, nct_id) DO UPDATE SET
           registry_state = EXCLUDED.registry_state,
           missing_since = coalesce(watched_trials.missing_since, EXCLUDED.missing_since)`,
        [watchlistId, nctId, state, at],
      ),
    );
  }

  /**
   * Trials some watchlist (also one since deleted) found removed from the registry and no watchlist
   * (also one since deleted) has found since, each with the first time it was found missing.
   */
  async registryAbsences(nctIds: readonly string[] | null): Promise<Map<string, string>> {
    const rows = await this.database.query<{ nct_id: string; since: Date }>(
      `SELECT r.nct_id, min(r.missing_since) AS since
       FROM (
         SELECT nct_id, missing_since FROM watched_trials WHERE registry_state = 'removed' AND missing_since IS NOT NULL
         UNION ALL
         SELECT nct_id, missing_since FROM registry_absences
       ) r
       WHERE ($1::text[] IS NULL OR r.nct_id = ANY($1::text[]))
         AND NOT EXISTS (
           SELECT 1 FROM watched_trials f
           WHERE f.nct_id = r.nct_id AND f.registry_state = 'found' AND f.last_found_at > r.missing_since)
         AND NOT EXISTS (
           SELECT 1 FROM registry_sightings f WHERE f.nct_id = r.nct_id AND f.last_found_at > r.missing_since)
       GROUP BY r.nct_id`,
      [nctIds === null ? null : [...nctIds]],
    );
    return new Map(rows.map((row) => [row.nct_id, row.since.toISOString()]));
  }

  /** Records that these trials' histories are wanted; those without a backfill become pending. */
  async requestBackfills(nctIds: readonly string[]): Promise<void> {
    if (nctIds.length === 0) return;
    await this.database.execute(
      `INSERT INTO trial_backfills (nct_id, status) SELECT nct_id, 'pending' FROM unnest($1::text[]) AS t(nct_id)
       ON CONFLICT (nct_id) DO NOTHING`,
      [[...new Set(nctIds)]],
    );
  }

  /** Of these trials, those whose history backfill is not done (pending, or failed and to be tried again). */
  async backfillsDue(nctIds: readonly string[]): Promise<string[]> {
    const rows = await this.database.query<{ nct_id: string }>(
      `SELECT nct_id FROM trial_backfills WHERE nct_id = ANY($1) AND status <> 'done'`,
      [[...nctIds]],
    );
    const due = new Set(rows.map((row) => row.nct_id));
    return nctIds.filter((nctId) => due.has(nctId));
  }

  /** One attempt at a trial's history backfill, done or failed. */
  async recordBackfillAttempt(
    nctId: string,
    outcome: { status: 'done'; versions: number } | { status: 'failed'; error: string },
    at: string,
  ): Promise<void> {
    await this.database.execute(
      `INSERT INTO trial_backfills (nct_id, status, versions, last_error, attempts, last_attempt_at, updated_at)
       VALUES ($1, $2, $3, $4, 1, $5, $5)
       ON CONFLICT (nct_id) DO UPDATE SET status = EXCLUDED.status,
         versions = CASE WHEN EXCLUDED.status = 'done' THEN EXCLUDED.versions ELSE trial_backfills.versions END,
         last_error = EXCLUDED.last_error, attempts = trial_backfills.attempts + 1,
         last_attempt_at = EXCLUDED.last_attempt_at, updated_at = EXCLUDED.updated_at`,
      [
        nctId,
        outcome.status,
        outcome.status === 'done' ? outcome.versions : 0,
        outcome.status === 'failed' ? outcome.error : null,
        at,
      ],
    );
  }

  /** Records the trials a run brought in; the earliest time each was seen stays. */
  async recordTrials(watchlistId: string, nctIds: readonly string[], seenAt: string): Promise<void> {
    if (nctIds.length === 0) return;
    await watchlistStillThere(
      watchlistId,
      this.database.execute(
        `INSERT INTO watchlist_trials (watchlist_id, nct_id, first_seen_at)
         SELECT $1, nct_id, $3 FROM unnest($2::text[]) AS t(nct_id)
         ON CONFLICT (watchlist_id, nct_id) DO NOTHING`,
        [watchlistId, [...new Set(nctIds)], seenAt],
      ),
    );
  }

  /** Trials brought in that nothing of the watchlist brings in any more: no longer its trials. */
  async takeOutTrials(watchlistId: string, nctIds: readonly string[]): Promise<void> {
    await this.database.execute(`DELETE FROM watchlist_trials WHERE watchlist_id = $1 AND nct_id = ANY($2::text[])`, [
      watchlistId,
      [...nctIds],
    ]);
  }

  /** These NCT IDs and the current NCT ID of each one that is an alias (of an alias...) of another. */
  async withCurrentIds(nctIds: readonly string[]): Promise<Set<string>> {
    if (nctIds.length === 0) return new Set();
    const rows = await this.database.query<{ nct_id: string }>(
      `WITH RECURSIVE ids (nct_id) AS (
         SELECT unnest($1::text[])
         UNION
         SELECT a.nct_id FROM trial_aliases a JOIN ids ON a.alias_nct_id = ids.nct_id
       )
       SELECT nct_id FROM ids`,
      [[...nctIds]],
    );
    return new Set(rows.map((row) => row.nct_id));
  }

  /** The trials a watchlist's runs brought in (through its search, pages or backfills), in NCT ID order. */
  async broughtIn(watchlistId: string): Promise<string[]> {
    const rows = await this.database.query<{ nct_id: string }>(
      `SELECT nct_id FROM watchlist_trials WHERE watchlist_id = $1 ORDER BY nct_id`,
      [watchlistId],
    );
    return rows.map((row) => row.nct_id);
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
    // Keyed by the ids as asked: a UUID may be spelled in either letter case, PostgreSQL answers in lower case.
    const trials = new Map<string, Set<string>>(watchlistIds.map((id) => [id, new Set()]));
    const spellings = new Map<string, string[]>();
    for (const id of trials.keys()) spellings.set(id.toLowerCase(), [...(spellings.get(id.toLowerCase()) ?? []), id]);
    for (const row of rows) for (const id of spellings.get(row.watchlist_id) ?? []) trials.get(id)!.add(row.nct_id);
    return trials;
  }
}
