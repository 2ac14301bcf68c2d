import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ingestions listed by status, newest first (`GET /ingestions?status=failed`), and failed ones counted
 * for /metrics, from one index. Built concurrently, so a large ingestion log keeps taking writes meanwhile.
 */
export class FailedIngestions1764861000000 implements MigrationInterface {
  name = 'FailedIngestions1764861000000';
  transaction = false;

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ingestions_by_status ON ingestions (status, received_at DESC, id DESC)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX CONCURRENTLY IF EXISTS ingestions_by_status`);
  }
}
