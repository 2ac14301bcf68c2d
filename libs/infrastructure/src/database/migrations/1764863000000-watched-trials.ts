import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each watchlist knows of each trial it names: whether it has fetched the trial's record in full
 * yet (until then its runs ask for it without the incremental date window), and whether the registry
 * still has it. History backfills get a state that drives their retries: pending, done, or failed
 * with the last error and the number of attempts.
 */
export class WatchedTrials1764863000000 implements MigrationInterface {
  name = 'WatchedTrials1764863000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE watched_trials (
        watchlist_id       uuid NOT NULL REFERENCES watchlists (id) ON DELETE CASCADE,
        nct_id             text NOT NULL,
        fetched_in_full_at timestamptz,
        registry_state     text NOT NULL DEFAULT 'unknown'
          CHECK (registry_state IN ('unknown', 'found', 'not-found', 'removed')),
        last_found_at      timestamptz,
        missing_since      timestamptz,
        PRIMARY KEY (watchlist_id, nct_id)
      )`);
    await runner.query(`ALTER TABLE trial_backfills DROP CONSTRAINT trial_backfills_status_check`);
    await runner.query(`UPDATE trial_backfills SET status = 'done' WHERE status IN ('completed', 'skipped')`);
    await runner.query(`
      ALTER TABLE trial_backfills
        ADD CONSTRAINT trial_backfills_status_check CHECK (status IN ('pending', 'done', 'failed')),
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN last_attempt_at timestamptz`);
    await runner.query(`UPDATE trial_backfills SET attempts = 1, last_attempt_at = completed_at`);
    await runner.query(`ALTER TABLE trial_backfills RENAME COLUMN detail TO last_error`);
    await runner.query(`ALTER TABLE trial_backfills RENAME COLUMN completed_at TO updated_at`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE trial_backfills RENAME COLUMN updated_at TO completed_at`);
    await runner.query(`ALTER TABLE trial_backfills RENAME COLUMN last_error TO detail`);
    await runner.query(`DELETE FROM trial_backfills WHERE status = 'pending'`);
    await runner.query(`ALTER TABLE trial_backfills DROP CONSTRAINT trial_backfills_status_check`);
    await runner.query(`UPDATE trial_backfills SET status = 'completed' WHERE status = 'done'`);
    await runner.query(`
      ALTER TABLE trial_backfills
        ADD CONSTRAINT trial_backfills_status_check CHECK (status IN ('completed', 'skipped', 'failed')),
        DROP COLUMN attempts,
        DROP COLUMN last_attempt_at`);
    await runner.query(`DROP TABLE watched_trials`);
  }
}
