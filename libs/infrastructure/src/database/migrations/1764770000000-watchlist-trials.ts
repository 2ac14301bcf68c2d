import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which trials a watchlist has brought in (through its search, its pages or its history backfills),
 * kept as data by the watchlist's own runs, rather than found by joining its runs with the ingestion
 * log on every read. Trials a watchlist names by NCT ID are members through `watchlists.nct_ids`.
 */
export class WatchlistTrials1764770000000 implements MigrationInterface {
  name = 'WatchlistTrials1764770000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE watchlist_trials (
        watchlist_id  uuid NOT NULL REFERENCES watchlists (id) ON DELETE CASCADE,
        nct_id        text NOT NULL,
        first_seen_at timestamptz NOT NULL,
        PRIMARY KEY (watchlist_id, nct_id)
      )`);
    await runner.query(`CREATE INDEX watchlist_trials_by_trial ON watchlist_trials (nct_id)`);
    await runner.query(`
      INSERT INTO watchlist_trials (watchlist_id, nct_id, first_seen_at)
      SELECT r.watchlist_id, t.nct_id, min(i.received_at)
      FROM watchlist_runs r JOIN ingestions i ON i.correlation_id = r.id CROSS JOIN unnest(i.nct_ids) AS t(nct_id)
      GROUP BY r.watchlist_id, t.nct_id`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE watchlist_trials`);
  }
}
