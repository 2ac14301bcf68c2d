import { type StartedInfrastructure, startInfrastructure } from '../../../../test/support/infrastructure-module.js';
import { Database, type Sql } from './database.js';
import { planWithoutJit, planWithoutParameterValuesOrJit } from './generic-plans.js';

describe('planning without parameter values or JIT (PostgreSQL)', () => {
  let infrastructure: StartedInfrastructure;
  let database: Database;

  beforeAll(async () => {
    infrastructure = await startInfrastructure();
    database = infrastructure.module.get(Database);
  });

  afterAll(() => infrastructure?.stop());

  const planCacheMode = async (sql: Sql): Promise<string> => {
    const [row] = await sql.query<{ mode: string }>(`SELECT current_setting('plan_cache_mode') AS mode`);
    return row!.mode;
  };

  const jit = async (sql: Sql): Promise<string> => {
    const [row] = await sql.query<{ jit: string }>(`SELECT current_setting('jit') AS jit`);
    return row!.jit;
  };

  it('plans generically for the rest of the transaction, and only that transaction', async () => {
    await database.session(async (sql) => {
      expect(await planCacheMode(sql)).toBe('auto');
      await sql.execute('BEGIN');
      await planWithoutParameterValuesOrJit(sql);
      expect(await planCacheMode(sql)).toBe('force_generic_plan');
      expect(await jit(sql)).toBe('off');
      await sql.execute('COMMIT');
      // The same connection, back in the pool for other work, plans with the values again.
      expect(await planCacheMode(sql)).toBe('auto');
      await sql.execute('BEGIN');
      await planWithoutParameterValuesOrJit(sql);
      await sql.execute('ROLLBACK');
      expect(await planCacheMode(sql)).toBe('auto');
    });
  });

  /** Whether PostgreSQL compiled the query, with every query costly enough to compile. */
  const compiles = async (sql: Sql): Promise<boolean> => {
    await sql.query(`SELECT set_config('jit_above_cost', '0', true)`);
    const plan = await sql.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, FORMAT TEXT) SELECT sum(i) FROM generate_series(1, 1000) AS i`,
    );
    return plan.some((line) => line['QUERY PLAN'].startsWith('JIT:'));
  };

  it('compiles no query for the rest of the transaction, and leaves the server setting to later ones', async () => {
    await database.session(async (sql) => {
      const [{ available }] = await sql.query<{ available: boolean }>(`SELECT pg_jit_available() AS available`);
      await sql.execute(`SET jit = on`);
      await sql.execute('BEGIN');
      await planWithoutJit(sql);
      expect(await jit(sql)).toBe('off');
      expect(await compiles(sql)).toBe(false);
      await sql.execute('COMMIT');
      expect(await jit(sql)).toBe('on');
      await sql.execute('BEGIN');
      // Where this server can compile at all, the same query is compiled without the setting.
      expect(await compiles(sql)).toBe(available);
      await planWithoutJit(sql);
      await sql.execute('ROLLBACK');
      expect(await jit(sql)).toBe('on');
      await sql.execute(`RESET jit`);
    });
  });
});
