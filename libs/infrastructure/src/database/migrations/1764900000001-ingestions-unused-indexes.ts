import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the ingestion log's two indexes no query uses: the GIN index on the trials an ingestion
 * showed (`nct_ids`) and the one on `correlation_id`. The log is read by id, by content, and by status
 * (`ingestions_by_status`); a trial's history reaches its ingestions through its events. Both were
 * written with every ingestion logged, the GIN index with an entry per trial of the snapshot.
 */
export class IngestionsUnusedIndexes1764900000001 implements MigrationInterface {
  name = 'IngestionsUnusedIndexes1764900000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS ingestions_by_nct_id, ingestions_by_correlation`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX IF NOT EXISTS ingestions_by_nct_id ON ingestions USING gin (nct_ids)`);
    await runner.query(
      `CREATE INDEX IF NOT EXISTS ingestions_by_correlation ON ingestions (correlation_id) WHERE correlation_id IS NOT NULL`,
    );
  }
}
