import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EventStore1763790000000 implements MigrationInterface {
  name = 'EventStore1763790000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE snapshot_contents (
        sha256            char(64) PRIMARY KEY,
        content           bytea NOT NULL,
        media_type        text,
        byte_size         integer NOT NULL,
        first_received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ingestions (
        id               uuid PRIMARY KEY,
        content_sha256   char(64) NOT NULL REFERENCES snapshot_contents (sha256),
        source           text NOT NULL,
        requested_format text,
        observed_at      timestamptz,
        received_at      timestamptz NOT NULL,
        status           text NOT NULL CHECK (status IN ('queued', 'appended', 'unchanged', 'stale', 'rejected', 'failed')),
        format           text,
        nct_ids          text[] NOT NULL DEFAULT '{}',
        results          jsonb NOT NULL DEFAULT '[]',
        error            jsonb,
        attempts         integer NOT NULL DEFAULT 0,
        completed_at     timestamptz,
        correlation_id   uuid
      )`);
    await runner.query(`CREATE INDEX ingestions_queued ON ingestions (received_at) WHERE status = 'queued'`);
    await runner.query(`CREATE INDEX ingestions_by_content ON ingestions (content_sha256)`);
    await runner.query(`CREATE INDEX ingestions_by_nct_id ON ingestions USING gin (nct_ids)`);
    await runner.query(
      `CREATE INDEX ingestions_by_correlation ON ingestions (correlation_id) WHERE correlation_id IS NOT NULL`,
    );

    await runner.query(`
      CREATE TABLE streams (
        stream_id  text PRIMARY KEY,
        version    integer NOT NULL CHECK (version > 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id       text NOT NULL,
        stream_version  integer NOT NULL,
        event_id        uuid NOT NULL UNIQUE,
        type            text NOT NULL,
        schema_version  integer NOT NULL,
        data            jsonb NOT NULL,
        metadata        jsonb NOT NULL DEFAULT '{}',
        occurred_at     timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
      )`);
    // Readers of the global order page by (transaction_id, global_position); see EventStore.readAll.
    await runner.query(`CREATE INDEX events_commit_order ON events (transaction_id, global_position)`);
    await runner.query(`CREATE INDEX events_by_type ON events (type)`);

    await runner.query(`
      CREATE TABLE projection_checkpoints (
        name            text PRIMARY KEY,
        transaction_id  xid8 NOT NULL DEFAULT '0',
        global_position bigint NOT NULL DEFAULT 0,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE projection_checkpoints, events, streams, ingestions, snapshot_contents`);
  }
}
