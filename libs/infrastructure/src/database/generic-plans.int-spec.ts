import { Test, type TestingModule } from '@nestjs/testing';
import { createTestEnvironment, type TestEnvironment } from '../../../../test/support/test-environment.js';
import { InfrastructureModule } from '../infrastructure.module.js';
import { Database, type Sql } from './database.js';
import { planWithoutParameterValues } from './generic-plans.js';

describe('planning without parameter values (PostgreSQL)', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let database: Database;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    module = await Test.createTestingModule({ imports: [InfrastructureModule.forRoot(environment.config)] }).compile();
    await module.init();
    database = module.get(Database);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  const planCacheMode = async (sql: Sql): Promise<string> => {
    const [row] = await sql.query<{ mode: string }>(`SELECT current_setting('plan_cache_mode') AS mode`);
    return row!.mode;
  };

  it('plans generically for the rest of the transaction, and only that transaction', async () => {
    await database.session(async (sql) => {
      expect(await planCacheMode(sql)).toBe('auto');
      await sql.execute('BEGIN');
      await planWithoutParameterValues(sql);
      expect(await planCacheMode(sql)).toBe('force_generic_plan');
      await sql.execute('COMMIT');
      // The same connection, back in the pool for other work, plans with the values again.
      expect(await planCacheMode(sql)).toBe('auto');
      await sql.execute('BEGIN');
      await planWithoutParameterValues(sql);
      await sql.execute('ROLLBACK');
      expect(await planCacheMode(sql)).toBe('auto');
    });
  });
});
