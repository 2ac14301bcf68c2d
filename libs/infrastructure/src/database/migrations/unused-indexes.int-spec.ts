import type { MigrationInterface, QueryRunner } from 'typeorm';
import { type StartedInfrastructure, startInfrastructure } from '../../../../../test/support/infrastructure-module.js';
import { Database } from '../database.js';
import { EventsWithoutTypeIndex1764900000000 } from './1764900000000-events-without-type-index.js';
import { IngestionsUnusedIndexes1764900000001 } from './1764900000001-ingestions-unused-indexes.js';

describe('the migrations dropping indexes no query reads', () => {
  let infrastructure: StartedInfrastructure;
  let database: Database;
  const runner = () => ({ query: (sql: string) => database.query(sql) }) as unknown as QueryRunner;
  const indexesOf = async (table: string) =>
    (
      await database.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY indexname`,
        [table],
      )
    ).map((index) => index.indexname);

  beforeAll(async () => {
    infrastructure = await startInfrastructure();
    database = infrastructure.module.get(Database);
  });

  afterAll(() => infrastructure?.stop());

  it.each<{ table: string; migration: MigrationInterface; kept: string[]; dropped: string[] }>([
    {
      table: 'events',
      migration: new EventsWithoutTypeIndex1764900000000(),
      kept: ['events_commit_order', 'events_event_id_key', 'events_pkey', 'events_stream_version_unique'],
      dropped: ['events_by_type'],
    },
    {
      table: 'ingestions',
      migration: new IngestionsUnusedIndexes1764900000001(),
      kept: ['ingestions_by_content', 'ingestions_by_status', 'ingestions_pkey', 'ingestions_queued'],
      dropped: ['ingestions_by_correlation', 'ingestions_by_nct_id'],
    },
  ])('leaves $table with the indexes its reads use, and can be undone', async ({ table, migration, kept, dropped }) => {
    expect(await indexesOf(table)).toEqual(kept);
    await migration.down!(runner());
    expect(await indexesOf(table)).toEqual([...kept, ...dropped].sort());
    await migration.up(runner());
    expect(await indexesOf(table)).toEqual(kept);
  });
});
