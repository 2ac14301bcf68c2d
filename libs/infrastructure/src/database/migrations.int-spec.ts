import pg from 'pg';
import { createTestEnvironment, type TestEnvironment } from '../../../../test/support/test-environment.js';
import { createDataSource, MIGRATION_LOCK, MIGRATIONS, runMigrations } from './data-source.js';
import { ensureDatabase } from './ensure-database.js';

describe('migrations started by several processes at once, against PostgreSQL', () => {
  let environment: TestEnvironment;

  beforeEach(async () => {
    environment = await createTestEnvironment();
    await ensureDatabase(environment.databaseUrl);
  });

  afterEach(async () => {
    await environment?.teardown();
  });

  const starter = () => createDataSource({ databaseUrl: environment.databaseUrl, poolSize: 2 });
  const names = MIGRATIONS.map((migration) => migration.name);

  it('a starter waiting for another holds no snapshot, so the holder can build an index concurrently', async () => {
    const holder = new pg.Client({ connectionString: environment.databaseUrl });
    await holder.connect();
    const waiting = starter();
    await waiting.initialize();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const migrated = runMigrations(waiting);
      // The waiting starter has tried the lock by now, and waits for its next try.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await holder.query('CREATE TABLE concurrent_index_probe (n integer)');
      await holder.query(`SET statement_timeout = '5s'`);
      // What a holder's migration does (1764861000000-failed-ingestions): it waits for every older snapshot.
      await holder.query('CREATE INDEX CONCURRENTLY concurrent_index_probe_n ON concurrent_index_probe (n)');
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      expect((await migrated).sort()).toEqual([...names].sort());
    } finally {
      await holder.end();
      await waiting.destroy();
    }
  });

  it('an api and a worker starting together on a new database both start, the migrations applied once', async () => {
    const [api, worker] = [starter(), starter()];
    await Promise.all([api.initialize(), worker.initialize()]);
    try {
      const [byApi, byWorker] = await Promise.all([runMigrations(api), runMigrations(worker)]);
      expect([...byApi, ...byWorker].sort()).toEqual([...names].sort());
      const applied: { name: string }[] = await api.query('SELECT name FROM schema_migrations');
      expect(applied.map((row) => row.name).sort()).toEqual([...names].sort());
    } finally {
      await Promise.all([api.destroy(), worker.destroy()]);
    }
  });
});
