import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the change feed's unique key on `event_id`. No query finds feed entries by event id (they are
 * read by their place in the global order, by trial or by type), an event's id is already unique in
 * `events`, and a replayed batch conflicts on the primary key, the entry's place. The key cost a
 * random insert into a B-tree of uuids for every entry: a third or more of the time the feed's
 * inserts took (`bench/FINDINGS.md`).
 * Found by what it is rather than by name: a rebuild before names were kept may have renamed it.
 */
export class ChangeFeedWithoutEventKey1764890000000 implements MigrationInterface {
  name = 'ChangeFeedWithoutEventKey1764890000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      DO $$
      DECLARE key record;
      BEGIN
        FOR key IN
          SELECT c.conname FROM pg_constraint c
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attname = 'event_id'
          WHERE c.conrelid = 'change_feed'::regclass AND c.contype = 'u' AND c.conkey = ARRAY[a.attnum]
        LOOP
          EXECUTE format('ALTER TABLE change_feed DROP CONSTRAINT %I', key.conname);
        END LOOP;
      END $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE change_feed ADD CONSTRAINT change_feed_event_id_key UNIQUE (event_id)`);
  }
}
