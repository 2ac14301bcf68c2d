import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each trial was last observed through a snapshot without a registry date (a Veeva page, a
 * `fields=` search result), whether or not that observation changed anything: an older undated
 * observation processed later is stale even when the newer one appended nothing.
 */
export class TrialObservations1764790000000 implements MigrationInterface {
  name = 'TrialObservations1764790000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE trial_observations (nct_id text PRIMARY KEY, observed_at timestamptz)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE trial_observations`);
  }
}
