import type { QueryRunner } from 'typeorm';
import { type StartedInfrastructure, startInfrastructure } from '../../../../../test/support/infrastructure-module.js';
import { Database } from '../database.js';
import { IngestionsUnusedIndexes1764900000001 } from './1764900000001-ingestions-unused-indexes.js';

describe('the ingestion log without its unused indexes (migration)', () => {
  let infrastructure: StartedInfrastructure;
  let database: Database;
  const migration = new IngestionsUnusedIndexes1764900000001();
  const runner = () => ({ query: (sql: string) => database.query(sql) }) as unknown as QueryRunner;
  const indexes = async () =>
    (
      await database.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'ingestions' ORDER BY indexname`,
      )
    ).map((index) => index.indexname);

  beforeAll(async () => {
    infrastructure = await startInfrastructure();
    database = infrastructure.module.get(Database);
  });

  afterAll(() => infrastructure?.stop());

  it('leaves the log indexed by id, content, status and the queue only, and can be undone', async () => {
    const kept = ['ingestions_by_content', 'ingestions_by_status', 'ingestions_pkey', 'ingestions_queued'];
    expect(await indexes()).toEqual(kept);
    await migration.down(runner());
    expect(await indexes()).toEqual([...kept, 'ingestions_by_correlation', 'ingestions_by_nct_id'].sort());
    await migration.up(runner());
    expect(await indexes()).toEqual(kept);
  });
});
