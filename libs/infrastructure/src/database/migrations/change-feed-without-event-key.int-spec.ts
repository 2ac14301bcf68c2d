import type { QueryRunner } from 'typeorm';
import { type StartedInfrastructure, startInfrastructure } from '../../../../../test/support/infrastructure-module.js';
import { Database } from '../database.js';
import { ChangeFeedWithoutEventKey1764890000000 } from './1764890000000-change-feed-without-event-key.js';

describe('the change feed without its event-id key (migration)', () => {
  let infrastructure: StartedInfrastructure;
  let database: Database;
  const migration = new ChangeFeedWithoutEventKey1764890000000();
  const runner = () => ({ query: (sql: string) => database.query(sql) }) as unknown as QueryRunner;
  const uniqueKeys = async () =>
    (
      await database.query<{ definition: string }>(
        `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
         WHERE conrelid = 'change_feed'::regclass AND contype IN ('u', 'p') ORDER BY contype, conname`,
      )
    ).map((key) => key.definition);

  beforeAll(async () => {
    infrastructure = await startInfrastructure();
    database = infrastructure.module.get(Database);
  });

  afterAll(() => infrastructure?.stop());

  it('leaves the feed keyed by its place in the global order only, under whatever name a rebuild gave the key', async () => {
    expect(await uniqueKeys()).toEqual(['PRIMARY KEY (transaction_id, global_position)']);

    await migration.down(runner());
    expect(await uniqueKeys()).toEqual(['PRIMARY KEY (transaction_id, global_position)', 'UNIQUE (event_id)']);
    await database.execute(
      'ALTER TABLE change_feed RENAME CONSTRAINT change_feed_event_id_key TO change_feed__rebuild_event_id_key',
    );
    await migration.up(runner());
    expect(await uniqueKeys()).toEqual(['PRIMARY KEY (transaction_id, global_position)']);

    // A unique key on other columns is not this one: it stays.
    await database.execute('ALTER TABLE change_feed ADD CONSTRAINT other_key UNIQUE (event_id, nct_id)');
    await migration.up(runner());
    expect(await uniqueKeys()).toEqual(['PRIMARY KEY (transaction_id, global_position)', 'UNIQUE (event_id, nct_id)']);
    await database.execute('ALTER TABLE change_feed DROP CONSTRAINT other_key');
  });
});
