import type { INestApplication } from '@nestjs/common';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/test-environment.js';
import { createApiApp } from './create-api-app.js';

/** Request bodies of the JSON routes, over HTTP. */
describe('a JSON route given a body of another Content-Type', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  const send = async (method: string, path: string, body?: string, contentType?: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
      headers: contentType ? { 'content-type': contentType } : {},
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
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
});
