import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each change-feed entry carries what the change filters look at (conditions, lead sponsor's name,
 * phases) as of its event, so the feed, its stream and the feeds match the facts at each event, as
 * webhooks do, and a filtered read needs no join. Entries projected before this migration get the
 * trial's current facts (what they were matched against until now); `trialwatch projections rebuild
 * change-feed` recomputes them as of each event.
 */
export class ChangeFeedFilterFacts1764862000000 implements MigrationInterface {
  name = 'ChangeFeedFilterFacts1764862000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE change_feed
        ADD COLUMN conditions   text[] NOT NULL DEFAULT '{}',
        ADD COLUMN lead_sponsor text,
        ADD COLUMN phases       text[] NOT NULL DEFAULT '{}'`);
    await runner.query(`
      UPDATE change_feed f SET conditions = t.conditions, lead_sponsor = t.lead_sponsor, phases = t.phases
      FROM trial_current_state t WHERE t.nct_id = f.nct_id`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE change_feed DROP COLUMN conditions, DROP COLUMN lead_sponsor, DROP COLUMN phases`);
  }
}
