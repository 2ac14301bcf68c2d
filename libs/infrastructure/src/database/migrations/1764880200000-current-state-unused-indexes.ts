import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the two current-state indexes no query can use: every filter on the lead sponsor or the
 * conditions is a substring match (`strpos(lower(...), ...)`), which neither a B-tree on
 * `lower(lead_sponsor)` nor a GIN index on the `conditions` array serves. They were written with every
 * change of a trial's row and read by nothing.
 */
export class CurrentStateUnusedIndexes1764880200000 implements MigrationInterface {
  name = 'CurrentStateUnusedIndexes1764880200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS trial_current_state_sponsor, trial_current_state_conditions`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX trial_current_state_sponsor ON trial_current_state (lower(lead_sponsor))`);
    await runner.query(`CREATE INDEX trial_current_state_conditions ON trial_current_state USING gin (conditions)`);
  }
}
