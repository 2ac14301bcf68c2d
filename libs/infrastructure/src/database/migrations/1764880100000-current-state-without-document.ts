import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The current-state read model no longer keeps each trial's whole folded document: the projection
 * rewrote it for every trial an event touched, and shipping and storing 14 KB or more per trial was most
 * of the projection's time. Readers fold the trial's stream (from its kept state) instead. The fields
 * that queries filter or sort on, and only those, are columns.
 */
export class CurrentStateWithoutDocument1764880100000 implements MigrationInterface {
  name = 'CurrentStateWithoutDocument1764880100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE trial_current_state
        ADD COLUMN official_title text,
        ADD COLUMN acronym text,
        ADD COLUMN primary_completion_date jsonb`);
    await runner.query(`
      UPDATE trial_current_state SET official_title = facts ->> 'officialTitle', acronym = facts ->> 'acronym',
        primary_completion_date = facts -> 'primaryCompletionDate'`);
    await runner.query(`ALTER TABLE trial_current_state DROP COLUMN facts`);
  }

  /** The document comes back empty: rebuild the current-state projection after going down. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE trial_current_state ADD COLUMN facts jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await runner.query(`ALTER TABLE trial_current_state ALTER COLUMN facts DROP DEFAULT`);
    await runner.query(`
      ALTER TABLE trial_current_state
        DROP COLUMN official_title, DROP COLUMN acronym, DROP COLUMN primary_completion_date`);
  }
}
