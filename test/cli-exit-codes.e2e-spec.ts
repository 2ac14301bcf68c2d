import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './support/app-processes.js';
import { FakeCtgovServer } from './support/fake-ctgov/index.js';
import { useMigratedWorkspace } from './support/migrated-workspace.js';

const FIXTURES = fileURLToPath(new URL('fixtures/ctgov-api-v2/', import.meta.url));

/** What a script running the CLI learns from its exit code and its last line, against real PostgreSQL. */
describe('trialwatch ingest exit codes', () => {
  const workspace = useMigratedWorkspace('ingest-exit');

  const folderWith = (name: string, files: Record<string, string | { fixture: string }>): string => {
    const folder = join(workspace.folder, name);
    mkdirSync(folder);
    for (const [file, content] of Object.entries(files)) {
      if (typeof content === 'string') writeFileSync(join(folder, file), content);
      else copyFileSync(join(FIXTURES, content.fixture), join(folder, file));
    }
    return folder;
  };

  it('exits 0 when every file went in', async () => {
    const folder = folderWith('accepted', { 'a.json': { fixture: 'NCT00973089.json' } });
    const run = await runCli(['ingest', folder, '--no-project'], workspace.environment.env);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^files: 1, events appended: \d+, appended: 1, .*rejected: 0\n$/);
  });

  it('exits 1 when some files were rejected, naming each and saying how many of how many did not go in', async () => {
    const folder = folderWith('some-rejected', {
      'good.json': { fixture: 'NCT02210780.json' },
      'not-a-study.json': '{"hello": "world"}',
    });
    const run = await runCli(['ingest', folder, '--no-project'], workspace.environment.env);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/appended: 1, .*rejected: 1\n$/);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/not-a-study\.json: snapshot\.[a-z-]+: /);
    expect(lines.at(-1)).toBe('trialwatch: 1 of 2 files not ingested (1 rejected)');
  });

  it('exits 1 when every file was rejected, with --json too (its summary on stdout stays JSON)', async () => {
    const folder = folderWith('all-rejected', { 'x.json': '{"hello": "world"}', 'y.xml': '<nothing/>' });
    const run = await runCli(['ingest', folder, '--no-project', '--json'], workspace.environment.env);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ files: 2, appended: 0, rejected: 2 });
    expect(run.stderr).toBe('trialwatch: 2 of 2 files not ingested (2 rejected)\n');
  });
});

describe('trialwatch watch sync exit codes', () => {
  const workspace = useMigratedWorkspace('sync-exit');
  let fake: FakeCtgovServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await FakeCtgovServer.start();
    fake.setDataTimestamp('2026-01-01T09:00:00');
    env = {
      ...workspace.environment.env,
      CTGOV_BASE_URL: fake.baseUrl,
      CTGOV_REQUESTS_PER_SECOND: '100',
      CTGOV_TIMEOUT_MS: '1000',
      CTGOV_MAX_RETRIES: '1',
      CTGOV_BACKOFF_BASE_MS: '50',
    };
  });

  afterAll(async () => {
    await fake?.stop();
  });

  it('exits 1 when the run ends partial, saying so on its last line after printing the run', async () => {
    fake.putStudy(FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT00000731' }));
    const added = await runCli(['watch', 'add', 'partly unknown', '--ids', 'NCT00000731,NCT00000739'], env);
    expect(added.status).toBe(0);
    const synced = await runCli(['watch', 'sync', 'partly unknown'], env);
    expect(synced.stdout).toMatch(/\(manual\): partial\n/);
    expect(synced.stdout).toMatch(/error: NCT00000739: ctgov\.study-not-found/);
    expect({ status: synced.status, stderr: synced.stderr }).toEqual({
      status: 1,
      stderr: 'trialwatch: the sync ended partial, with 1 error\n',
    });
    const asJson = await runCli(['watch', 'sync', 'partly unknown', '--json'], env);
    expect(asJson.status).toBe(0);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ status: 'skipped' });
  });
});
