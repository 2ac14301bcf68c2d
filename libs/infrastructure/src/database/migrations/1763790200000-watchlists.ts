import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Watchlists and their runs, trial aliases, history backfills, the drop folder's ledger, effective dates of ingestions. */
export class Watchlists1763790200000 implements MigrationInterface {
  name = 'Watchlists1763790200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ingestions ADD COLUMN effective_at timestamptz`);
    await runner.query(`
      CREATE TABLE watchlists (
        id                      uuid PRIMARY KEY,
        name                    text NOT NULL UNIQUE,
        nct_ids                 text[] NOT NULL DEFAULT '{}',
        search                  jsonb,
        page_urls               text[] NOT NULL DEFAULT '{}',
        cron                    text NOT NULL,
        time_zone               text NOT NULL,
        backfill_history        boolean NOT NULL DEFAULT false,
        last_successful_sync_at timestamptz,
        last_data_timestamp     text,
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE watchlist_runs (
        id              uuid PRIMARY KEY,
        watchlist_id    uuid NOT NULL REFERENCES watchlists (id) ON DELETE CASCADE,
        trigger         text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
        status          text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed', 'skipped')),
        queued_at       timestamptz NOT NULL,
        started_at      timestamptz,
        ended_at        timestamptz,
        requested       jsonb NOT NULL DEFAULT '{}',
        studies_fetched integer NOT NULL DEFAULT 0,
        appended        integer NOT NULL DEFAULT 0,
        unchanged       integer NOT NULL DEFAULT 0,
        stale           integer NOT NULL DEFAULT 0,
        rejected        integer NOT NULL DEFAULT 0,
        events_appended integer NOT NULL DEFAULT 0,
        errors          jsonb NOT NULL DEFAULT '[]',
        notes           jsonb NOT NULL DEFAULT '[]'
      )`);
    await runner.query(`CREATE INDEX watchlist_runs_by_watchlist ON watchlist_runs (watchlist_id, queued_at DESC)`);
    await runner.query(`
      CREATE TABLE trial_aliases (
        alias_nct_id text PRIMARY KEY,
        nct_id       text NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE trial_backfills (
        nct_id       text PRIMARY KEY,
        status       text NOT NULL CHECK (status IN ('completed', 'skipped', 'failed')),
        versions     integer NOT NULL DEFAULT 0,
        detail       text,
        completed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE drop_folder_files (
        path         text NOT NULL,
        sha256       char(64) NOT NULL,
        ingestion_id uuid,
        outcome      text NOT NULL,
        seen_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (path, sha256)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE drop_folder_files, trial_backfills, trial_aliases, watchlist_runs, watchlists`);
    await runner.query(`ALTER TABLE ingestions DROP COLUMN effective_at`);
  }
}
