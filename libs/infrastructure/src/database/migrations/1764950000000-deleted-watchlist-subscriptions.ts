import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deleting a watchlist used to leave the subscriptions whose filter named it active, matching nothing,
 * ever, without a word (deleting one is now refused while a filter names it). Each such subscription is
 * disabled, its reason naming the watchlist, so `GET /subscriptions/:id` says what to do; it cannot be
 * enabled again before its filter changes.
 */
export class DeletedWatchlistSubscriptions1764950000000 implements MigrationInterface {
  name = 'DeletedWatchlistSubscriptions1764950000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      WITH orphaned AS (
        SELECT s.id, string_agg(DISTINCT lower(named), ', ') AS missing
        FROM subscriptions s
        CROSS JOIN LATERAL jsonb_array_elements_text(
          CASE WHEN jsonb_typeof(s.filter->'watchlistIds') = 'array' THEN s.filter->'watchlistIds' ELSE '[]'::jsonb END
        ) named
        WHERE s.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM watchlists w WHERE w.id::text = lower(named))
        GROUP BY s.id
      )
      UPDATE subscriptions s
      SET status = 'disabled', disabled_at = now(), updated_at = now(),
          disabled_reason = 'its filter names watchlist ' || orphaned.missing ||
            ', which no longer exists, so it matched nothing: change the filter (PATCH /subscriptions/{id}), then enable it'
      FROM orphaned WHERE s.id = orphaned.id`);
  }

  async down(): Promise<void> {
    // The subscriptions stay disabled: enabled again, they would match nothing.
  }
}
