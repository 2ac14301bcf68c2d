import { Test, type TestingModule } from '@nestjs/testing';
import { createTestEnvironment, type TestEnvironment } from '../../../../test/support/test-environment.js';
import { InfrastructureModule } from '../infrastructure.module.js';
import { warmConnections } from './data-source.js';
import { Database } from './database.js';

describe('the connection pool at start-up (PostgreSQL)', () => {
  let environment: TestEnvironment;
  let module: TestingModule;

  beforeAll(async () => {
    environment = await createTestEnvironment({ databasePoolSize: 12 });
    module = await Test.createTestingModule({ imports: [InfrastructureModule.forRoot(environment.config)] }).compile();
    await module.init();
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  const openConnections = async (): Promise<number> => {
    const [row] = await module
      .get(Database)
      .query<{ open: number }>(
        `SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
    return row!.open;
  };

  it('has its warm connections open before the first request, and keeps them while idle', async () => {
    expect(warmConnections(12)).toBe(8);
    expect(warmConnections(3)).toBe(3);
    // The query's own connection is one of the warm ones: the others are open beside it.
    expect(await openConnections()).toBeGreaterThanOrEqual(warmConnections(12) - 1);
    const pool = (module.get(Database).dataSource.driver as unknown as { master: { options: { min: number } } }).master;
    expect(pool.options.min).toBe(8);
  });
});
