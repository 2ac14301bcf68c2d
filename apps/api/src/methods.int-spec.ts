import type { INestApplication } from '@nestjs/common';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/test-environment.js';
import { createApiApp } from './create-api-app.js';
import { listenOnLoopback } from '../../../test/support/http.js';

/** A method a path does not have, and a path that does not exist, over HTTP. */
describe('a request no route takes', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  const send = async (method: string, path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { method });
    const text = await response.text();
    return {
      status: response.status,
      allow: response.headers.get('allow'),
      contentType: response.headers.get('content-type'),
      body: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text,
    };
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

  it('answers a method a path does not have with 405, the methods it has in Allow, and the JSON error', async () => {
    const notAllowed = (method: string, path: string, allowed: string[]) => ({
      status: 405,
      allow: allowed.join(', '),
      contentType: 'application/json; charset=utf-8',
      body: {
        statusCode: 405,
        error: {
          code: 'request.method-not-allowed',
          message: `${path} does not take ${method}; it takes ${allowed.join(', ')}`,
          details: { method, allowed },
        },
      },
    });
    expect(await send('DELETE', '/changes')).toEqual(notAllowed('DELETE', '/changes', ['GET', 'HEAD']));
    expect(await send('PUT', '/trials/NCT01234567')).toEqual(notAllowed('PUT', '/trials/NCT01234567', ['GET', 'HEAD']));
    expect(await send('PUT', '/watchlists/nightly')).toEqual(
      notAllowed('PUT', '/watchlists/nightly', ['GET', 'HEAD', 'PATCH', 'DELETE']),
    );
    expect(await send('GET', '/snapshots')).toEqual(notAllowed('GET', '/snapshots', ['POST']));
    expect(await send('POST', '/docs/openapi.json')).toEqual(notAllowed('POST', '/docs/openapi.json', ['GET', 'HEAD']));
  });

  it('still answers a path that does not exist, whatever the method, with 404', async () => {
    for (const [method, path] of [
      ['GET', '/nothing-here'],
      ['DELETE', '/nothing-here'],
      ['GET', '/trials/NCT01234567/nothing-here'],
    ] as const) {
      expect({ method, path, answer: await send(method, path) }).toEqual({
        method,
        path,
        answer: {
          status: 404,
          allow: null,
          contentType: 'application/json; charset=utf-8',
          body: {
            statusCode: 404,
            error: { code: 'http.not-found', message: `Cannot ${method} ${path}`, details: {} },
          },
        },
      });
    }
    // A route's own 404 stays what it was.
    expect((await send('DELETE', '/watchlists/nightly')).body.error.code).toBe('watchlist.not-found');
  });

  it('answers the web pages with HTML pages: 405 for a method a page does not take, 404 for no such page', async () => {
    for (const [method, path] of [
      ['POST', '/ui/trials/NCT01234567'],
      ['DELETE', '/ui'],
    ] as const) {
      const answer = await send(method, path);
      expect({ path, status: answer.status, allow: answer.allow, contentType: answer.contentType }).toEqual({
        path,
        status: 405,
        allow: 'GET, HEAD',
        contentType: 'text/html; charset=utf-8',
      });
      expect(answer.body).toContain('Method not allowed');
      expect(answer.body).toContain(`${path} does not take ${method}; it takes GET, HEAD`);
    }
    for (const [method, path] of [
      ['GET', '/ui/nothing-here'],
      ['POST', '/ui/nothing-here'],
    ] as const) {
      const answer = await send(method, path);
      expect({ path, status: answer.status, allow: answer.allow, contentType: answer.contentType }).toEqual({
        path,
        status: 404,
        allow: null,
        contentType: 'text/html; charset=utf-8',
      });
      expect(answer.body).toContain('There is no such page');
    }
  });
});
