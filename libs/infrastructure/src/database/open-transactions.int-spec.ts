import pg from 'pg';
import { type StartedInfrastructure, startInfrastructure } from '../../../../test/support/infrastructure-module.js';
import { anotherDatabaseOf, type TestEnvironment } from '../../../../test/support/test-environment.js';
import { OpenTransactions } from './open-transactions.js';

describe('OpenTransactions (PostgreSQL)', () => {
  let infrastructure: StartedInfrastructure;
  let environment: TestEnvironment;
  let transactions: OpenTransactions;

  beforeAll(async () => {
    infrastructure = await startInfrastructure();
    environment = infrastructure.environment;
    transactions = infrastructure.module.get(OpenTransactions);
  });

  afterAll(() => infrastructure?.stop());

  it('names the oldest open write transaction: pid, application, age and the tables it holds', async () => {
    const holder = new pg.Client({
      connectionString: environment.databaseUrl,
      application_name: 'held-open-by-test',
    });
    await holder.connect();
    try {
      const [{ pid }] = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
        { pid: number },
      ];
      await holder.query('BEGIN');
      await holder.query(`INSERT INTO streams (stream_id, version) VALUES ('trial-held-open', 1)`);
      const oldest = (await transactions.oldest())!;
      expect(oldest).toMatchObject({
        pid,
        applicationName: 'held-open-by-test',
        state: 'idle in transaction',
        database: new URL(environment.databaseUrl).pathname.slice(1),
      });
      expect(oldest.holds).toContain('streams (RowExclusiveLock)');
      expect(oldest.lastStatement).toContain('INSERT INTO streams');
      expect(oldest.transactionId).toMatch(/^\d+$/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await transactions.oldest())!.ageSeconds).toBeGreaterThanOrEqual(0.3);
      await holder.query('COMMIT');
      expect(await transactions.oldest()).toBeNull();
    } finally {
      await holder.end();
    }
  });

  it('does not name a write transaction of another database of the server: it holds no reader here', async () => {
    const writer = new pg.Client({
      connectionString: anotherDatabaseOf(environment.databaseUrl),
      application_name: 'elsewhere',
    });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('SELECT pg_current_xact_id()');
      expect(await transactions.oldest()).toBeNull();
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      await writer.end();
    }
  });
});
