import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppProcess, runCli, startApi, startWorker } from './support/app-processes.js';
import { DatabaseProbe } from './support/database-probe.js';
import { json, type Json } from './support/http.js';
import { studyVersion } from './support/study-versions.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';

/**
 * Failed ingestions through the running api, worker and CLI. The poison: a snapshot of a trial whose
 * stream holds an event this version cannot read (as if a newer trialwatch wrote it).
 */
describe('failed ingestions over HTTP and the CLI', () => {
  let environment: TestEnvironment;
  let env: Record<string, string>;
  let api: AppProcess;
  let worker: AppProcess;
  let baseUrl: string;
  let probe: DatabaseProbe;
  let folder: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    env = { ...environment.env, INGEST_MAX_ATTEMPTS: '2', INGEST_RETRY_BACKOFF_MS: '200' };
    ({ api, baseUrl } = await startApi(env));
    worker = await startWorker(env);
    probe = new DatabaseProbe(environment.databaseUrl);
    folder = mkdtempSync(join(tmpdir(), 'trialwatch-failed-'));
  });

  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await probe?.close();
    rmSync(folder, { recursive: true, force: true });
    await environment?.teardown();
  });

  const request = async (path: string, method = 'GET', body?: string) => {
    const response = await fetch(`${baseUrl}${path}`, { method, body });
    return { status: response.status, body: (await json(response)) as Json };
  };
  const post = (content: string, query = '') => request(`/snapshots?${query}`, 'POST', content);
  const setReadable = (nctId: string, readable: boolean) =>
    probe.rows(`UPDATE events SET schema_version = $2 WHERE stream_id = $1`, [`trial-${nctId}`, readable ? 1 : 99]);
  const outcome = (id: string) =>
    eventually(async () => {
      const { body } = await request(`/ingestions/${id}`);
      return body.status !== 'queued' && body;
    }, 30_000);

  /** A trial tracked, then made unreadable, then a snapshot of it posted: its ingestion fails. */
  const poison = async (nctId: string, version = 1): Promise<string> => {
    if (version === 1) expect((await post(studyVersion(0, nctId), 'wait=true')).body.status).toBe('appended');
    await setReadable(nctId, false);
    const accepted = await post(studyVersion(version, nctId));
    expect(accepted.status).toBe(202);
    return accepted.body.ingestionId;
  };

  it('shows a poison ingestion failed with its error, lists and counts it, and retries it on demand', async () => {
    const id = await poison('NCT07770001');
    const failed = await outcome(id);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 2,
      nctIds: ['NCT07770001'],
      error: { code: 'event.unreadable', details: { attempts: 2, failedAt: failed.completedAt } },
    });

    const listed = await request('/ingestions?status=failed');
    expect(listed.status).toBe(200);
    expect(listed.body.ingestions.map((ingestion: Json) => ingestion.id)).toEqual([id]);
    expect(listed.body.nextCursor).toBeNull();
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^trialwatch_ingestions_failed 1$/m);

    const good = (await post(studyVersion(0, 'NCT07770002'), 'wait=true')).body;
    const notFailed = await request(`/ingestions/${good.id}/retry`, 'POST');
    expect(notFailed.status).toBe(409);
    expect(notFailed.body.error).toMatchObject({ code: 'ingestion.not-failed', details: { status: 'appended' } });
    expect((await request('/ingestions/00000000-0000-4000-8000-000000000000/retry', 'POST')).status).toBe(404);
    expect(await outcome(id)).toMatchObject({ status: 'failed' });

    await setReadable('NCT07770001', true);
    const retried = await request(`/ingestions/${id}/retry`, 'POST');
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id, status: 'queued', attempts: 0, error: null });
    expect(await outcome(id)).toMatchObject({ status: 'appended', attempts: 1, error: null });
    expect((await request('/ingestions?status=failed')).body.ingestions).toEqual([]);
    expect(await (await fetch(`${baseUrl}/metrics`)).text()).toMatch(/^trialwatch_ingestions_failed 0$/m);
  });

  it('pages failed ingestions newest first and names bad parameters', async () => {
    const first = await poison('NCT07770011');
    await outcome(first);
    const second = await poison('NCT07770012');
    await outcome(second);

    const page1 = await request('/ingestions?status=failed&limit=1');
    expect(page1.body.ingestions.map((ingestion: Json) => ingestion.id)).toEqual([second]);
    const page2 = await request(`/ingestions?status=failed&limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.ingestions.map((ingestion: Json) => ingestion.id)).toEqual([first]);
    expect(page2.body.nextCursor).toBeNull();

    for (const [query, named] of [
      ['', 'status'],
      ['status=broken', 'status'],
      ['status=failed&limit=0', 'limit'],
      ['status=failed&cursor=nope', 'cursor'],
      // Shaped as a cursor, with a time JavaScript reads and PostgreSQL does not.
      [`status=failed&cursor=${Buffer.from(`2024|${first}`).toString('base64url')}`, 'cursor'],
    ] as const) {
      const refused = await request(`/ingestions?${query}`);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body.error)).toContain(named);
    }
  });

  it('lists and retries failed ingestions from the CLI, and logs an undecidable file of a bulk load as failed', async () => {
    const listed = await runCli(['ingestions', 'list', '--status', 'failed', '--json'], env);
    expect(listed.status).toBe(0);
    const failedIds = JSON.parse(listed.stdout).ingestions.map((ingestion: Json) => ingestion.id);
    expect(failedIds).toHaveLength(2);
    const table = await runCli(['ingestions', 'list', '--status', 'failed', '--limit', '1'], env);
    expect(table.stdout).toContain('event.unreadable');
    expect(table.stdout).toMatch(/next page: --cursor \S+/);

    await setReadable('NCT07770011', true);
    const retried = await runCli(['ingestions', 'retry', failedIds[1]], env);
    expect(retried).toMatchObject({ status: 0, stdout: expect.stringContaining('queued again') });
    expect(await outcome(failedIds[1])).toMatchObject({ status: 'appended' });
    const again = await runCli(['ingestions', 'retry', failedIds[1]], env);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('ingestion.not-failed');
    expect((await runCli(['ingestions', 'list', '--status', 'lost'], env)).status).toBe(2);

    // A bulk load: the snapshot of the unreadable trial fails, the others go in, the exit code says so.
    writeFileSync(join(folder, 'a.json'), studyVersion(0, 'NCT07770021'));
    writeFileSync(join(folder, 'b.json'), studyVersion(2, 'NCT07770012'));
    writeFileSync(join(folder, 'c.json'), studyVersion(0, 'NCT07770022'));
    const bulk = await runCli(['ingest', folder, '--json', '--no-project'], env);
    expect(bulk.status).toBe(1);
    const summary = JSON.parse(bulk.stdout);
    expect(summary).toMatchObject({ files: 3, appended: 2, failed: 1 });
    expect(summary.problems.join('\n')).toMatch(
      /b\.json: event\.unreadable: .*trialwatch ingestions retry [0-9a-f-]{36}/,
    );
    const failedNow = (await request('/ingestions?status=failed')).body.ingestions;
    expect(failedNow.map((ingestion: Json) => [ingestion.source, ingestion.nctIds])).toEqual([
      ['cli', ['NCT07770012']],
      ['api', ['NCT07770012']],
    ]);
  });
});
