import type { INestApplication } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { AcceptSnapshotCommand, GetIngestionQuery, ProcessIngestionCommand } from '@app/tracking/ingestion';
import { CatchUpProjectionsCommand } from '@app/tracking/read-models';
import { studyVersion } from '../../../test/support/study-versions.js';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/test-environment.js';
import { createApiApp } from './create-api-app.js';
import { listenOnLoopback } from '../../../test/support/http.js';

/** Query parameters as clients write them, over HTTP: given twice, as lists, as yes or no. */
describe('query parameters', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let contentSha256: string;

  const get = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text,
    };
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    baseUrl = await listenOnLoopback(app);
    const commands = app.get(CommandBus);
    let lastIngestionId = '';
    // Registered recruiting, then active: a registration and a status change.
    for (const version of [0, 25]) {
      const { ingestionId } = await commands.execute(
        new AcceptSnapshotCommand(
          { content: Buffer.from(studyVersion(version, 'NCT07350001')), mediaType: null, source: 'test' },
          false,
        ),
      );
      await commands.execute(new ProcessIngestionCommand(ingestionId));
      lastIngestionId = ingestionId;
    }
    await commands.execute(new CatchUpProjectionsCommand());
    ({ contentSha256 } = await app.get(QueryBus).execute(new GetIngestionQuery(lastIngestionId)));
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('reads a list given more than once, comma-separated or not, as one list', async () => {
    const typesOf = async (query: string) => {
      const { status, body } = await get(`/changes?${query}`);
      expect(status).toBe(200);
      return (body as { changes: { type: string }[] }).changes.map((change) => change.type);
    };
    // The second record changed the status and the enrollment.
    const three = ['trial.registered', 'trial.overall-status-changed', 'trial.enrollment-updated'];
    expect(await typesOf(`types=${three.join(',')}`)).toEqual(three);
    expect(await typesOf(three.map((type) => `types=${type}`).join('&'))).toEqual(three);
    expect(await typesOf(`types=${three[0]},${three[1]}&types=${three[2]}`)).toEqual(three);
  });

  it('refuses a parameter that takes one value given twice, naming it, rather than judging the pair', async () => {
    const refused = (parameter: string, values: string[]) => ({
      statusCode: 400,
      error: {
        code: 'request.repeated-parameter',
        message: `${parameter} was given ${values.length} times; it takes one value`,
        details: { parameter, values },
      },
    });
    expect((await get('/changes?limit=10&limit=20')).body).toEqual(refused('limit', ['10', '20']));
    expect((await get('/changes?minMateriality=high&minMateriality=low')).body).toEqual(
      refused('minMateriality', ['high', 'low']),
    );
    expect((await get('/trials/NCT07350001?asOf=2016-01-10&asOf=2016-02-10')).body).toEqual(
      refused('asOf', ['2016-01-10', '2016-02-10']),
    );
    const recovered = await get(
      '/subscriptions/00000000-0000-4000-8000-000000000000/recover?since=2026-01-01&since=2026-02-01',
      { method: 'POST' },
    );
    expect(recovered.body).toEqual(refused('since', ['2026-01-01', '2026-02-01']));
  });

  it('reads yes or no as true or 1, false or 0, and refuses another word rather than reading it as no', async () => {
    const attachment = await get(`/snapshots/${contentSha256}?download=1`);
    expect(attachment.headers.get('content-disposition')).toMatch(/^attachment/);
    expect((await get(`/snapshots/${contentSha256}?download=0`)).headers.get('content-disposition')).toBeNull();
    expect((await get(`/snapshots/${contentSha256}?download=yes`)).body).toEqual({
      statusCode: 400,
      error: { code: 'http.bad-request', message: 'download must be true or false (or 1 or 0)', details: {} },
    });

    const posted = await get('/snapshots?wait=yes', {
      method: 'POST',
      body: studyVersion(30, 'NCT07350002'),
      headers: { 'content-type': 'application/json' },
    });
    expect({ status: posted.status, message: posted.body.error?.message }).toEqual({
      status: 400,
      message: 'wait must be true or false (or 1 or 0)',
    });
    expect((await get('/ingestions?status=queued')).body.ingestions).toEqual([]);

    expect((await get('/trials?total=1')).body.total).toBe(1);
  });

  it('takes no page cursor or page size on a download of every page, and /docs offers none', async () => {
    const downloads = [
      '/reports/results-due.csv',
      '/reports/hygiene.csv',
      '/reports/outcome-switching.csv',
      '/exports/changes.csv',
      '/exports/changes.jsonl',
    ];
    const { paths } = (await get('/docs/openapi.json')).body as {
      paths: Record<string, { get: { parameters: { name: string }[] } }>;
    };
    for (const path of downloads) {
      expect({ path, parameters: paths[path]!.get.parameters.map((parameter) => parameter.name) }).toEqual({
        path,
        parameters: expect.not.arrayContaining(['cursor', 'limit']),
      });
      const refused = await get(`${path}?limit=1`);
      expect({ path, status: refused.status, message: refused.body.error?.message }).toEqual({
        path,
        status: 400,
        message: 'property limit should not exist',
      });
    }
    // Read whole, as before: every trial, every change.
    expect((await get('/reports/hygiene.csv')).status).toBe(200);
    expect((await get('/exports/changes.jsonl')).body.trim().split('\n')).toHaveLength(
      (await get('/changes')).body.changes.length,
    );
  });

  it('refuses a download other than true or 1, false or 0 on the raw snapshot the web pages link, with a page naming it', async () => {
    const attachment = await get(`/ui/snapshots/${contentSha256}?download=1`);
    expect(attachment.headers.get('content-disposition')).toMatch(/^attachment/);
    const inline = await get(`/ui/snapshots/${contentSha256}?download=false`);
    expect({ status: inline.status, disposition: inline.headers.get('content-disposition') }).toEqual({
      status: 200,
      disposition: null,
    });
    const refused = await get(`/ui/snapshots/${contentSha256}?download=yes`);
    expect({ status: refused.status, type: refused.headers.get('content-type') }).toEqual({
      status: 400,
      type: 'text/html; charset=utf-8',
    });
    expect(refused.body).toContain('download must be true or false (or 1 or 0)');
  });
});
