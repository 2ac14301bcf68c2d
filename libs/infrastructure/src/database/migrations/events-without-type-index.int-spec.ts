import type { QueryRunner } from 'typeorm';
import { type StartedInfrastructure, startInfrastructure } from '../../../../../test/support/infrastructure-module.js';
import { Database } from '../database.js';
import { EventsWithoutTypeIndex1764900000000 } from './1764900000000-events-without-type-index.js';

describe('the event store without its type index (migration)', () => {
  let infrastructure: StartedInfrastructure;
  let database: Database;
  const migration = new EventsWithoutTypeIndex1764900000000();
  const runner = () => ({ query: (sql: string) => database.query(sql) }) as unknown as QueryRunner;
  const indexes = async () =>
    (
      await database.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'events' ORDER BY indexname`,
      )
    ).map((index) => index.indexname);

  beforeAll(async () => {
    infrastructure = await startInfrastructure();
    database = infrastructure.module.get(Database);
  });

  afterAll(() => infrastructure?.stop());

  it('leaves events indexed by position, id, stream and commit order only, and can be undone', async () => {
    const kept = ['events_commit_order', 'events_event_id_key', 'events_pkey', 'events_stream_version_unique'];
    expect(await indexes()).toEqual(kept);
    await migration.down(runner());
    expect(await indexes()).toEqual([...kept, 'events_by_type'].sort());
    await migration.up(runner());
    expect(await indexes()).toEqual(kept);
  });
});
