import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many times a delivery's retry schedule was started afresh (a redelivery, an enable, a recovery).
 * An attempt that was under way then records its outcome only where the count is still the one it
 * read: a redelivery asked during an attempt is no longer undone by that attempt's failure.
 */
export class DeliveryRestarts1765000000000 implements MigrationInterface {
  name = 'DeliveryRestarts1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE deliveries ADD COLUMN restarts integer NOT NULL DEFAULT 0`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE deliveries DROP COLUMN restarts`);
  }
}
