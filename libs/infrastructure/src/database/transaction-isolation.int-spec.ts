import pg from 'pg';
import { createTestEnvironment, type TestEnvironment } from '../../../../test/support/test-environment.js';
import { createDataSource } from './data-source.js';
import { ensureDatabase } from './ensure-database.js';
import { Database, type Sql } from './database.js';

describe('transaction isolation (PostgreSQL)', () => {
  let environment: TestEnvironment;
  let database: Database;

  const isolationOf = async (sql: Sql): Promise<string> =>
    (await sql.query<{ level: string }>(`SELECT current_setting('transaction_isolation') AS level`))[0]!.level;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    await ensureDatabase(environment.databaseUrl);
    const name = new URL(environment.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: environment.databaseUrl });
    await admin.connect();
    // The database's own default made SERIALIZABLE: trialwatch's connections must not take it up.
    await admin.query(`ALTER DATABASE "${name}" SET default_transaction_isolation = 'serializable'`);
    await admin.end();
    database = new Database(await createDataSource({ databaseUrl: environment.databaseUrl, poolSize: 2 }).initialize());
  });

  afterAll(async () => {
    await database?.dataSource.destroy();
    await environment?.teardown();
  });

  it("runs transactions READ COMMITTED unless told otherwise, whatever the database's default", async () => {
    const plain = new pg.Client({ connectionString: environment.databaseUrl });
    await plain.connect();
    try {
      const [row] = (await plain.query(`SELECT current_setting('transaction_isolation') AS level`)).rows;
      expect(row.level).toBe('serializable');
    } finally {
      await plain.end();
    }
    for (let round = 0; round < 3; round += 1) {
      expect(await database.transaction(isolationOf)).toBe('read committed');
      expect(await database.session(isolationOf)).toBe('read committed');
    }
  });

  it('runs a transaction at the level it asks for, and the next one at READ COMMITTED again', async () => {
    expect(await database.transaction(isolationOf, 'REPEATABLE READ')).toBe('repeatable read');
    expect(await database.transaction(isolationOf, 'SERIALIZABLE')).toBe('serializable');
    expect(await database.transaction(isolationOf)).toBe('read committed');
  });
});
