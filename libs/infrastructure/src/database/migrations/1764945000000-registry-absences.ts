import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trials a watchlist found removed from the registry, kept when that watchlist is deleted (its
 * `watched_trials` go with it): that the registry no longer has a trial stays known until a sync finds
 * it again. One row a trial, with the first time it was found missing.
 */
export class RegistryAbsences1764945000000 implements MigrationInterface {
  name = 'RegistryAbsences1764945000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE registry_absences (
        nct_id        text PRIMARY KEY,
        missing_since timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE registry_absences`);
  }
}
