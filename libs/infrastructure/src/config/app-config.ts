import { CronExpressionParser } from 'cron-parser';
import { DomainError } from '@app/domain';
import { type ApiKey, parseApiKeys } from '../http/auth/api-keys.js';
import { OutboundAllowList } from '../outbound/allow-list.js';

/** Every setting trialwatch reads from its environment; `.env.example` lists them with their defaults. */
export interface AppConfig {
  databaseUrl: string;
  databasePoolSize: number;
  /** How long the api, the worker and the CLI wait at start-up for PostgreSQL to accept connections. */
  databaseStartupWaitMs: number;
  /**
   * Set by the worker, which delivers webhooks: its pool opens up to `webhookDeliverySessions` connections
   * more (one per delivery pass, at most 4), so deliveries and the rest never wait on each other.
   */
  deliversWebhooks: boolean;
  redisUrl: string;
  /**
   * Redis Cluster nodes to start from (`host:port`, or `redis://` / `rediss://` URLs with credentials);
   * empty: the single Redis at `redisUrl`. When set, every Redis connection is a cluster connection.
   */
  redisClusterNodes: string[];
  /** Prefix of every Redis key, so several installations (or test runs) can share one Redis. */
  redisPrefix: string;
  port: number;
  /** Interface the api listens on: loopback unless API keys are set (or API_OPEN says to serve open). */
  host: string;
  /** Serve the api on other interfaces without API keys, on purpose. */
  apiOpen: boolean;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For / -Proto to believe (false: none). */
  trustProxy: boolean | number | string[];
  /** Base URL the api is reachable at, used in links it hands out (webhooks, feeds). */
  publicBaseUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  maxSnapshotBytes: number;
  ingestConcurrency: number;
  /** How often the worker wakes each projection even when no job asked it to (ms). */
  projectionWakeIntervalMs: number;
  projectionBatchSize: number;
  /** How many trials' folded facts the current-state and change-feed projections each keep in memory between batches (0: none). */
  projectionFactsCacheTrials: number;
  /**
   * Ingestion keeps a trial's folded state beside its stream once this many events lie past the state
   * kept before (or the stream's start): deciding on a snapshot then folds at most this many events.
   */
  streamStateAfterEvents: number;
  /** How long an ingestion may stay queued before the worker presumes its job lost and queues it again (ms). */
  ingestSweepAfterMs: number;
  /** Processing attempts of one ingestion before it is `failed` with its error (retried only on demand). */
  ingestMaxAttempts: number;
  /** Wait before an ingestion's first retry (ms); each later retry waits twice as long. */
  ingestRetryBackoffMs: number;
  /** The bulk path (CLI, watchlist syncs): at most this many snapshots per transaction... */
  bulkIngestMaxSnapshots: number;
  /** ...and transactions sized to take about this long (ms), from how long the previous ones took. */
  bulkIngestMaxTransactionMs: number;
  /** Run pending database migrations when a process starts. */
  migrateOnStart: boolean;
  /** ClinicalTrials.gov, for watchlist syncs. */
  ctgov: {
    baseUrl: string;
    requestsPerSecond: number;
    timeoutMs: number;
    maxRetries: number;
    /** Base of the exponential backoff between retries (ms). */
    backoffBaseMs: number;
    /** The undocumented per-version history endpoint; off unless asked for. */
    historyEnabled: boolean;
  };
  /** A folder whose new files are ingested once each; null when unset. */
  dropFolder: string | null;
  dropFolderPollMs: number;
  /** Accepted API keys (hashed); empty means the API is open. */
  apiKeys: ApiKey[];
  /** How often the worker re-declares its job schedulers, in case Redis lost them (ms). */
  schedulerRefreshMs: number;
  /** Port of the worker's /metrics endpoint (0: none), and the interface it listens on. */
  workerMetricsPort: number;
  workerMetricsHost: string;
  /** POST /snapshots allowed per client per minute (0: unlimited). */
  snapshotRateLimitPerMinute: number;
  /**
   * `GET /health` says `degraded` once projections lag this far behind, or committed events have waited
   * this long behind an open write transaction (seconds).
   */
  healthDegradedAfterSeconds: number;
  webhooks: {
    /**
     * Waits between a failed delivery and its retries (ms); after the last one the delivery is abandoned
     * and its subscription disabled.
     */
    retryScheduleMs: number[];
    timeoutMs: number;
    maxPayloadBytes: number;
    /** Delivery jobs (one subscription's due deliveries each) a worker runs at once. */
    deliveryConcurrency: number;
    /** Requests a worker has in flight to one receiver (scheme, host and port) at once; the rest wait their turn. */
    maxRequestsPerHost: number;
    /**
     * A subscription failing continuously for this long is disabled, with the reason. At most the whole
     * retry schedule (its default), so a subscription is disabled no later than its first abandoned delivery.
     */
    disableAfterMs: number;
  };
  /** The daily signal check (results overdue, hygiene flags): a cron pattern in `timeZone`, or null for none. */
  signalCheck: { cron: string | null; timeZone: string };
  /** Every URL fetched on a user's behalf (webhooks, watchlist pages) goes through the outbound policy. */
  outbound: {
    /** Hosts, addresses and CIDR ranges that may be non-public, and may use plain http. */
    allowedHosts: string[];
    /** DNS servers (`host[:port]`) that resolve those URLs' hosts; empty: the system's resolver. */
    dnsServers: string[];
    /** How long a host's addresses are reused at most (ms); a DNS answer's shorter TTL wins; 0: never. */
    dnsCacheMs: number;
  };
  /** Live change streams (GET /changes/stream). */
  streams: {
    /** Streams one API key (or, without keys, one client address) may hold open at once. */
    maxPerKey: number;
    /** How long a stream may wait for its client to read what was sent before it is dropped (ms). */
    stallTimeoutMs: number;
  };
}

export class InvalidConfigError extends DomainError {
  readonly code = 'config.invalid';
  readonly kind = 'invalid' as const;
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`, { problems });
  }
}

type Env = Record<string, string | undefined>;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `5s`, `5m`, `2h`, `3d` -> milliseconds; null when unreadable. */
export const parseDuration = (text: string): number | null => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  return match ? Math.round(Number(match[1]) * DURATION_UNITS[match[2]!]!) : null;
};

/** Loopback interfaces: an api bound there is reachable from this machine only. */
export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** `false`, `true`, a hop count, or addresses, CIDR ranges and Express's names (loopback, linklocal, uniquelocal). */
const trustProxySetting = (raw: string, problems: string[]): boolean | number | string[] => {
  const value = raw.trim().toLowerCase();
  if (['false', '0', 'no', ''].includes(value)) return false;
  if (['true', 'yes'].includes(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const unreadable = entries.filter(
    (entry) => !TRUST_PROXY_NAMES.includes(entry) && !/^[0-9a-f:.]+(\/\d{1,3})?$/.test(entry),
  );
  if (unreadable.length > 0) {
    problems.push(
      `TRUST_PROXY must be true, false, a number of hops, or addresses, CIDR ranges and ${TRUST_PROXY_NAMES.join(', ')}; cannot read ${unreadable.join(', ')}`,
    );
    return false;
  }
  return entries;
};

/** A cron pattern (`off` for none) and an IANA time zone, both checked by the parser the schedules use. */
const signalCheckSetting = (cron: string, timeZone: string, problems: string[]): AppConfig['signalCheck'] => {
  if (cron.toLowerCase() === 'off') return { cron: null, timeZone };
  try {
    CronExpressionParser.parse(cron, { tz: timeZone });
  } catch (error) {
    problems.push(
      `SIGNAL_CHECK_CRON / SIGNAL_CHECK_TIME_ZONE: "${cron}" in ${timeZone} is not a schedule (${(error as Error).message}); use a cron pattern such as "30 2 * * *", or off`,
    );
  }
  return { cron, timeZone };
};

/** `1d2h3m4s500ms`-style text for a duration in milliseconds. */
export const formatDuration = (ms: number): string => {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of Object.entries(DURATION_UNITS).reverse()) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join('') || '0ms';
};

/**
 * WEBHOOK_DISABLE_AFTER, by default the whole retry schedule. Longer than the schedule it would let a
 * delivery be abandoned while its subscription stays active, and later events go out past the gap.
 */
const webhookDisableAfter = (env: Env, scheduleMs: number[], problems: string[]): number => {
  const scheduleTotal = scheduleMs.reduce((sum, wait) => sum + wait, 0);
  const raw = env['WEBHOOK_DISABLE_AFTER']?.trim();
  if (!raw) return scheduleTotal;
  const value = parseDuration(raw);
  if (value === null) {
    problems.push(`WEBHOOK_DISABLE_AFTER must be a duration such as 30m, 12h or 1d, got "${raw}"`);
    return scheduleTotal;
  }
  if (value > scheduleTotal) {
    problems.push(
      `WEBHOOK_DISABLE_AFTER=${raw} is longer than WEBHOOK_RETRY_SCHEDULE=${env['WEBHOOK_RETRY_SCHEDULE']?.trim() || '5s,5m,30m,2h,5h,10h'} ` +
        `(${formatDuration(scheduleTotal)} in all): a delivery would be abandoned while its subscription stays active; ` +
        `set WEBHOOK_DISABLE_AFTER to at most ${formatDuration(scheduleTotal)}, or lengthen the schedule`,
    );
    return scheduleTotal;
  }
  return value;
};
/**
 * A URL as a problem may quote it: whatever precedes the last `@` (a user and password, possibly
 * mistyped, so that the URL does not even parse) becomes `***`, so that no password reaches the logs.
 */
const withoutCredentials = (value: string): string => {
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  const scheme = /^[a-z][a-z\d+.-]*:\/\//i.exec(value)?.[0] ?? '';
  return `${scheme}***@${value.slice(at + 1)}`;
};

/** Cluster nodes as URLs: `host:port` gets `redis://`; anything else must be a redis URL with a port. */
const redisClusterNodes = (entries: string[], problems: string[]): string[] =>
  entries.flatMap((entry) => {
    const withScheme = /^[a-z]+:\/\//i.test(entry) ? entry : `redis://${entry}`;
    try {
      const url = new URL(withScheme);
      if (!['redis:', 'rediss:'].includes(url.protocol) || !url.hostname || !url.port) throw new Error();
      return [withScheme];
    } catch {
      problems.push(
        `REDIS_CLUSTER_NODES: "${withoutCredentials(entry)}" is not host:port or a redis:// URL with a port`,
      );
      return [];
    }
  });

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the configuration; reports every problem at once rather than the first. */
/**
 * Delivery passes a worker runs at once, each on a database connection of its own (the worker's pool
 * opens this many on top of DATABASE_POOL_SIZE); the jobs running at once share them.
 */
export const webhookDeliverySessions = (config: AppConfig): number => Math.min(4, config.webhooks.deliveryConcurrency);

export const loadConfig = (env: Env = process.env): AppConfig => {
  const problems: string[] = [];
  const text = (name: string, fallback: string): string => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  };
  const url = (name: string, fallback: string, protocols: string[]): string => {
    const value = text(name, fallback);
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must be a ${protocols.join(' or ')} URL, got "${withoutCredentials(value)}"`);
      }
    } catch {
      problems.push(`${name} is not a valid URL: "${withoutCredentials(value)}"`);
    }
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name, String(fallback));
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const positiveNumber = (name: string, fallback: number): number => {
    const raw = text(name, String(fallback));
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      problems.push(`${name} must be a positive number, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const durations = (name: string, fallback: string): number[] => {
    const raw = text(name, fallback);
    const values = raw.split(',').map((part) => parseDuration(part.trim()));
    if (values.some((value) => value === null)) {
      problems.push(`${name} must be durations such as 500ms, 5s, 5m, 2h or 3d, comma-separated; got "${raw}"`);
      return fallback.split(',').map((part) => parseDuration(part)!);
    }
    return values as number[];
  };
  const duration = (name: string, fallback: string): number => {
    const raw = text(name, fallback);
    const value = parseDuration(raw);
    if (value === null) {
      problems.push(`${name} must be a duration such as 0s, 30s or 2m, got "${raw}"`);
      return parseDuration(fallback)!;
    }
    return value;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = text(name, String(fallback)).toLowerCase();
    if (!['true', 'false', '1', '0', 'yes', 'no'].includes(raw)) {
      problems.push(`${name} must be true or false, got "${raw}"`);
      return fallback;
    }
    return ['true', '1', 'yes'].includes(raw);
  };
  const oneOf = <T extends string>(name: string, fallback: T, values: readonly T[]): T => {
    const raw = text(name, fallback) as T;
    if (!values.includes(raw)) problems.push(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    return values.includes(raw) ? raw : fallback;
  };

  const list = (name: string): string[] =>
    (env[name] ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);

  const apiKeys = parseApiKeys(env['API_KEYS'] ?? '');
  problems.push(...apiKeys.problems);
  const port = integer('PORT', 3000, 0, 65535);
  const apiOpen = boolean('API_OPEN', false);
  const host = text('HOST', apiKeys.keys.length > 0 || apiOpen ? '0.0.0.0' : '127.0.0.1');
  if (apiKeys.keys.length === 0 && !apiOpen && !isLoopbackHost(host)) {
    problems.push(
      `HOST=${host} would serve every endpoint to the network without a key: set API_KEYS, ` +
        'or API_OPEN=true to serve the api open on purpose',
    );
  }
  // The worker's metrics endpoint takes the same keys as the api, so it is held to the same rule as HOST.
  const workerMetricsPort = integer('WORKER_METRICS_PORT', 9464, 0, 65535);
  const workerMetricsHost = text('WORKER_METRICS_HOST', '127.0.0.1');
  if (apiKeys.keys.length === 0 && !apiOpen && workerMetricsPort !== 0 && !isLoopbackHost(workerMetricsHost)) {
    problems.push(
      `WORKER_METRICS_HOST=${workerMetricsHost} would serve the worker's metrics to the network without a key: ` +
        'set API_KEYS, or API_OPEN=true to serve them open on purpose',
    );
  }
  // WEBHOOK_ALLOWED_HOSTS is the setting's earlier name, still read.
  const allowedHosts = [...list('OUTBOUND_ALLOWED_HOSTS'), ...list('WEBHOOK_ALLOWED_HOSTS')];
  problems.push(
    ...OutboundAllowList.parse(allowedHosts).problems.map((problem) => `OUTBOUND_ALLOWED_HOSTS: ${problem}`),
  );
  const dnsServers = list('OUTBOUND_DNS_SERVERS');
  for (const server of dnsServers) {
    if (!/^(\[[0-9a-f:.]+\]|[0-9a-f:.]+)(:\d{1,5})?$/i.test(server)) {
      problems.push(`OUTBOUND_DNS_SERVERS: "${server}" is not an IP address with an optional :port`);
    }
  }
  const config: AppConfig = {
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/trialwatch', ['postgres:', 'postgresql:']),
    databasePoolSize: integer('DATABASE_POOL_SIZE', 10, 1, 200),
    databaseStartupWaitMs: duration('DATABASE_STARTUP_WAIT', '30s'),
    deliversWebhooks: false,
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisClusterNodes: redisClusterNodes(list('REDIS_CLUSTER_NODES'), problems),
    redisPrefix: text('REDIS_PREFIX', 'trialwatch'),
    port,
    host,
    apiOpen,
    trustProxy: trustProxySetting(text('TRUST_PROXY', 'false'), problems),
    publicBaseUrl: url('PUBLIC_BASE_URL', `http://127.0.0.1:${port}`, ['http:', 'https:']).replace(/\/+$/, ''),
    logLevel: oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    maxSnapshotBytes: integer('MAX_SNAPSHOT_BYTES', 16 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    ingestConcurrency: integer('INGEST_CONCURRENCY', 4, 1, 64),
    projectionWakeIntervalMs: integer('PROJECTION_WAKE_INTERVAL_MS', 5000, 100, 3_600_000),
    projectionBatchSize: integer('PROJECTION_BATCH_SIZE', 1000, 1, 100_000),
    projectionFactsCacheTrials: integer('PROJECTION_FACTS_CACHE_TRIALS', 20_000, 0, 10_000_000),
    streamStateAfterEvents: integer('STREAM_STATE_AFTER_EVENTS', 16, 1, 100_000),
    ingestSweepAfterMs: integer('INGEST_SWEEP_AFTER_MS', 30_000, 100, 86_400_000),
    ingestMaxAttempts: integer('INGEST_MAX_ATTEMPTS', 8, 1, 100),
    ingestRetryBackoffMs: integer('INGEST_RETRY_BACKOFF_MS', 500, 1, 3_600_000),
    bulkIngestMaxSnapshots: integer('BULK_INGEST_MAX_SNAPSHOTS', 200, 1, 10_000),
    bulkIngestMaxTransactionMs: integer('BULK_INGEST_MAX_TRANSACTION_MS', 2000, 10, 600_000),
    migrateOnStart: boolean('MIGRATE_ON_START', true),
    ctgov: {
      baseUrl: url('CTGOV_BASE_URL', 'https://clinicaltrials.gov', ['http:', 'https:']).replace(/\/+$/, ''),
      requestsPerSecond: positiveNumber('CTGOV_REQUESTS_PER_SECOND', 1),
      timeoutMs: integer('CTGOV_TIMEOUT_MS', 30_000, 100, 600_000),
      maxRetries: integer('CTGOV_MAX_RETRIES', 5, 0, 20),
      backoffBaseMs: integer('CTGOV_BACKOFF_BASE_MS', 1000, 1, 600_000),
      historyEnabled: boolean('CTGOV_HISTORY_ENABLED', false),
    },
    dropFolder: env['DROP_FOLDER']?.trim() ? env['DROP_FOLDER'].trim() : null,
    dropFolderPollMs: integer('DROP_FOLDER_POLL_MS', 10_000, 100, 3_600_000),
    apiKeys: apiKeys.keys,
    schedulerRefreshMs: integer('SCHEDULER_REFRESH_MS', 60_000, 100, 3_600_000),
    workerMetricsPort,
    workerMetricsHost,
    snapshotRateLimitPerMinute: integer('SNAPSHOT_RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    healthDegradedAfterSeconds: integer('HEALTH_DEGRADED_AFTER_SECONDS', 60, 1, 86_400),
    webhooks: {
      retryScheduleMs: durations('WEBHOOK_RETRY_SCHEDULE', '5s,5m,30m,2h,5h,10h'),
      timeoutMs: integer('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      maxPayloadBytes: integer('WEBHOOK_MAX_PAYLOAD_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
      deliveryConcurrency: integer('WEBHOOK_DELIVERY_CONCURRENCY', 64, 1, 256),
      maxRequestsPerHost: integer('WEBHOOK_MAX_REQUESTS_PER_HOST', 64, 1, 1024),
      disableAfterMs: 0,
    },
    outbound: { allowedHosts, dnsServers, dnsCacheMs: duration('OUTBOUND_DNS_CACHE', '30s') },
    signalCheck: signalCheckSetting(
      text('SIGNAL_CHECK_CRON', '30 2 * * *'),
      text('SIGNAL_CHECK_TIME_ZONE', 'UTC'),
      problems,
    ),
    streams: {
      maxPerKey: integer('STREAM_MAX_PER_KEY', 10, 1, 10_000),
      stallTimeoutMs: integer('STREAM_STALL_TIMEOUT_MS', 30_000, 100, 3_600_000),
    },
  };
  config.webhooks.disableAfterMs = webhookDisableAfter(env, config.webhooks.retryScheduleMs, problems);
  // One {hash tag} is allowed: on Redis Cluster it keeps all of a queue's keys in one slot, as BullMQ needs.
  if (!/^[\w:-]*(\{[\w:-]+\})?[\w:-]*$/.test(config.redisPrefix)) {
    problems.push(
      `REDIS_PREFIX may hold letters, digits, ":", "_", "-" and one {hash tag} only, got "${config.redisPrefix}"`,
    );
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return config;
};
