import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { AppProcess, freePort, startApi, startWorker } from './support/app-processes.js';
import { launchChromium } from './support/browser.js';
import { DatabaseProbe } from './support/database-probe.js';
import { fixturePath, readFixture } from './support/fixtures.js';
import { json, type Json } from './support/http.js';
import { ProbeTarget } from './support/probe-target.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';
import { TestDnsServer } from './support/test-dns-server.js';

// Nothing here reaches beyond this machine: every target listens on loopback (127.0.0.1 is the
// "internal service", 127.0.0.2 an allow-listed host), and host names resolve through a DNS server
// of the test's own on loopback that knows only the names below.
const ADMIN_KEY = 'admin-key-0123456789abcdef';
const READ_KEY = 'read-key-0123456789abcdef';
const LEGACY_2016 = fixturePath('ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml');
const SECRET_PAGE = `<html><body>${ProbeTarget.SECRET}</body></html>`;
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Loopback spellings of the internal service, as a user could type them. */
const spellings = (port: number) => [
  `http://127.0.0.1:${port}/anything`,
  `https://127.0.0.1:${port}/anything`,
  `https://localhost:${port}/anything`,
  `https://[::ffff:127.0.0.1]:${port}/anything`,
  `https://0x7f.1:${port}/anything`,
  `https://2130706433:${port}/anything`,
  `https://127.1:${port}/anything`,
  `https://[::1]:${port}/anything`,
  `https://internal.test:${port}/latest/meta-data`,
  `http://internal.test:${port}/latest/meta-data`,
];

describe('secure by default', () => {
  describe('no server-side request forgery through page or webhook URLs', () => {
    let environment: TestEnvironment;
    let api: AppProcess;
    let worker: AppProcess;
    let baseUrl: string;
    let dns: TestDnsServer;
    let internal: ProbeTarget;
    let allowed: ProbeTarget;
    let probe: DatabaseProbe;

    const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await json(response) };
    };

    const syncWatchlistOf = async (pageUrl: string): Promise<Json> => {
      const created = await call('POST', '/watchlists', { name: `pages ${Math.random()}`, pageUrls: [pageUrl] });
      expect(created.status).toBe(201);
      const run = await call('POST', `/watchlists/${created.body.id}/sync?wait=true`);
      expect(run.status).toBe(200);
      return run.body;
    };

    /** Nothing the internal service could have answered is stored or served anywhere. */
    const expectSecretUnreadable = async () => {
      expect(internal.requests).toEqual([]);
      const everywhere = await Promise.all(
        ['/watchlists', '/changes', '/trials', '/subscriptions'].map(async (path) =>
          JSON.stringify(await call('GET', path)),
        ),
      );
      for (const watchlist of (await call('GET', '/watchlists')).body) {
        everywhere.push(JSON.stringify(await call('GET', `/watchlists/${watchlist.id}/runs`)));
      }
      for (const subscription of (await call('GET', '/subscriptions')).body) {
        everywhere.push(JSON.stringify(await call('GET', `/subscriptions/${subscription.id}/deliveries`)));
      }
      for (const text of everywhere) expect(text).not.toContain('internal-secret');
      expect((await fetch(`${baseUrl}/snapshots/${sha256(SECRET_PAGE)}`)).status).toBe(404);
      // Every content kept, read back as received (the store keeps them compressed).
      const contents = await probe.rows<{ sha256: string }>(`SELECT sha256 FROM snapshot_contents`);
      for (const { sha256: kept } of contents) {
        const response = await fetch(`${baseUrl}/snapshots/${kept.trim()}`);
        expect(response.status).toBe(200);
        expect(await response.text()).not.toContain('internal-secret');
      }
      expect(await probe.count(`SELECT count(*) FROM ingestions WHERE source = 'registry-page'`)).toBe(0);
    };

    beforeAll(async () => {
      internal = await ProbeTarget.start('127.0.0.1');
      // The allow-listed host: on the same port, so that a name moving between the two reaches either.
      allowed = await ProbeTarget.start(
        '127.0.0.2',
        internal.port,
        (request: IncomingMessage, response: ServerResponse) => {
          if (request.url === '/redirect') {
            response.writeHead(302, { location: internal.url('/latest/meta-data') }).end();
          } else if (request.url === '/redirect-https') {
            response.writeHead(307, { location: internal.url('/latest/meta-data').replace('http:', 'https:') }).end();
          } else {
            response.writeHead(200, { 'content-type': 'text/html' }).end(SECRET_PAGE);
          }
        },
      );
      dns = await TestDnsServer.start({ 'internal.test': ['127.0.0.1'], 'allowed.test': ['127.0.0.2'] });
      environment = await createTestEnvironment();
      const env = {
        ...environment.env,
        OUTBOUND_DNS_SERVERS: dns.address,
        OUTBOUND_ALLOWED_HOSTS: '127.0.0.2/32',
        CTGOV_MAX_RETRIES: '0',
        WEBHOOK_RETRY_SCHEDULE: '1h',
      };
      ({ api, baseUrl } = await startApi(env));
      worker = await startWorker(env);
      probe = new DatabaseProbe(environment.databaseUrl);
    });

    afterAll(async () => {
      await api?.stop();
      await worker?.stop();
      await probe?.close();
      await environment?.teardown();
      await dns?.stop();
      await internal?.stop();
      await allowed?.stop();
    });

    it('refuses page URLs and webhook URLs that reach a loopback service, however spelled', async () => {
      for (const url of spellings(internal.port)) {
        const watchlist = await call('POST', '/watchlists', { name: 'probe', pageUrls: [url] });
        expect({ url, status: watchlist.status, code: watchlist.body.error?.code }).toEqual({
          url,
          status: 400,
          code: 'watchlist.unsafe-url',
        });
        const subscription = await call('POST', '/subscriptions', { url });
        expect({ url, status: subscription.status, code: subscription.body.error?.code }).toEqual({
          url,
          status: 400,
          code: 'subscription.unsafe-url',
        });
      }
      const named = await call('POST', '/watchlists', {
        name: 'probe',
        pageUrls: [`https://internal.test:${internal.port}/`],
      });
      expect(named.body.error.message).toMatch(
        /internal.test resolves to 127.0.0.1, which is not a public address \(loopback\)/,
      );
      expect(dns.count('internal.test')).toBeGreaterThan(0);
      await expectSecretUnreadable();
    });

    it('refuses at connect time a page host whose DNS answer turns to loopback after the checks', async () => {
      // Asked three times: when the watchlist is saved, when the run checks the URL, and by the connection.
      dns.set('rebind.test', ['127.0.0.2', '127.0.0.2', '127.0.0.1']);
      const run = await syncWatchlistOf(`http://rebind.test:${internal.port}/latest/meta-data`);
      expect(run.status).toBe('failed');
      expect(run.errors).toEqual([
        {
          scope: `http://rebind.test:${internal.port}/latest/meta-data`,
          code: 'watchlist.page-fetch-failed',
          message: expect.stringMatching(
            /rebind.test resolves only to addresses trialwatch may not reach \(127.0.0.1\)/,
          ),
        },
      ]);
      expect(dns.count('rebind.test')).toBe(3);
      expect(allowed.requests).toEqual([]);
      await expectSecretUnreadable();
    });

    it('does not follow a redirect from an allow-listed host to a refused one', async () => {
      const run = await syncWatchlistOf(allowed.url('/redirect'));
      expect(run.errors).toEqual([
        expect.objectContaining({
          code: 'watchlist.unsafe-url',
          message: 'Page URLs must use https (127.0.0.1 is not in OUTBOUND_ALLOWED_HOSTS)',
        }),
      ]);
      const overHttps = await syncWatchlistOf(allowed.url('/redirect-https'));
      expect(overHttps.errors).toEqual([
        expect.objectContaining({
          code: 'watchlist.unsafe-url',
          message: expect.stringMatching(/^127.0.0.1 is not a public address \(loopback\)/),
        }),
      ]);
      expect(allowed.requests).toEqual([
        { method: 'GET', url: '/redirect' },
        { method: 'GET', url: '/redirect-https' },
      ]);
      await expectSecretUnreadable();
    });

    it('keeps nothing of a fetched page that is not a trial record, and does not quote it', async () => {
      allowed.requests.length = 0;
      const run = await syncWatchlistOf(`http://allowed.test:${allowed.port}/not-a-registry-page`);
      expect(allowed.requests).toEqual([{ method: 'GET', url: '/not-a-registry-page' }]);
      expect(run).toMatchObject({ status: 'failed', rejected: 0 });
      expect(run.errors).toEqual([
        {
          scope: `http://allowed.test:${allowed.port}/not-a-registry-page`,
          code: 'watchlist.page-fetch-failed',
          message: expect.stringMatching(
            /did not answer with a trial record \(snapshot\.[a-z-]+\); nothing of it was kept/,
          ),
        },
      ]);
      await expectSecretUnreadable();
    });

    it('refuses at connect time a webhook host whose DNS answer turns to loopback', async () => {
      // Asked when the subscription is saved, when the delivery checks the URL, and by the connection.
      dns.set('hook.test', ['127.0.0.2', '127.0.0.2', '127.0.0.1']);
      const subscription = await call('POST', '/subscriptions', { url: `http://hook.test:${internal.port}/hook` });
      expect(subscription.status).toBe(201);
      expect(
        (await fetch(`${baseUrl}/snapshots?wait=true`, { method: 'POST', body: readFileSync(LEGACY_2016) })).status,
      ).toBe(200);
      const log = await eventually(async () => {
        const deliveries = (await call('GET', `/subscriptions/${subscription.body.id}/deliveries`)).body;
        return deliveries.attempts?.length > 0 && deliveries;
      });
      expect(log.attempts[0]).toMatchObject({
        statusCode: null,
        error: expect.stringMatching(/hook.test resolves only to addresses trialwatch may not reach \(127.0.0.1\)/),
      });
      expect(dns.count('hook.test')).toBe(3);
      expect(allowed.requests.filter((request) => request.url === '/hook')).toEqual([]);
      await expectSecretUnreadable();
    });
  });

  describe('stored snapshots are served so that no browser runs them', () => {
    let environment: TestEnvironment;
    let api: AppProcess;
    let worker: AppProcess;
    let baseUrl: string;
    let beacon: ProbeTarget;
    let browser: Browser;

    beforeAll(async () => {
      beacon = await ProbeTarget.start('127.0.0.1');
      environment = await createTestEnvironment();
      const env = { ...environment.env, API_KEYS: `admin:${ADMIN_KEY},ci:read:${READ_KEY}` };
      ({ api, baseUrl } = await startApi(env));
      worker = await startWorker(env);
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await api?.stop();
      await worker?.stop();
      await environment?.teardown();
      await beacon?.stop();
    });

    it('serves a posted HTML page with a script as inert text, to the API and through the web pages', async () => {
      const page = readFixture('registry-pages-html', '004_e3c06c917fab1162.html').replace(
        '</head>',
        `<script>document.title = 'script ran'; fetch('${beacon.url('/ran')}');</script></head>`,
      );
      const posted = await fetch(`${baseUrl}/snapshots?wait=true`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'text/html' },
        body: page,
      });
      expect(posted.status).toBe(200);
      const raw = await fetch(`${baseUrl}/snapshots/${sha256(page)}`, {
        headers: { authorization: `Bearer ${READ_KEY}` },
      });
      expect(raw.status).toBe(200);
      expect(raw.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
      expect(raw.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
      expect(await raw.text()).toBe(page);
      const download = await fetch(`${baseUrl}/snapshots/${sha256(page)}?download=true`, {
        headers: { authorization: `Bearer ${READ_KEY}` },
      });
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename=${sha256(page)}.html`);

      // A browser that opens the trial page with a read key follows its raw-snapshot link: the script must not run.
      const context = await browser.newContext();
      const tab = await context.newPage();
      expect((await tab.goto(`${baseUrl}/ui/trials/NCT06360861?api_key=${READ_KEY}`))?.status()).toBe(200);
      const link = await tab.locator('a.snapshot-link').first().getAttribute('href');
      expect(link).toBe(`/ui/snapshots/${sha256(page)}`);
      const opened = await tab.goto(`${baseUrl}${link}`);
      expect(opened?.status()).toBe(200);
      expect(await tab.title()).not.toBe('script ran');
      expect(await tab.locator('body').textContent()).toContain('<script>document.title');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(beacon.requests).toEqual([]);

      // The page's links to the trial's events and Atom feed work with the key the page keeps.
      await tab.goto(`${baseUrl}/ui/trials/NCT06360861`);
      const events = await tab.locator('a', { hasText: 'Events as JSON' }).getAttribute('href');
      const feed = await tab.locator('a', { hasText: 'Atom feed of changes' }).getAttribute('href');
      expect([events, feed]).toEqual(['/ui/trials/NCT06360861/events', '/ui/trials/NCT06360861/changes.atom']);
      // Asked with the browser's cookies, as a click on them is.
      const eventsOpened = await context.request.get(`${baseUrl}${events}`);
      expect(eventsOpened.status()).toBe(200);
      expect(await eventsOpened.text()).toContain('trial.registered');
      const feedOpened = await context.request.get(`${baseUrl}${feed}`);
      expect(feedOpened.status()).toBe(200);
      expect(feedOpened.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
      expect(await feedOpened.text()).toContain('<feed');
      expect((await fetch(`${baseUrl}${events}`)).status).toBe(401);
      // So does the header's link to the API description, the other part a browser reads page by page.
      const docs = await tab.locator('header a', { hasText: 'API' }).getAttribute('href');
      expect(docs).toBe('/docs');
      const docsOpened = await tab.goto(`${baseUrl}${docs}`);
      expect(docsOpened?.status()).toBe(200);
      expect(await docsOpened?.text()).toContain('swagger');
      await context.close();
    });
  });

  describe('no open API by accident', () => {
    let environment: TestEnvironment;

    beforeAll(async () => {
      environment = await createTestEnvironment();
    });
    afterAll(async () => {
      await environment?.teardown();
    });

    /** Whether the port answers on 127.0.0.2: only an api bound beyond 127.0.0.1 does. */
    const answersOnOtherInterface = async (port: number): Promise<boolean> =>
      fetch(`http://127.0.0.2:${port}/health`).then(
        (response) => response.ok,
        () => false,
      );

    it('without API keys, listens on loopback only and says so', async () => {
      const { api, baseUrl } = await startApi(environment.env);
      try {
        const port = Number(new URL(baseUrl).port);
        expect(api.output).toMatch(/listening on 127\.0\.0\.1:\d+, no API keys: loopback only/);
        expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
        expect(await answersOnOtherInterface(port)).toBe(false);
      } finally {
        await api.stop();
      }
    });

    it('refuses to serve other interfaces without keys unless API_OPEN says so', async () => {
      const port = await freePort();
      const refused = new AppProcess('api', { ...environment.env, PORT: String(port), HOST: '0.0.0.0' });
      await expect(refused.start(/api listening on/)).rejects.toThrow(
        /HOST=0\.0\.0\.0 would serve every endpoint to the network without a key: set API_KEYS, or API_OPEN=true/,
      );
      const open = new AppProcess('api', { ...environment.env, PORT: String(port), HOST: '0.0.0.0', API_OPEN: 'true' });
      await open.start(/api listening on/);
      try {
        expect(open.output).toMatch(/open without keys \(API_OPEN=true\)/);
        expect(await answersOnOtherInterface(port)).toBe(true);
      } finally {
        await open.stop();
      }
    });

    it('with API keys, serves every interface, and every route but the health status needs a key', async () => {
      const { api, baseUrl } = await startApi({ ...environment.env, API_KEYS: `admin:${ADMIN_KEY}` });
      try {
        const port = Number(new URL(baseUrl).port);
        expect(await answersOnOtherInterface(port)).toBe(true);
        expect((await fetch(`http://127.0.0.2:${port}/trials`)).status).toBe(401);
        expect((await fetch(`http://127.0.0.2:${port}/metrics`)).status).toBe(401);
        expect(await (await fetch(`http://127.0.0.2:${port}/health`)).json()).toEqual({ status: 'ok' });
        // The API description too: it names every route, the admin ones included.
        for (const path of ['/docs', '/docs/openapi.json', '/docs/openapi.yaml']) {
          const refused = await fetch(`${baseUrl}${path}`);
          expect([path, refused.status, ((await refused.json()) as Json).error.code]).toEqual([
            path,
            401,
            'auth.api-key-missing',
          ]);
        }
        // No copy of it lies outside /docs (Swagger's own default is /docs-yaml).
        expect((await fetch(`${baseUrl}/docs-yaml`)).status).toBe(404);
        const description = await fetch(`${baseUrl}/docs/openapi.json`, { headers: { 'x-api-key': ADMIN_KEY } });
        expect(((await description.json()) as Json).info.title).toBe('trialwatch');
        // A browser given the key once keeps it for the page's own script and styles.
        const page = await fetch(`${baseUrl}/docs?api_key=${ADMIN_KEY}`);
        expect(page.status).toBe(200);
        const cookie = page.headers.get('set-cookie')!;
        expect(cookie).toContain('Path=/docs; HttpOnly; SameSite=Strict');
        const script = (await page.text()).match(/src="\.?\/?([^"]*swagger-ui-init\.js)"/)?.[1];
        expect(script).toBeDefined();
        const init = await fetch(`${baseUrl}/docs/${script!.replace(/^docs\//, '')}`, {
          headers: { cookie: cookie.split(';')[0]! },
        });
        expect(init.status).toBe(200);
        expect((await fetch(`${baseUrl}/docs/${script!.replace(/^docs\//, '')}`)).status).toBe(401);
      } finally {
        await api.stop();
      }
    });

    it('keeps the web pages key in an HttpOnly, SameSite=Strict cookie, Secure behind https', async () => {
      const { api, baseUrl } = await startApi({
        ...environment.env,
        API_KEYS: `ci:read:${READ_KEY}`,
        TRUST_PROXY: 'loopback',
      });
      try {
        // Kept for both parts a browser reads page by page, so that the pages' link to the API description works.
        const plain = await fetch(`${baseUrl}/ui?api_key=${READ_KEY}`);
        expect(plain.headers.getSetCookie()).toEqual([
          `trialwatch_api_key=${READ_KEY}; Path=/ui; HttpOnly; SameSite=Strict`,
          `trialwatch_api_key=${READ_KEY}; Path=/docs; HttpOnly; SameSite=Strict`,
        ]);
        const proxied = await fetch(`${baseUrl}/ui?api_key=${READ_KEY}`, { headers: { 'x-forwarded-proto': 'https' } });
        expect(proxied.headers.getSetCookie()).toEqual([
          `trialwatch_api_key=${READ_KEY}; Path=/ui; HttpOnly; SameSite=Strict; Secure`,
          `trialwatch_api_key=${READ_KEY}; Path=/docs; HttpOnly; SameSite=Strict; Secure`,
        ]);
        // Nowhere else: the API's own routes never read it.
        expect((await fetch(`${baseUrl}/trials?api_key=${READ_KEY}`)).headers.getSetCookie()).toEqual([]);
      } finally {
        await api.stop();
      }
    });

    it('shows read keys only the scheme, host and port of webhook URLs, admin keys the whole URL, and never logs them', async () => {
      const { api, baseUrl } = await startApi({
        ...environment.env,
        LOG_LEVEL: 'debug',
        API_KEYS: `admin:${ADMIN_KEY},ci:read:${READ_KEY}`,
        OUTBOUND_ALLOWED_HOSTS: '127.0.0.2/32',
      });
      try {
        // Receivers carry their token in the query string or, as Slack and Discord do, in the path.
        const urls = [
          'http://127.0.0.2:9/hooks/in?token=receiver-token-5b1e',
          'http://127.0.0.2:9/services/T0000/B0000/path-token-8c2f77d1a9e04b6b',
        ];
        const ids: string[] = [];
        for (const url of urls) {
          const created = await fetch(`${baseUrl}/subscriptions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ url }),
          });
          expect(created.status).toBe(201);
          ids.push((await json(created)).id);
        }
        for (const id of ids) {
          const asReader = await json(
            await fetch(`${baseUrl}/subscriptions/${id}`, { headers: { 'x-api-key': READ_KEY } }),
          );
          expect(asReader.url).toBe('http://127.0.0.2:9/…');
          const deliveries = await fetch(`${baseUrl}/subscriptions/${id}/deliveries`, {
            headers: { 'x-api-key': READ_KEY },
          });
          expect(deliveries.status).toBe(200);
          expect(await deliveries.text()).not.toMatch(/receiver-token-5b1e|path-token-8c2f77d1a9e04b6b|T0000/);
        }
        const list = await json(await fetch(`${baseUrl}/subscriptions`, { headers: { 'x-api-key': READ_KEY } }));
        expect(list.map((subscription: Json) => subscription.url)).toEqual([
          'http://127.0.0.2:9/…',
          'http://127.0.0.2:9/…',
        ]);
        const asAdmin = await json(await fetch(`${baseUrl}/subscriptions`, { headers: { 'x-api-key': ADMIN_KEY } }));
        expect(asAdmin.map((subscription: Json) => subscription.url).sort()).toEqual([...urls].sort());
        expect(
          (await json(await fetch(`${baseUrl}/subscriptions/${ids[1]}`, { headers: { 'x-api-key': ADMIN_KEY } }))).url,
        ).toBe(urls[1]);
        expect(api.output).not.toContain('receiver-token-5b1e');
        expect(api.output).not.toContain('path-token-8c2f77d1a9e04b6b');
      } finally {
        await api.stop();
      }
    });
  });

  describe('limits hold across api processes', () => {
    let environment: TestEnvironment;
    let first: { api: AppProcess; baseUrl: string };
    let second: { api: AppProcess; baseUrl: string };
    const snapshot = readFileSync(LEGACY_2016);

    const post = (baseUrl: string, headers: Record<string, string> = {}) =>
      fetch(`${baseUrl}/snapshots`, { method: 'POST', body: snapshot, headers }).then((response) => response.status);

    beforeAll(async () => {
      environment = await createTestEnvironment();
      const env = { ...environment.env, SNAPSHOT_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'loopback' };
      first = await startApi(env);
      second = await startApi(env);
    });

    afterAll(async () => {
      await first?.api.stop();
      await second?.api.stop();
      await environment?.teardown();
    });

    it('shares one POST /snapshots limit between two api processes', async () => {
      const client = { 'x-forwarded-for': '203.0.113.10' };
      const statuses = [];
      for (let i = 0; i < 6; i += 1) statuses.push(await post(i % 2 === 0 ? first.baseUrl : second.baseUrl, client));
      expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
    });

    it('tells clients behind a trusted proxy apart by X-Forwarded-For', async () => {
      expect(await post(first.baseUrl, { 'x-forwarded-for': '203.0.113.11' })).toBe(202);
      expect(await post(second.baseUrl, { 'x-forwarded-for': '203.0.113.10' })).toBe(429);
    });

    it('refuses an upload over the limit before reading its body', async () => {
      const { port } = new URL(first.baseUrl);
      // Announces 50 MB, sends 5 bytes and waits: only a server that answers without reading the body replies.
      const answer = await new Promise<{ status: number | undefined; retryAfter: string | undefined }>(
        (resolve, reject) => {
          const request = httpRequest(
            {
              host: '127.0.0.1',
              port: Number(port),
              method: 'POST',
              path: '/snapshots',
              headers: { 'content-length': String(50 * 1024 * 1024), 'x-forwarded-for': '203.0.113.10' },
            },
            (response) => {
              resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'] });
              response.resume();
              request.destroy();
            },
          );
          request.on('error', reject);
          request.setTimeout(5000, () => reject(new Error('the server waited for the body')));
          request.write('12345');
        },
      );
      expect(answer.status).toBe(429);
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    });
  });
});
