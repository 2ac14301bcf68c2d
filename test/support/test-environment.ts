import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { AppConfig } from '@app/infrastructure';

const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestEnvironment {
  /** Settings for an app under test: its own database and Redis key prefix, quiet logs, fast wake-ups. */
  config: Partial<AppConfig>;
  /** Environment variables with the same settings, for child processes. */
  env: Record<string, string>;
  databaseUrl: string;
  redisPrefix: string;
  /** Drops the database and deletes the Redis keys. */
  teardown(): Promise<void>;
}

const databaseUrlFor = (name: string): string => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

/** The server's own `postgres` database beside a test's: a session there is one of another database of the server. */
export const anotherDatabaseOf = (databaseUrl: string): string => {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
};

/** A fresh, empty database and Redis prefix, so test files never see each other's data. */
export const createTestEnvironment = async (
  overrides: Partial<AppConfig> = {},
  { purpose = 'test' }: { purpose?: 'test' | 'bench' } = {},
): Promise<TestEnvironment> => {
  const id = randomBytes(5).toString('hex');
  const name = `trialwatch_${purpose}_${id}`;
  const databaseUrl = databaseUrlFor(name);
  const redisPrefix = `tw${purpose}:${id}`;
  const config: Partial<AppConfig> = {
    databaseUrl,
    redisUrl: REDIS_URL,
    redisPrefix,
    logLevel: 'warn',
    projectionWakeIntervalMs: 500,
    migrateOnStart: true,
    // The daily signal check runs when a test asks for it, never because a test ran across its hour.
    signalCheck: { cron: null, timeZone: 'UTC' },
    ...overrides,
  };
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: config.logLevel ?? 'warn',
    PROJECTION_WAKE_INTERVAL_MS: String(config.projectionWakeIntervalMs),
    WORKER_METRICS_PORT: '0',
    SIGNAL_CHECK_CRON: 'off',
  };
  return {
    config,
    env,
    databaseUrl,
    redisPrefix,
    async teardown() {
      const client = new pg.Client({ connectionString: SERVER_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
      const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
};

/** Polls `check` until it returns a value that is not undefined/false, or fails after `timeoutMs`. */
export const eventually = async <T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
