import type { INestApplication } from '@nestjs/common';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { listenOnLoopback } from '../../../../../test/support/http.js';

/** The results-due page over HTTP, in-process, on an empty database. */
describe('results-due page', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    baseUrl = await listenOnLoopback(app);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('answers a results-due "next page" cursor naming an impossible day with a 400 page, not a 500', async () => {
    const response = await fetch(`${baseUrl}/ui/reports/results-due?cursor=2024-02-30~NCT00000001`);
    const body = await response.text();
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.status).toBe(400);
    expect(body).toContain('cursor must come from a &quot;Next page&quot; link');
  });

  it('follows a well-formed cursor to the page after it', async () => {
    const response = await fetch(`${baseUrl}/ui/reports/results-due?cursor=2024-02-29~NCT00000001`);
    expect(response.status).toBe(200);
  });
});
