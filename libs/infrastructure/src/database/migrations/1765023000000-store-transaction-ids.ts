import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transaction ids the event store records are this server's (`pg_current_xact_id()`) plus a shift
 * kept in `store_transaction_shift`, 0 until a restore needs one. A dump restored into another server
 * keeps the ids the first server gave, which may lie far past what the second one gives: without the
 * shift, every event appended after the restore would sort before the restored ones, and every reader
 * of the global order (projections, webhooks, the change feed and its clients) would pass it over.
 * `alignStoreTransactionIds` (run with the migrations) raises the shift so that they sort after them.
 */
export class StoreTransactionIds1765023000000 implements MigrationInterface {
  name = 'StoreTransactionIds1765023000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE store_transaction_shift (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        shift    numeric(20, 0) NOT NULL DEFAULT 0 CHECK (shift >= 0)
      )`);
    await runner.query(`INSERT INTO store_transaction_shift DEFAULT VALUES`);
    // A column default cannot hold a subquery: the shift is read by a function. The events' default stays
    // pg_current_xact_id() until a shift is needed (`alignStoreTransactionIds`): a function called for
    // every row appended costs small single-event appends about a fifth of their rate (bench/FINDINGS.md).
    await runner.query(`
      CREATE FUNCTION store_transaction_id() RETURNS xid8 LANGUAGE sql STABLE AS $$
        SELECT (pg_current_xact_id()::text::numeric + shift)::text::xid8 FROM store_transaction_shift
      $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE events ALTER COLUMN transaction_id SET DEFAULT pg_current_xact_id()`);
    await runner.query(`DROP FUNCTION store_transaction_id()`);
    await runner.query(`DROP TABLE store_transaction_shift`);
  }
}
