import { readFileSync } from 'node:fs';
import { InvalidConfigError, loadConfig, parseDuration } from './app-config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadConfig', () => {
  it('starts with documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.redisPrefix).toBe('trialwatch');
    expect(config.port).toBe(3000);
    expect(config.webhooks.retryScheduleMs).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000]);
  });

  it('reports every problem at once, each naming its variable', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://db', WEBHOOK_RETRY_SCHEDULE: '5s,soon' });
    expect(problems).toHaveLength(3);
    for (const name of ['PORT', 'DATABASE_URL', 'WEBHOOK_RETRY_SCHEDULE'])
      expect(problems.some((problem) => problem.includes(name))).toBe(true);
  });

  it('names a URL it cannot use without the password in it, even one that does not parse', () => {
    expect(
      problemsOf({
        DATABASE_URL: 'postgres://app:s3cr/t@db.internal:5432/trialwatch',
        REDIS_URL: 'rediss//:redis-pass@cache.internal:6380',
        REDIS_CLUSTER_NODES: 'redis://:cluster-pass@10.0.0.1',
        CTGOV_BASE_URL: 'ftp://mirror:mirror-pass@registry.internal',
      }),
    ).toEqual([
      'DATABASE_URL is not a valid URL: "postgres://***@db.internal:5432/trialwatch"',
      'REDIS_URL is not a valid URL: "***@cache.internal:6380"',
      'REDIS_CLUSTER_NODES: "redis://***@10.0.0.1" is not host:port or a redis:// URL with a port',
      'CTGOV_BASE_URL must be a http: or https: URL, got "ftp://***@registry.internal"',
    ]);
    expect(problemsOf({ DATABASE_URL: 'mysql://db.internal/trialwatch' })).toEqual([
      'DATABASE_URL must be a postgres: or postgresql: URL, got "mysql://db.internal/trialwatch"',
    ]);
  });

  it('refuses to serve the api or the worker metrics to the network without keys, unless API_OPEN says so', () => {
    const KEY = 'admin:0123456789abcdef-admin';
    expect(problemsOf({ HOST: '0.0.0.0' })).toEqual([
      'HOST=0.0.0.0 would serve every endpoint to the network without a key: set API_KEYS, or API_OPEN=true to serve the api open on purpose',
    ]);
    for (const host of ['0.0.0.0', '::', '10.0.0.5']) {
      expect(problemsOf({ WORKER_METRICS_HOST: host })).toEqual([
        `WORKER_METRICS_HOST=${host} would serve the worker's metrics to the network without a key: set API_KEYS, ` +
          'or API_OPEN=true to serve them open on purpose',
      ]);
      expect(problemsOf({ WORKER_METRICS_HOST: host, API_KEYS: KEY })).toEqual([]);
      expect(problemsOf({ WORKER_METRICS_HOST: host, API_OPEN: 'true' })).toEqual([]);
      // No metrics endpoint, nothing served.
      expect(problemsOf({ WORKER_METRICS_HOST: host, WORKER_METRICS_PORT: '0' })).toEqual([]);
    }
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(problemsOf({ WORKER_METRICS_HOST: host })).toEqual([]);
  });

  it('disables a failing webhook subscription after its whole retry schedule unless told sooner, never later', () => {
    expect(loadConfig({}).webhooks.disableAfterMs).toBe(63_305_000);
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE: '1s,2s' }).webhooks.disableAfterMs).toBe(3_000);
    expect(loadConfig({ WEBHOOK_DISABLE_AFTER: '12h' }).webhooks.disableAfterMs).toBe(43_200_000);
    const [problem, ...others] = problemsOf({ WEBHOOK_DISABLE_AFTER: '3d' });
    expect(others).toEqual([]);
    expect(problem).toContain('WEBHOOK_DISABLE_AFTER=3d');
    expect(problem).toContain('WEBHOOK_RETRY_SCHEDULE=5s,5m,30m,2h,5h,10h (17h35m5s in all)');
    expect(problemsOf({ WEBHOOK_DISABLE_AFTER: 'soon' })).toEqual([expect.stringContaining('WEBHOOK_DISABLE_AFTER')]);
  });

  it('waits 30 s for PostgreSQL at start-up unless told otherwise, and names a wait it cannot read', () => {
    expect(loadConfig({}).databaseStartupWaitMs).toBe(30_000);
    expect(loadConfig({ DATABASE_STARTUP_WAIT: '2m' }).databaseStartupWaitMs).toBe(120_000);
    expect(loadConfig({ DATABASE_STARTUP_WAIT: '0s' }).databaseStartupWaitMs).toBe(0);
    expect(problemsOf({ DATABASE_STARTUP_WAIT: '30' })).toEqual([
      'DATABASE_STARTUP_WAIT must be a duration such as 0s, 30s or 2m, got "30"',
    ]);
  });

  it('reuses a host’s addresses for 30 s unless told otherwise, and names a time it cannot read', () => {
    expect(loadConfig({}).outbound.dnsCacheMs).toBe(30_000);
    expect(loadConfig({ OUTBOUND_DNS_CACHE: '0s' }).outbound.dnsCacheMs).toBe(0);
    expect(problemsOf({ OUTBOUND_DNS_CACHE: 'forever' })).toEqual([
      'OUTBOUND_DNS_CACHE must be a duration such as 0s, 30s or 2m, got "forever"',
    ]);
  });

  it('accepts a Redis Cluster hash tag in REDIS_PREFIX and refuses other punctuation', () => {
    expect(loadConfig({ REDIS_PREFIX: '{trialwatch}' }).redisPrefix).toBe('{trialwatch}');
    expect(loadConfig({ REDIS_PREFIX: 'prod:{tw}' }).redisPrefix).toBe('prod:{tw}');
    expect(problemsOf({ REDIS_PREFIX: 'tw prod' })).toEqual([expect.stringContaining('REDIS_PREFIX')]);
    expect(problemsOf({ REDIS_PREFIX: '{a}{b}' })).toEqual([expect.stringContaining('REDIS_PREFIX')]);
    expect(problemsOf({ REDIS_PREFIX: 'tw*' })).toEqual([expect.stringContaining('REDIS_PREFIX')]);
  });
});

describe('REDIS_CLUSTER_NODES', () => {
  it('is empty by default: one Redis at REDIS_URL', () => {
    expect(loadConfig({}).redisClusterNodes).toEqual([]);
  });

  it('reads host:port entries and redis URLs, and names each entry it cannot read', () => {
    expect(
      loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, rediss://user:secret@cache.internal:6380' }).redisClusterNodes,
    ).toEqual(['redis://10.0.0.1:7000', 'rediss://user:secret@cache.internal:6380']);
    expect(problemsOf({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2,http://x:1' })).toEqual([
      expect.stringContaining('REDIS_CLUSTER_NODES: "10.0.0.2"'),
      expect.stringContaining('REDIS_CLUSTER_NODES: "http://x:1"'),
    ]);
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5_000],
    ['1.5m', 90_000],
    ['3d', 259_200_000],
  ])('reads %s as %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('gives null for what it cannot read', () => {
    expect(parseDuration('5 minutes')).toBeNull();
    expect(parseDuration('')).toBeNull();
  });
});

describe('ingestion settings', () => {
  it('default to 8 attempts, 500 ms first backoff, 200 snapshots and 2 s per bulk transaction', () => {
    expect(loadConfig({})).toMatchObject({
      ingestMaxAttempts: 8,
      ingestRetryBackoffMs: 500,
      bulkIngestMaxSnapshots: 200,
      bulkIngestMaxTransactionMs: 2000,
    });
  });

  it('refuses attempts, backoffs and bulk bounds that are not positive whole numbers, naming each', () => {
    const problems = problemsOf({
      INGEST_MAX_ATTEMPTS: '0',
      INGEST_RETRY_BACKOFF_MS: 'soon',
      BULK_INGEST_MAX_SNAPSHOTS: '-5',
      BULK_INGEST_MAX_TRANSACTION_MS: '1.5',
    });
    expect(problems).toHaveLength(4);
    for (const name of [
      'INGEST_MAX_ATTEMPTS',
      'INGEST_RETRY_BACKOFF_MS',
      'BULK_INGEST_MAX_SNAPSHOTS',
      'BULK_INGEST_MAX_TRANSACTION_MS',
    ])
      expect(problems.some((problem) => problem.startsWith(name))).toBe(true);
  });
});

describe('webhook delivery concurrency', () => {
  it('delivers to 64 subscriptions at once by default, and reads WEBHOOK_DELIVERY_CONCURRENCY', () => {
    expect(loadConfig({}).webhooks.deliveryConcurrency).toBe(64);
    expect(loadConfig({ WEBHOOK_DELIVERY_CONCURRENCY: '8' }).webhooks.deliveryConcurrency).toBe(8);
  });

  it('sends at most 64 requests at once to one receiver by default, and reads WEBHOOK_MAX_REQUESTS_PER_HOST', () => {
    expect(loadConfig({}).webhooks.maxRequestsPerHost).toBe(64);
    expect(loadConfig({ WEBHOOK_MAX_REQUESTS_PER_HOST: '8' }).webhooks.maxRequestsPerHost).toBe(8);
    for (const value of ['0', '1025', 'many']) {
      expect(problemsOf({ WEBHOOK_MAX_REQUESTS_PER_HOST: value })).toEqual([
        expect.stringContaining('WEBHOOK_MAX_REQUESTS_PER_HOST'),
      ]);
    }
  });

  it('refuses a concurrency that is not a whole number from 1 to 256', () => {
    for (const value of ['0', '257', 'many', '2.5']) {
      expect(problemsOf({ WEBHOOK_DELIVERY_CONCURRENCY: value })).toEqual([
        expect.stringContaining('WEBHOOK_DELIVERY_CONCURRENCY'),
      ]);
    }
  });

  it('names every variable it reads in .env.example and in the README', () => {
    const read = new Set<string>();
    const recording = new Proxy({} as Record<string, string | undefined>, {
      get: (_, key) => (typeof key === 'string' && read.add(key), undefined),
      has: (_, key) => (typeof key === 'string' && read.add(key), false),
    });
    loadConfig(recording);
    expect(read.size).toBeGreaterThan(40);
    const example = readFileSync('.env.example', 'utf8');
    const readme = readFileSync('README.md', 'utf8');
    // The earlier name of OUTBOUND_ALLOWED_HOSTS is still read; both files name it beside the new one.
    const listed = (name: string) => new RegExp(`^#? ?${name}=|\\(${name},`, 'm').test(example);
    expect([...read].filter((name) => !listed(name))).toEqual([]);
    expect([...read].filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
