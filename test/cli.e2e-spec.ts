import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runCli } from './support/app-processes.js';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Loaded before the CLI: records every module it resolves, and writes the list to a file as it exits. */
const RECORD_MODULES = `
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
const resolved = new Set();
registerHooks({ resolve: (specifier, context, next) => { const found = next(specifier, context); resolved.add(found.url); return found; } });
process.on('exit', () => writeFileSync(process.env.RESOLVED_MODULES_FILE, JSON.stringify([...resolved])));
`;

/** What only the commands that use the database need: the framework, the stores, the queue, the contexts. */
const APPLICATION = /\/node_modules\/(@nestjs|typeorm|pg|bullmq|ioredis)\/|\/libs\/(infrastructure|tracking)\//;

const runCliRecordingModules = (args: string[], env: Record<string, string> = {}) => {
  const folder = mkdtempSync(join(tmpdir(), 'trialwatch-cli-'));
  const modulesFile = join(folder, 'modules.json');
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(RECORD_MODULES)}`,
      join(ROOT, 'bin', 'trialwatch.js'),
      ...args,
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        // Nowhere to connect to: only the last test's command needs it.
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        DATABASE_STARTUP_WAIT: '0s',
        RESOLVED_MODULES_FILE: modulesFile,
        ...env,
      },
      // A command that does not end is a failure, not a test that never ends.
      timeout: 60_000,
    },
  );
  try {
    const modules = JSON.parse(readFileSync(modulesFile, 'utf8')) as string[];
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, modules };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
};

describe('the CLI without the application', () => {
  it('--help lists the commands without loading the framework, the database or the queue', () => {
    const run = runCliRecordingModules(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Usage: trialwatch/);
    for (const command of ['parse', 'ingest', 'history', 'export', 'watch', 'subscribe', 'migrate'])
      expect(run.stdout).toContain(`\n  ${command}`);
    expect(run.modules.length).toBeGreaterThan(10);
    expect(run.modules.filter((url) => APPLICATION.test(url))).toEqual([]);
  });

  it('parse prints the normalized snapshot, loading the registry formats and nothing of the application', () => {
    const run = runCliRecordingModules(['parse', join(ROOT, 'test/fixtures/ctgov-api-v2/NCT00973089.json')]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ nctId: 'NCT00973089', source: { format: 'ctgov-api-v2-json' } });
    expect(run.modules.some((url) => url.includes('/libs/registry-formats/'))).toBe(true);
    expect(run.modules.filter((url) => APPLICATION.test(url))).toEqual([]);
  });

  it('parse reads --observed-at as ingest does: canonical, and refused when it is not a time or lies ahead', () => {
    const file = join(ROOT, 'test/fixtures/ctgov-api-v2/NCT00973089.json');
    const dated = runCliRecordingModules(['parse', file, '--observed-at', '2024-01-15']);
    expect(dated.status).toBe(0);
    expect(JSON.parse(dated.stdout)).toMatchObject({ source: { observedAt: '2024-01-15T00:00:00.000Z' } });
    const unreadable = runCliRecordingModules(['parse', file, '--observed-at', 'yesterday']);
    expect({ status: unreadable.status, stdout: unreadable.stdout }).toEqual({ status: 2, stdout: '' });
    expect(unreadable.stderr).toMatch(
      /^trialwatch: snapshot\.invalid-observed-at: --observed-at yesterday is not a date/,
    );
    const ahead = runCliRecordingModules(['parse', file, '--observed-at', '2999-01-01T00:00:00Z']);
    expect({ status: ahead.status, stdout: ahead.stdout }).toEqual({ status: 2, stdout: '' });
    expect(ahead.stderr).toMatch(
      /^trialwatch: snapshot\.observed-in-future: --observed-at 2999-01-01T00:00:00Z is in the future/,
    );
    expect(unreadable.modules.filter((url) => APPLICATION.test(url))).toEqual([]);
  });

  it("an option's mistake is told before anything is loaded, with the values it accepts", () => {
    const run = runCliRecordingModules(['ingestions', 'list', '--status', 'done']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      'trialwatch: --status must be one of queued, appended, learned, unchanged, stale, rejected, failed',
    );
    expect(run.modules.filter((url) => APPLICATION.test(url))).toEqual([]);
  });

  it.each([
    [['watch', 'runs', 'nightly', '--limit', 'ten'], '--limit must be a whole number from 1 to 500'],
    [['watch', 'runs', 'nightly', '--limit', '0'], '--limit must be a whole number from 1 to 500'],
    [['watch', 'runs', 'nightly', '--limit', '-3'], '--limit must be a whole number from 1 to 500'],
    [
      ['subscriptions', 'deliveries', '00000000-0000-4000-8000-000000000000', '--limit', 'ten'],
      '--limit must be a whole number from 1 to 1000',
    ],
    [
      ['subscriptions', 'deliveries', '00000000-0000-4000-8000-000000000000', '--limit', '0'],
      '--limit must be a whole number from 1 to 1000',
    ],
    [['signals', 'check', '--on', '2026-13-01'], '--on must be a date as YYYY-MM-DD, got "2026-13-01"'],
    [['export', 'results-due', '--on', '2026-13-01'], '--on must be a date as YYYY-MM-DD, got "2026-13-01"'],
    [
      ['ingest', 'test/fixtures/ctgov-api-v2', '--source', 'my export'],
      '--source must be a short label (letters, digits, . : @ / - _), got "my export"',
    ],
    [
      ['ingest', 'test/fixtures/ctgov-api-v2', '--source', ''],
      '--source must be a short label (letters, digits, . : @ / - _), got ""',
    ],
    [
      ['ingest', 'test/fixtures/ctgov-api-v2', '--observed-at', 'yesterday'],
      'snapshot.invalid-observed-at: --observed-at yesterday is not a date or timestamp trialwatch can read; ' +
        'give an ISO 8601 date or timestamp such as 2024-01-15 or 2024-01-15T10:00:00Z',
    ],
    [['contents', 'compress', '--batch-size', 'ten'], '--batch-size must be a whole number from 1 to 10000, got "ten"'],
    [['contents', 'compress', '--batch-size', '0'], '--batch-size must be a whole number from 1 to 10000, got "0"'],
    [
      ['projections', 'rebuild', 'bogus'],
      'No projection named "bogus"; choose one of current-state, field-history, status-history, change-feed, outcome-switches',
    ],
    [
      ['subscriptions', 'recover', '00000000-0000-4000-8000-000000000000', '--since', 'x'],
      '--since must be an ISO 8601 date or time such as 2026-01-15T10:00:00Z, got "x"',
    ],
    [
      ['subscribe', '--url', 'http://127.0.0.1:9/hook', '--min-materiality', 'huge'],
      '--min-materiality must be one of noise, low, medium, high',
    ],
  ])('%j is refused as a usage error (exit 2), before anything is loaded', (args, message) => {
    const run = runCliRecordingModules(args);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 2, stderr: `trialwatch: ${message}\n` });
    expect(run.modules.filter((url) => APPLICATION.test(url))).toEqual([]);
  });

  it.each([
    [
      ['export', 'changes', '--type', 'trial.overall-status-changed,trial.status-changed'],
      /^trialwatch: --type must be event types, comma-separated \(trial\.registered, .*\); unknown: trial\.status-changed\n$/,
    ],
    [
      ['export', 'changes', '--nct-id', 'NCT00973089,NCT0097308'],
      /^trialwatch: --nct-id must be NCT IDs such as NCT04811651, comma-separated; not one: "NCT0097308"\n$/,
    ],
    [
      ['export', 'status-history', '--nct-id', '00973089'],
      /^trialwatch: --nct-id must be NCT IDs such as NCT04811651, comma-separated; not one: "00973089"\n$/,
    ],
    [
      ['export', 'changes', '--since', '2026-01-01'],
      /^trialwatch: --since applies to outcome-switching only, not to changes\n$/,
    ],
    [
      ['export', 'results-due', '--nct-id', 'NCT00973089'],
      /^trialwatch: --nct-id applies to changes and status-history only, not to results-due\n$/,
    ],
    [
      ['export', 'status-history', '--type', 'trial.overall-status-changed'],
      /^trialwatch: --type applies to changes only, not to status-history\n$/,
    ],
    [
      ['export', 'changes', '--on', '2026-01-01'],
      /^trialwatch: --on applies to results-due and hygiene only, not to changes\n$/,
    ],
  ])('%j refuses a filter it cannot apply as asked, before anything is loaded', (args, message) => {
    const run = runCliRecordingModules(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    expect(run.modules.filter((url) => APPLICATION.test(url))).toEqual([]);
  });

  it.each([
    ['subscriptions', 'remove'],
    ['subscriptions', 'enable'],
    ['subscriptions', 'deliveries'],
    ['ingestions', 'retry'],
  ])('%s %s with an id that is not one says so before anything is loaded', (group, command) => {
    const run = runCliRecordingModules([group, command, 'nope']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/trialwatch: "nope" is not an? (subscription|ingestion) id \(a UUID\)/);
    expect(run.modules.filter((url) => APPLICATION.test(url))).toEqual([]);
  });

  it('a command that needs the database loads the application when it runs', () => {
    const run = runCliRecordingModules(['history', 'NCT00973089']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/PostgreSQL|database/i);
    expect(run.modules.some((url) => url.includes('/node_modules/@nestjs/core/'))).toBe(true);
  });

  it('a command that cannot reach PostgreSQL says so in one line, no stack trace, and exits 1', () => {
    const run = runCliRecordingModules(['history', 'NCT00973089']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 1,
      stderr:
        'trialwatch: database.unavailable: The database (PostgreSQL) could not be reached (DATABASE_STARTUP_WAIT) ' +
        '(connect ECONNREFUSED 127.0.0.1:1)\n',
    });
  });

  it('a command started with a bad setting lists the problem in plain lines, no stack trace, and exits 2', () => {
    const run = runCliRecordingModules(['projections', 'status'], { PORT: 'abc' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 2,
      stderr:
        'trialwatch: config.invalid: Invalid configuration:\n  - PORT must be an integer from 0 to 65535, got "abc"\n',
    });
  });
});

describe('projections rebuild', () => {
  let environment: TestEnvironment;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    expect((await runCli(['migrate'], environment.env)).status).toBe(0);
  });

  afterAll(async () => {
    await environment.teardown();
  });

  it('refuses a name that is no read model as a usage error (exit 2), naming it and the read models there are', async () => {
    const status = await runCli(['projections', 'status', '--json'], environment.env);
    const names = (JSON.parse(status.stdout) as { name: string }[]).map((projection) => projection.name);
    expect(names).toHaveLength(5);
    const run = await runCli(['projections', 'rebuild', 'bogus'], environment.env);
    expect(run).toEqual({
      status: 2,
      stdout: '',
      stderr: `trialwatch: No projection named "bogus"; choose one of ${names.join(', ')}\n`,
    });
  });

  it('says which read models it rebuilt before one that failed, and exits 1', async () => {
    // Another session holds the lock of change-feed's rebuild (the fourth of five): that one cannot run.
    const other = new pg.Client({ connectionString: environment.databaseUrl });
    await other.connect();
    try {
      const key = createHash('sha256').update('projection:change-feed__rebuild').digest().readBigInt64BE(0);
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1::bigint)', [key.toString()]);
      const run = await runCli(['projections', 'rebuild'], environment.env);
      expect(run.status).toBe(1);
      expect(run.stdout.match(/^[a-z-]+(?=: rebuilt from \d+ events in \d+ ms$)/gm)).toEqual([
        'current-state',
        'field-history',
        'status-history',
      ]);
      expect(run.stderr).toBe('trialwatch: Another rebuild of change-feed is running\n');
    } finally {
      await other.end();
    }
  });
});
