import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gap-free webhook sequence numbers: each delivery gets the next number of its subscription, so a
 * receiver can tell when one is missing. Abandoned deliveries remember when, for recovery. Pending
 * deliveries are walked in sequence order (keyset paging), not rescanned.
 */
export class WebhookSequence1764860000000 implements MigrationInterface {
  name = 'WebhookSequence1764860000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE subscriptions ADD COLUMN last_sequence bigint NOT NULL DEFAULT 0`);
    await runner.query(`ALTER TABLE deliveries ADD COLUMN sequence bigint, ADD COLUMN abandoned_at timestamptz`);
    await runner.query(`
      UPDATE deliveries d SET sequence = n.sequence
      FROM (SELECT subscription_id, event_id,
                   row_number() OVER (PARTITION BY subscription_id ORDER BY transaction_id, global_position) AS sequence
            FROM deliveries) n
      WHERE d.subscription_id = n.subscription_id AND d.event_id = n.event_id`);
    await runner.query(`
      UPDATE subscriptions s SET last_sequence = m.last
      FROM (SELECT subscription_id, max(sequence) AS last FROM deliveries GROUP BY subscription_id) m
      WHERE s.id = m.subscription_id`);
    await runner.query(`
      UPDATE deliveries d SET abandoned_at = coalesce(
        (SELECT max(a.attempted_at) FROM delivery_attempts a WHERE a.subscription_id = d.subscription_id AND a.event_id = d.event_id),
        d.created_at)
      WHERE d.status = 'abandoned'`);
    await runner.query(`ALTER TABLE deliveries ALTER COLUMN sequence SET NOT NULL`);
    await runner.query(`CREATE UNIQUE INDEX deliveries_sequence ON deliveries (subscription_id, sequence)`);
    await runner.query(
      `CREATE INDEX deliveries_pending_by_sequence ON deliveries (subscription_id, sequence) WHERE status = 'pending'`,
    );
    await runner.query(
      `CREATE INDEX deliveries_abandoned ON deliveries (subscription_id, abandoned_at) WHERE status = 'abandoned'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX deliveries_abandoned, deliveries_pending_by_sequence, deliveries_sequence`);
    await runner.query(`ALTER TABLE deliveries DROP COLUMN abandoned_at, DROP COLUMN sequence`);
    await runner.query(`ALTER TABLE subscriptions DROP COLUMN last_sequence`);
  }
}
