import type { INestApplication } from '@nestjs/common';
import { parseApiKeys } from '@app/infrastructure';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/test-environment.js';
import { createApiApp } from './create-api-app.js';
import { listenOnLoopback } from '../../../test/support/http.js';

const READ_KEY = 'read-key-0123456789abcdef';

/** The key cookie the web pages and the API description keep, as a browser sends it back. */
describe('the API key cookie', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp({ ...environment.config, apiKeys: parseApiKeys(`read:${READ_KEY}`).keys });
    baseUrl = await listenOnLoopback(app);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('keeps only a valid key: a mistyped one, or one in a link from another site, leaves the working cookie alone', async () => {
    for (const path of ['/ui', '/docs']) {
      const refused = await fetch(`${baseUrl}${path}?api_key=not-a-key-of-this-api`, {
        headers: { cookie: `trialwatch_api_key=${encodeURIComponent(READ_KEY)}` },
      });
      expect({ path, status: refused.status, setCookie: refused.headers.getSetCookie() }).toEqual({
        path,
        status: 401,
        setCookie: [],
      });
    }
    const kept = await fetch(`${baseUrl}/ui?api_key=${READ_KEY}`);
    expect(kept.status).toBe(200);
    expect(kept.headers.getSetCookie()).toHaveLength(2);
  });

  it('answers a cookie that is not percent-encoded text with 401 auth.api-key-invalid, not a 500', async () => {
    // A truncated escape, as a cookie cut short or set by another page of the same site arrives.
    for (const path of ['/ui/trials', '/docs/openapi.json', '/trials']) {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: { cookie: 'trialwatch_api_key=read-key-%E0%A4%A' },
      });
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      // The pages answer with a page, the rest with JSON; both name the problem.
      expect(await response.text()).toMatch(
        path.startsWith('/ui') ? /API key is not valid/ : /"auth\.api-key-invalid"/,
      );
    }
    const kept = await fetch(`${baseUrl}/ui/trials`, {
      headers: { cookie: `trialwatch_api_key=${encodeURIComponent(READ_KEY)}` },
    });
    expect(kept.status).toBe(200);
  });
});
