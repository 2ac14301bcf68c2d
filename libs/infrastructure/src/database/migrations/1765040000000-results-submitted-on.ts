import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The day each trial's results were first submitted (results shown, or awaiting the registry's
 * quality-control review), beside the day they were first posted: results count as reported on it,
 * as `resultsDueStateOn` decides. Rows projected before this hold none, as do the trials: their next
 * complete record teaches it (`trial.facts-learned`), which writes the row again.
 */
export class ResultsSubmittedOn1765040000000 implements MigrationInterface {
  name = 'ResultsSubmittedOn1765040000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE trial_current_state ADD COLUMN results_submitted_on date`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE trial_current_state DROP COLUMN results_submitted_on`);
  }
}
