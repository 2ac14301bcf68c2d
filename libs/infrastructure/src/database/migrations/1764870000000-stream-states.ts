import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A folded state per stream, written by the event store in the same transaction as an append that
 * carries one: a reader folds only the events after it instead of the whole stream. `schema_version`
 * is the writer's format of the state; a reader asking for another version ignores the row (and folds
 * from the start), and the next append writes it anew.
 */
export class StreamStates1764870000000 implements MigrationInterface {
  name = 'StreamStates1764870000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE stream_states (
        stream_id      text PRIMARY KEY REFERENCES streams (stream_id),
        stream_version integer NOT NULL,
        schema_version integer NOT NULL,
        state          jsonb NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    const [lz4] = await runner.query(
      `SELECT 1 AS available FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`,
    );
    if (lz4) await runner.query(`ALTER TABLE stream_states ALTER COLUMN state SET COMPRESSION lz4`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE stream_states`);
  }
}
