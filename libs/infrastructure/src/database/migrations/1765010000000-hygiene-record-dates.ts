import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The status-verified and completion dates of each trial's current record, beside the flag days they
 * give: a past day's hygiene flags are read from the record as it stood then, which takes the values
 * changed since from the field history and the others from here. Rows projected before this are filled
 * by `trialwatch projections rebuild current-state`.
 */
export class HygieneRecordDates1765010000000 implements MigrationInterface {
  name = 'HygieneRecordDates1765010000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE trial_current_state ADD COLUMN status_verified_date text, ADD COLUMN completion_date jsonb`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE trial_current_state DROP COLUMN status_verified_date, DROP COLUMN completion_date`);
  }
}
