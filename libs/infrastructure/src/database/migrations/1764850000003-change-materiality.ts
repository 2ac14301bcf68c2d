import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How much each change-feed entry matters: its tier's rank (0 noise to 3 high, for filtering) and the
 * tier, subtype and reason in words. Entries projected before have none until the change feed is rebuilt.
 */
export class ChangeMateriality1764850000003 implements MigrationInterface {
  name = 'ChangeMateriality1764850000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE change_feed ADD COLUMN materiality smallint, ADD COLUMN materiality_detail jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE change_feed DROP COLUMN materiality, DROP COLUMN materiality_detail`);
  }
}
