import type { QueryRunner } from 'typeorm';
import { type StartedInfrastructure, startInfrastructure } from '../../../../../test/support/infrastructure-module.js';
import { Database } from '../database.js';
import { DeletedWatchlistSubscriptions1764950000000 } from './1764950000000-deleted-watchlist-subscriptions.js';

describe('subscriptions left naming a deleted watchlist (migration)', () => {
  let infrastructure: StartedInfrastructure;
  let database: Database;
  const migration = new DeletedWatchlistSubscriptions1764950000000();
  const runner = () =>
    ({ query: (sql: string, parameters?: unknown[]) => database.query(sql, parameters) }) as unknown as QueryRunner;

  beforeAll(async () => {
    infrastructure = await startInfrastructure();
    database = infrastructure.module.get(Database);
  });

  afterAll(() => infrastructure?.stop());

  it('disables each active one, naming the missing watchlist, and leaves the others as they are', async () => {
    const kept = '6f1c2b3a-1d2e-4f5a-8b9c-0d1e2f3a4b5c';
    const gone = '7a2d3c4b-2e3f-4a5b-9c8d-1e2f3a4b5c6d';
    await database.execute(
      `INSERT INTO watchlists (id, name, nct_ids, cron, time_zone)
       VALUES ($1, 'kept', '{}', '0 6 * * *', 'UTC')`,
      [kept],
    );
    const subscribe = async (id: string, filter: object, status = 'active') =>
      database.execute(
        `INSERT INTO subscriptions (id, filter, url, secret, status, checkpoint_transaction_id, checkpoint_global_position, created_at, updated_at)
         VALUES ($1, $2, 'https://example.org/hook', 'whsec_x', $3, '1', 0, now(), now())`,
        [id, JSON.stringify(filter), status],
      );
    await subscribe('00000000-0000-4000-8000-000000000001', { watchlistIds: [kept, gone.toUpperCase()] });
    await subscribe('00000000-0000-4000-8000-000000000002', { watchlistIds: [kept] });
    await subscribe('00000000-0000-4000-8000-000000000003', { nctIds: ['NCT04811651'] });

    await migration.up(runner());

    const rows = await database.query<{ id: string; status: string; disabled_reason: string | null }>(
      `SELECT id::text, status, disabled_reason FROM subscriptions ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: '00000000-0000-4000-8000-000000000001',
        status: 'disabled',
        disabled_reason: expect.stringContaining(gone),
      },
      { id: '00000000-0000-4000-8000-000000000002', status: 'active', disabled_reason: null },
      { id: '00000000-0000-4000-8000-000000000003', status: 'active', disabled_reason: null },
    ]);
    expect(rows[0]!.disabled_reason).toMatch(/no longer exists.*change the filter/);
  });
});
