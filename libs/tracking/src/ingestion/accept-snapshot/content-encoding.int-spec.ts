import { brotliCompressSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { readFixture } from '../../../../../test/support/fixtures.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { listenOnLoopback } from '../../../../../test/support/http.js';

interface Answer {
  nctIds?: string[];
  error: { code: string; details: { ingestionId: string } };
}

/** `POST /snapshots` with a Content-Encoding, over HTTP, in-process. */
describe('a snapshot posted with a Content-Encoding', () => {
  const MAX_SNAPSHOT_BYTES = 200_000;
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  const post = async (body: Buffer, encoding: string) => {
    const response = await fetch(`${baseUrl}/snapshots`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
  const get = async (path: string) => fetch(`${baseUrl}${path}`);

  beforeAll(async () => {
    environment = await createTestEnvironment({ maxSnapshotBytes: MAX_SNAPSHOT_BYTES });
    app = await createApiApp(environment.config);
    baseUrl = await listenOnLoopback(app);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('reads a gzip or Brotli body as the record it holds', async () => {
    const record = Buffer.from(readFixture('ctgov-api-v2', 'NCT00973089.json'));
    for (const [encoding, body] of [
      ['gzip', gzipSync(record)],
      ['br', brotliCompressSync(record)],
    ] as const) {
      const accepted = await post(body, encoding);
      expect({ encoding, status: accepted.status, nctIds: accepted.body.nctIds }).toEqual({
        encoding,
        status: 202,
        nctIds: ['NCT00973089'],
      });
    }
  });

  it('refuses a body that is not what its Content-Encoding says with an error naming that, and keeps it as received', async () => {
    const body = Buffer.from(readFixture('ctgov-api-v2', 'NCT00973089.json'));
    const refused = await post(body, 'gzip');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'snapshot.malformed',
      message: expect.stringContaining('not gzip data'),
      details: { contentEncoding: 'gzip', ingestionId: expect.any(String) },
    });

    const ingestion = await get(`/ingestions/${refused.body.error.details.ingestionId}`);
    expect(ingestion.status).toBe(200);
    const kept = (await ingestion.json()) as { contentSha256: string };
    expect(kept).toMatchObject({ status: 'rejected', error: { code: 'snapshot.malformed' } });
    // The bytes as they came, for inspection.
    expect(kept.contentSha256).toBe(createHash('sha256').update(body).digest('hex'));
    const raw = await get(`/snapshots/${kept.contentSha256}`);
    expect(Buffer.from(await raw.arrayBuffer()).equals(body)).toBe(true);
  });

  it('refuses a body larger than the limit once decoded with 413, and keeps nothing', async () => {
    const rejectedCount = async () =>
      ((await (await get('/ingestions?status=rejected')).json()) as { ingestions: unknown[] }).ingestions.length;
    const before = await rejectedCount();
    const bomb = gzipSync(Buffer.alloc(MAX_SNAPSHOT_BYTES * 10, ' '));
    const refused = await post(bomb, 'gzip');
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({
      status: 413,
      code: 'snapshot.too-large',
    });
    expect(await rejectedCount()).toBe(before);
  });
});
