import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outcome-switches read model: each primary-outcome change with its timing against the trial's
 * conduct, and the start and primary completion dates it is judged by. Filled by its projection from
 * the start of the event store.
 */
export class OutcomeSwitches1764850000002 implements MigrationInterface {
  name = 'OutcomeSwitches1764850000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE trial_outcome_switches (
        event_id         uuid PRIMARY KEY,
        nct_id           text NOT NULL,
        occurred_at      timestamptz NOT NULL,
        timing           text NOT NULL,
        switch           jsonb NOT NULL
      )`);
    await runner.query(`CREATE INDEX trial_outcome_switches_by_trial ON trial_outcome_switches (nct_id, occurred_at)`);
    await runner.query(`CREATE INDEX trial_outcome_switches_by_time ON trial_outcome_switches (timing, occurred_at)`);
    await runner.query(`
      CREATE TABLE trial_conduct_dates (
        nct_id                  text PRIMARY KEY,
        stream_version          integer NOT NULL,
        start_date              jsonb,
        primary_completion_date jsonb
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE trial_outcome_switches, trial_conduct_dates`);
  }
}
