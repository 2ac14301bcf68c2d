import type { MigrationInterface, QueryRunner } from 'typeorm';

const LARGE_COLUMNS = [
  ['snapshot_contents', 'content'],
  ['events', 'data'],
  ['trial_current_state', 'facts'],
  ['ingestions', 'results'],
] as const;

/**
 * Writes less per snapshot: the change feed refers to events instead of copying their data, and the
 * large values use lz4 compression where the server has it (much cheaper than the default pglz).
 */
export class LeanStorage1763790400000 implements MigrationInterface {
  name = 'LeanStorage1763790400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE change_feed DROP COLUMN data`);
    const [lz4] = await runner.query(
      `SELECT 1 AS available FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`,
    );
    if (!lz4) return;
    for (const [table, column] of LARGE_COLUMNS) {
      await runner.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION lz4`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const [table, column] of LARGE_COLUMNS) {
      await runner.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION default`);
    }
    await runner.query(`ALTER TABLE change_feed ADD COLUMN data jsonb NOT NULL DEFAULT '{}'`);
    await runner.query(`UPDATE change_feed f SET data = e.data FROM events e WHERE e.event_id = f.event_id`);
  }
}
