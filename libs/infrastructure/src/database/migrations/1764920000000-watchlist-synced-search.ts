import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The search a watchlist's last successful sync asked for. A sync reads a search only for the studies
 * updated since the last one; a search changed since must be read whole once. Watchlists synced before
 * are taken to have synced the search they hold.
 */
export class WatchlistSyncedSearch1764920000000 implements MigrationInterface {
  name = 'WatchlistSyncedSearch1764920000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE watchlists ADD COLUMN synced_search jsonb`);
    await runner.query(`UPDATE watchlists SET synced_search = search WHERE last_successful_sync_at IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE watchlists DROP COLUMN synced_search`);
  }
}
