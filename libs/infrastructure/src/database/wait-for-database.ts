import type { DataSource } from 'typeorm';
import { formatDuration } from '../config/app-config.js';
import { createDataSource, type DataSourceSettings } from './data-source.js';
import { DatabaseCannotConnectError, DatabaseUnavailableError, isDatabaseUnavailable } from './database-unavailable.js';
import { ensureDatabase } from './ensure-database.js';

export interface DatabaseWait {
  /** How long to keep trying while PostgreSQL cannot be reached; 0 tries once. */
  waitMs: number;
  /** Told of each failed try that will be retried: the driver's error and the pause before the next. */
  onRetry?: (cause: unknown, retryInMs: number) => void;
}

const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 2_000;

/** The driver's SQLSTATE or the system's error code: PostgreSQL or the network answered, not a bug of ours. */
const hasErrorCode = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';

/**
 * Runs `connect` until it succeeds, trying again while PostgreSQL cannot be reached (refused, not yet
 * accepting connections, starting up, shutting down) for up to `waitMs`, with pauses doubling from
 * 250 ms to 2 s. Any other failure (an unknown role, a wrong password) is thrown at once: waiting
 * would not mend it, as a `DatabaseCannotConnectError` naming DATABASE_URL. After the wait, the last failure is thrown as a `DatabaseUnavailableError` whose
 * message names the wait and whose cause is the driver's error.
 */
export const untilDatabaseReachable = async <T>(connect: () => Promise<T>, wait: DatabaseWait): Promise<T> => {
  const giveUpAt = performance.now() + wait.waitMs;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      return await connect();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw hasErrorCode(error) ? new DatabaseCannotConnectError(error) : error;
      const left = giveUpAt - performance.now();
      if (left <= 0) {
        throw new DatabaseUnavailableError(
          error,
          `The database (PostgreSQL) could not be reached${wait.waitMs > 0 ? ` within ${formatDuration(wait.waitMs)}` : ''} (DATABASE_STARTUP_WAIT)`,
        );
      }
      const retryInMs = Math.min(pause, left);
      wait.onRetry?.(error, retryInMs);
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
    }
  }
};

/**
 * Creates the database if it is missing and opens a data source on it, waiting for PostgreSQL as
 * `untilDatabaseReachable` does: how the api, the worker and the CLI connect at start-up.
 */
export const connectDatabase = (settings: DataSourceSettings, wait: DatabaseWait): Promise<DataSource> =>
  untilDatabaseReachable(async () => {
    await ensureDatabase(settings.databaseUrl);
    return createDataSource(settings).initialize();
  }, wait);

/** The log line for a failed try that will be retried. */
export const describeRetry = (cause: unknown, retryInMs: number): string =>
  `PostgreSQL cannot be reached yet (${cause instanceof Error ? cause.message : String(cause)}); trying again in ${retryInMs} ms`;
