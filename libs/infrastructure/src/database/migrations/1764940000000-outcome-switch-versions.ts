import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each outcome switch's place in its trial's stream, so a trial's switches list in the order they were
 * made, also those recorded at one time (records posted before a later observation all occur at it).
 * Filled from the events the switches were projected from.
 */
export class OutcomeSwitchVersions1764940000000 implements MigrationInterface {
  name = 'OutcomeSwitchVersions1764940000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE trial_outcome_switches ADD COLUMN stream_version integer`);
    await runner.query(
      `UPDATE trial_outcome_switches s SET stream_version = e.stream_version FROM events e WHERE e.event_id = s.event_id`,
    );
    await runner.query(`ALTER TABLE trial_outcome_switches ALTER COLUMN stream_version SET NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE trial_outcome_switches DROP COLUMN stream_version`);
  }
}
