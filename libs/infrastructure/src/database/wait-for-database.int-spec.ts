import type { DataSource } from 'typeorm';
import { freePort } from '../../../../test/support/app-processes.js';
import { databaseUrlThrough, forwarderTo, type TcpForwarder } from '../../../../test/support/tcp-forwarder.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../test/support/test-environment.js';
import { DatabaseUnavailableError } from './database-unavailable.js';
import { connectDatabase } from './wait-for-database.js';

describe('connecting at start-up while PostgreSQL is not there yet', () => {
  let environment: TestEnvironment;
  let forwarder: TcpForwarder | null = null;
  let dataSource: DataSource | null = null;

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterEach(async () => {
    await dataSource?.destroy();
    dataSource = null;
    await forwarder?.close();
    forwarder = null;
  });

  afterAll(async () => {
    await environment.teardown();
  });

  it('keeps trying until the server accepts connections, then creates the database and connects', async () => {
    const port = await freePort();
    forwarder = forwarderTo(environment.databaseUrl, port);
    const retries: { cause: unknown; retryInMs: number }[] = [];
    const opening = setTimeout(() => void forwarder!.open(), 1_600);
    try {
      dataSource = await connectDatabase(
        { databaseUrl: databaseUrlThrough(environment.databaseUrl, port), poolSize: 2 },
        { waitMs: 20_000, onRetry: (cause, retryInMs) => retries.push({ cause, retryInMs }) },
      );
    } finally {
      clearTimeout(opening);
    }
    const [{ database }] = await dataSource.query<[{ database: string }]>('SELECT current_database() AS database');
    expect(database).toBe(decodeURIComponent(new URL(environment.databaseUrl).pathname.slice(1)));
    // Refused until the port opened at 1.6 s: tries at 0, 0.25 and 0.75 s; the next, at 1.75 s, connects.
    expect(retries.length).toBeGreaterThanOrEqual(3);
    expect(retries.every(({ cause }) => (cause as { code?: string }).code === 'ECONNREFUSED')).toBe(true);
    expect(retries.slice(0, 3).map(({ retryInMs }) => retryInMs)).toEqual([250, 500, 1000]);
  });

  it('gives up once the wait is over with database.unavailable naming it, the driver error as its cause', async () => {
    const port = await freePort();
    const started = performance.now();
    const failure = await connectDatabase(
      { databaseUrl: databaseUrlThrough(environment.databaseUrl, port), poolSize: 2 },
      { waitMs: 1_500 },
    ).catch((error: unknown) => error);
    const elapsedMs = performance.now() - started;
    expect(failure).toBeInstanceOf(DatabaseUnavailableError);
    expect(failure).toMatchObject({
      code: 'database.unavailable',
      message: 'The database (PostgreSQL) could not be reached within 1s500ms (DATABASE_STARTUP_WAIT)',
      cause: { code: 'ECONNREFUSED' },
    });
    expect(elapsedMs).toBeGreaterThanOrEqual(1_500);
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('tries once when told not to wait', async () => {
    const port = await freePort();
    const retries: number[] = [];
    const failure = await connectDatabase(
      { databaseUrl: databaseUrlThrough(environment.databaseUrl, port), poolSize: 2 },
      { waitMs: 0, onRetry: (_, retryInMs) => retries.push(retryInMs) },
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 'database.unavailable',
      message: 'The database (PostgreSQL) could not be reached (DATABASE_STARTUP_WAIT)',
    });
    expect(retries).toEqual([]);
  });

  it('does not wait on what waiting cannot mend: a role the server does not know fails at once', async () => {
    const url = new URL(environment.databaseUrl);
    url.username = 'no_such_role_here';
    const started = performance.now();
    const failure = await connectDatabase({ databaseUrl: url.toString(), poolSize: 2 }, { waitMs: 20_000 }).catch(
      (error: unknown) => error,
    );
    expect(failure).not.toBeInstanceOf(DatabaseUnavailableError);
    expect(failure).toMatchObject({
      code: 'database.cannot-connect',
      message: 'Cannot connect to PostgreSQL with DATABASE_URL',
      cause: { code: '28000', message: 'role "no_such_role_here" does not exist' },
    });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
