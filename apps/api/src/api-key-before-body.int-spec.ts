import { connect } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { parseApiKeys } from '@app/infrastructure';
import { readFixture } from '../../../test/support/fixtures.js';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/test-environment.js';
import { createApiApp } from './create-api-app.js';

const ADMIN_KEY = 'admin-key-0123456789abcdef';
const READ_KEY = 'read-key-0123456789abcdef';

interface Answer {
  status: number | null;
  headers: Record<string, string>;
  /** The whole body, once received. */
  body: string | null;
}

/** With API_KEYS set, a request's key is checked before its body is read, over a raw socket. */
describe('a request with a body to a route that needs a key', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let port: number;

  /**
   * Sends a request's head and the first bytes of its body, then withholds the rest, and reads what the
   * api answers meanwhile (nothing, when it waits for the body: `status` is then null).
   */
  const withheldBody = (head: string[], announcedBytes: number, bodyStart = '{"', waitMs = 3000): Promise<Answer> =>
    new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let received = '';
      const answer = (): Answer => {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return { status: null, headers: {}, body: null };
        const [statusLine, ...lines] = received.slice(0, end).split('\r\n');
        const headers = Object.fromEntries(
          lines.map((line) => [
            line.slice(0, line.indexOf(':')).toLowerCase(),
            line.slice(line.indexOf(':') + 1).trim(),
          ]),
        );
        const text = received.slice(end + 4);
        const complete = text.length >= Number(headers['content-length'] ?? Infinity);
        return {
          status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine!)?.[1] ?? NaN),
          headers,
          body: complete ? text : null,
        };
      };
      const done = () => {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer());
      };
      const timer = setTimeout(done, waitMs);
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        received += chunk;
        if (answer().body !== null) done();
      });
      socket.on('error', done);
      socket.on('close', done);
      socket.write(
        [
          ...head,
          'Host: 127.0.0.1',
          `Content-Length: ${announcedBytes}`,
          'Content-Type: application/json',
          '',
          bodyStart,
        ].join('\r\n'),
      );
    });

  beforeAll(async () => {
    environment = await createTestEnvironment({ maxSnapshotBytes: 16 * 1024 * 1024 });
    app = await createApiApp({
      ...environment.config,
      apiKeys: parseApiKeys(`admin:${ADMIN_KEY},read:${READ_KEY}`).keys,
    });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as { port: number }).port;
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('is refused as the key guard refuses it while the client still withholds the body', async () => {
    const fiveMegabytes = 5 * 1024 * 1024;
    for (const [credentials, status, code] of [
      [[], 401, 'auth.api-key-missing'],
      [['Authorization: Bearer not-a-key-of-this-api'], 401, 'auth.api-key-invalid'],
      [[`X-API-Key: ${READ_KEY}`], 403, 'auth.insufficient-scope'],
    ] as const) {
      for (const path of ['/snapshots', '/watchlists']) {
        const answer = await withheldBody([`POST ${path} HTTP/1.1`, ...credentials], fiveMegabytes);
        expect({
          path,
          credentials,
          status: answer.status,
          body: JSON.parse(answer.body ?? 'null') as unknown,
        }).toEqual({
          path,
          credentials,
          status,
          body: { statusCode: status, error: expect.objectContaining({ code }) },
        });
        // The body was not read: the connection is not kept for another request behind it.
        expect(answer.headers['connection']).toBe('close');
        if (status === 401) expect(answer.headers['www-authenticate']).toBe('Bearer realm="trialwatch"');
      }
    }
  });

  it('still takes a snapshot sent with a valid key, and keeps open routes open to a request with a body', async () => {
    const accepted = await fetch(`http://127.0.0.1:${port}/snapshots`, {
      method: 'POST',
      body: readFixture('ctgov-api-v2', 'NCT00973089.json'),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(accepted.status).toBe(202);
    expect(((await accepted.json()) as { nctIds: string[] }).nctIds).toEqual(['NCT00973089']);

    for (const path of ['/health', '/ui/assets/trialwatch.css']) {
      const open = await withheldBody([`GET ${path} HTTP/1.1`], 2, '{}');
      expect({ path, status: open.status }).toEqual({ path, status: 200 });
    }
  });
});
