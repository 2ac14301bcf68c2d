import type { INestApplication } from '@nestjs/common';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/test-environment.js';
import { createApiApp } from './create-api-app.js';
import { listenOnLoopback } from '../../../test/support/http.js';

/** Request bodies of the JSON routes, over HTTP. */
describe('a JSON route given a body it cannot take', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  const send = async (
    method: string,
    path: string,
    body?: string,
    contentType?: string,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
      headers: { ...headers, ...(contentType ? { 'content-type': contentType } : {}) },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    baseUrl = await listenOnLoopback(app);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('refuses it with 415 naming the Content-Type, rather than reading no body and changing nothing', async () => {
    const created = await send('POST', '/watchlists', '{"name":"first","nctIds":["NCT00000001"]}', 'application/json');
    expect(created.status).toBe(201);
    const id = created.body['id'] as string;

    // As `curl -X PATCH -d '{…}'` sends it.
    const renamed = await send('PATCH', `/watchlists/${id}`, '{"name":"renamed"}', 'application/x-www-form-urlencoded');
    expect(renamed).toEqual({
      status: 415,
      body: {
        statusCode: 415,
        error: {
          code: 'request.unsupported-media-type',
          message: expect.stringContaining('sent as application/x-www-form-urlencoded'),
          details: { contentType: 'application/x-www-form-urlencoded' },
        },
      },
    });
    expect((await send('GET', `/watchlists/${id}`)).body['name']).toBe('first');
    expect((await send('POST', '/subscriptions', '{"url":"http://127.0.0.1:9/hook"}', 'text/plain')).status).toBe(415);

    // A route that takes no body still needs none; JSON is read as before.
    expect((await send('POST', `/watchlists/${id}/sync`)).status).toBe(202);
    expect((await send('PATCH', `/watchlists/${id}`, '{"name":"renamed"}', 'application/json')).body['name']).toBe(
      'renamed',
    );
  });

  it('refuses JSON that is not an object with 400 saying the body must be a JSON object, not that it is not JSON', async () => {
    for (const [body, was] of [
      ['null', 'null'],
      ['"x"', 'a string'],
      ['42', 'a number'],
      ['[{"name":"listed","nctIds":["NCT00000002"]}]', 'an array'],
    ]) {
      expect({ body, answer: await send('POST', '/watchlists', body, 'application/json') }).toEqual({
        body,
        answer: {
          status: 400,
          body: {
            statusCode: 400,
            error: {
              code: 'request.body-not-an-object',
              message: `The body must be a JSON object ({ … }); it was ${was}`,
              details: {},
            },
          },
        },
      });
    }
    const created = await send(
      'POST',
      '/watchlists',
      '{"name":"objects","nctIds":["NCT00000003"]}',
      'application/json',
    );
    expect(
      (await send('PATCH', `/watchlists/${created.body['id'] as string}`, 'null', 'application/json')).status,
    ).toBe(400);
    const watchlists = (await send('GET', '/watchlists')).body as unknown as { name: string }[];
    expect(watchlists.map(({ name }) => name)).toEqual(expect.arrayContaining(['objects']));
    expect(watchlists.map(({ name }) => name)).not.toContain('listed');
  });

  it('refuses JSON in another charset than UTF-8 with the one 415 code, naming the charset and what it takes', async () => {
    const latin1 = await send('POST', '/watchlists', '{"name":"caf\u00e9"}', 'application/json; charset=latin1');
    expect(latin1).toEqual({
      status: 415,
      body: {
        statusCode: 415,
        error: {
          code: 'request.unsupported-media-type',
          message:
            'The body must be JSON in UTF-8, sent with Content-Type: application/json (charset=utf-8 or none); it was sent in charset latin1',
          details: { contentType: 'application/json; charset=latin1', charset: 'latin1' },
        },
      },
    });
    expect((await send('POST', '/watchlists', '{}', 'application/json; charset=utf-8')).status).toBe(400);

    // A Content-Encoding nothing undoes is a problem of its own, told as such on JSON routes and snapshots alike.
    for (const path of ['/watchlists', '/snapshots']) {
      const compressed = await send('POST', path, '{}', 'application/json', { 'content-encoding': 'compress' });
      expect({ path, compressed }).toEqual({
        path,
        compressed: {
          status: 415,
          body: {
            statusCode: 415,
            error: {
              code: 'request.unsupported-content-encoding',
              message:
                'The body must be sent as is or with Content-Encoding gzip, deflate, br or zstd; it was sent as compress',
              details: { contentEncoding: 'compress' },
            },
          },
        },
      });
    }
  });
});
