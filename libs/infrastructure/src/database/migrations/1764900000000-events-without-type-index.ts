import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the event store's index on `type`, which no read uses: every read by type is a read of some
 * streams that filters the types after each stream's range (`eventsPerStream` in `event-store.ts`),
 * and the planner is kept from combining the two. It was written with every event appended.
 */
export class EventsWithoutTypeIndex1764900000000 implements MigrationInterface {
  name = 'EventsWithoutTypeIndex1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS events_by_type`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX IF NOT EXISTS events_by_type ON events (type)`);
  }
}
