import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What deleted watchlists knew of whether the registry has a trial (their `watched_trials` go with
 * them): each time one found a trial removed, and the last time one found it there. That the registry
 * no longer has a trial stays known until a sync finds it again, and that a sync found it again stays
 * known too.
 */
export class RegistryAbsences1764945000000 implements MigrationInterface {
  name = 'RegistryAbsences1764945000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE registry_absences (
        nct_id        text NOT NULL,
        missing_since timestamptz NOT NULL,
        PRIMARY KEY (nct_id, missing_since)
      )`);
    await runner.query(`
      CREATE TABLE registry_sightings (
        nct_id        text PRIMARY KEY,
        last_found_at timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE registry_sightings`);
    await runner.query(`DROP TABLE registry_absences`);
  }
}
