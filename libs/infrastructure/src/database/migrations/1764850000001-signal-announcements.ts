import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the daily signal check has announced for each trial (results overdue, hygiene flags), and since when. */
export class SignalAnnouncements1764850000001 implements MigrationInterface {
  name = 'SignalAnnouncements1764850000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE trial_signal_announcements (
        nct_id        text NOT NULL,
        signal        text NOT NULL,
        since         date NOT NULL,
        announced_at  timestamptz NOT NULL,
        PRIMARY KEY (nct_id, signal)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE trial_signal_announcements`);
  }
}
