import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook subscriptions, their per-event deliveries (derived from the event store) and every delivery attempt. */
export class Notifications1763790300000 implements MigrationInterface {
  name = 'Notifications1763790300000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE subscriptions (
        id                         uuid PRIMARY KEY,
        name                       text,
        filter                     jsonb NOT NULL DEFAULT '{}',
        url                        text NOT NULL,
        secret                     text NOT NULL,
        previous_secret            text,
        previous_secret_expires_at timestamptz,
        status                     text NOT NULL CHECK (status IN ('active', 'disabled')),
        disabled_reason            text,
        disabled_at                timestamptz,
        failing_since              timestamptz,
        checkpoint_transaction_id  xid8 NOT NULL,
        checkpoint_global_position bigint NOT NULL,
        created_at                 timestamptz NOT NULL DEFAULT now(),
        updated_at                 timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE deliveries (
        subscription_id  uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        event_id         uuid NOT NULL,
        nct_id           text NOT NULL,
        event_type       text NOT NULL,
        stream_version   integer NOT NULL,
        transaction_id   xid8 NOT NULL,
        global_position  bigint NOT NULL,
        status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'abandoned')),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        delivered_at     timestamptz,
        last_status_code integer,
        last_error       text,
        PRIMARY KEY (subscription_id, event_id)
      )`);
    await runner.query(
      `CREATE INDEX deliveries_due ON deliveries (subscription_id, next_attempt_at) WHERE status = 'pending'`,
    );
    await runner.query(
      `CREATE INDEX deliveries_pending_by_trial ON deliveries (subscription_id, nct_id, stream_version) WHERE status = 'pending'`,
    );
    await runner.query(
      `CREATE INDEX deliveries_feed ON deliveries (subscription_id, transaction_id DESC, global_position DESC)`,
    );
    await runner.query(`
      CREATE TABLE delivery_attempts (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        event_id        uuid NOT NULL,
        attempt         integer NOT NULL,
        attempted_at    timestamptz NOT NULL,
        status_code     integer,
        latency_ms      integer NOT NULL,
        error           text
      )`);
    await runner.query(
      `CREATE INDEX delivery_attempts_by_subscription ON delivery_attempts (subscription_id, id DESC)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE delivery_attempts, deliveries, subscriptions`);
  }
}
