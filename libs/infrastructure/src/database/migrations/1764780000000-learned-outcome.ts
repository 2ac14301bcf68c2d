import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An ingestion can teach trialwatch facts without the registry changing anything (`learned`); watchlist
 * runs count such snapshots apart from those that changed a trial.
 */
export class LearnedOutcome1764780000000 implements MigrationInterface {
  name = 'LearnedOutcome1764780000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ingestions DROP CONSTRAINT ingestions_status_check`);
    await runner.query(
      `ALTER TABLE ingestions ADD CONSTRAINT ingestions_status_check
       CHECK (status IN ('queued', 'appended', 'learned', 'unchanged', 'stale', 'rejected', 'failed'))`,
    );
    await runner.query(`ALTER TABLE watchlist_runs ADD COLUMN learned integer NOT NULL DEFAULT 0`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE watchlist_runs DROP COLUMN learned`);
    await runner.query(`UPDATE ingestions SET status = 'appended' WHERE status = 'learned'`);
    await runner.query(`ALTER TABLE ingestions DROP CONSTRAINT ingestions_status_check`);
    await runner.query(
      `ALTER TABLE ingestions ADD CONSTRAINT ingestions_status_check
       CHECK (status IN ('queued', 'appended', 'unchanged', 'stale', 'rejected', 'failed'))`,
    );
  }
}
