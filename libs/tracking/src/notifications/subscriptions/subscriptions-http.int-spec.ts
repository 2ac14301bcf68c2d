import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Clock } from '@app/infrastructure';
import { IngestSnapshotsCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from '../../read-models/index.js';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { NotificationMatcher } from '../matching/notification-matcher.js';
import { expectValidAtom } from '../../../../../test/support/atom.js';
import { SubscriptionStore } from './subscription-store.js';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { listenOnLoopback } from '../../../../../test/support/http.js';

interface Answer {
  id?: string;
  name?: string | null;
  error?: { code: string; message: string; details: Record<string, unknown> };
}

/** Managing subscriptions over HTTP: what a client sends, and what it is answered. */
describe('subscriptions over HTTP', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Answer };
  };

  beforeAll(async () => {
    environment = await createTestEnvironment({
      outbound: { allowedHosts: ['127.0.0.0/8'], dnsServers: [], dnsCacheMs: 30_000 },
    });
    app = await createApiApp(environment.config);
    baseUrl = await listenOnLoopback(app);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('refuses deleting a watchlist a subscription names with 409, naming the subscription, and keeps it', async () => {
    const watchlist = await send('POST', '/watchlists', { name: 'listened to', nctIds: ['NCT07330001'] });
    expect(watchlist.status).toBe(201);
    const subscription = await send('POST', '/subscriptions', {
      url: 'http://127.0.0.1:9/hook',
      name: 'desk',
      filter: { watchlistIds: [watchlist.body.id] },
    });
    expect(subscription.status).toBe(201);
    const refused = await send('DELETE', `/watchlists/${watchlist.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'watchlist.in-use',
      message: expect.stringContaining(subscription.body.id!),
      details: { subscriptionIds: [subscription.body.id] },
    });
    expect((await send('GET', `/watchlists/${watchlist.body.id}`)).status).toBe(200);
  });

  it('clears a subscription name set to null, as the answer and a later read say', async () => {
    const subscription = await send('POST', '/subscriptions', { url: 'http://127.0.0.1:9/hook', name: 'old name' });
    const patched = await send('PATCH', `/subscriptions/${subscription.body.id}`, { name: null });
    expect(patched).toMatchObject({ status: 200, body: { name: null } });
    expect((await send('GET', `/subscriptions/${subscription.body.id}`)).body.name).toBeNull();
    // Left out, the name stays.
    await send('PATCH', `/subscriptions/${subscription.body.id}`, { name: 'new name' });
    expect((await send('PATCH', `/subscriptions/${subscription.body.id}`, { filter: {} })).body.name).toBe('new name');
  });

  it("says at the top of a disabled subscription's Atom feed that it matches nothing new, and why, until enabled", async () => {
    const subscription = await send('POST', '/subscriptions', { url: 'http://127.0.0.1:9/hook', name: 'atom reader' });
    const feed = async () => (await fetch(`${baseUrl}/subscriptions/${subscription.body.id}/feed.atom`)).text();
    expect(await feed()).not.toContain('disabled');
    // Disabled as delivery disables one whose receiver keeps failing.
    const reason = 'deliveries to http://127.0.0.1:9/hook have failed since 2026-01-15T10:00:00.000Z';
    await app.get(SubscriptionStore).disable(subscription.body.id!, reason, app.get(Clock).now());
    const disabled = await feed();
    expectValidAtom(disabled);
    const first = /<entry>([\s\S]*?)<\/entry>/.exec(disabled)?.[1] ?? '';
    expect(first).toContain('Subscription disabled');
    expect(first).toContain(reason);
    expect(first).toContain(`/subscriptions/${subscription.body.id}/enable`);
    await send('POST', `/subscriptions/${subscription.body.id}/enable`);
    expect(await feed()).not.toContain('Subscription disabled');
  });

  it("pages a subscription's and a trial's Atom feeds back to the first entry through next links, missing none and repeating none", async () => {
    const nctId = 'NCT07330009';
    const subscription = await send('POST', '/subscriptions', {
      url: 'http://127.0.0.1:9/hook',
      filter: { nctIds: [nctId] },
    });
    await app.get(CommandBus).execute(
      new IngestSnapshotsCommand(
        [0, 30, 60, 90, 120].map((version) => ({
          content: Buffer.from(studyVersion(version, nctId)),
          mediaType: 'application/json',
          source: 'test',
        })),
      ),
    );
    while (await app.get(NotificationMatcher).matchBatch());
    await app.get(CommandBus).execute(new CatchUpProjectionsCommand());
    const idsIn = (xml: string) => [...xml.matchAll(/<id>(urn:uuid:[^<]+)<\/id>/g)].map((match) => match[1]!);
    const nextOf = (xml: string) => /<link rel="next" href="([^"]+)"\/>/.exec(xml)?.[1]?.replaceAll('&amp;', '&');
    /** Every entry's id, following the feed's next links from its first page. */
    const pagedThrough = async (first: string) => {
      const ids: string[] = [];
      for (let url: string | undefined = first; url;) {
        const page = await (await fetch(url)).text();
        expectValidAtom(page);
        expect(idsIn(page).length).toBeLessThanOrEqual(2);
        ids.push(...idsIn(page));
        const next = nextOf(page);
        // Links are absolute, under the public base URL the api was given; this test serves elsewhere.
        url = next ? `${baseUrl}${new URL(next).pathname}${new URL(next).search}` : undefined;
      }
      return ids;
    };
    for (const feed of [`/subscriptions/${subscription.body.id}/feed.atom`, `/trials/${nctId}/changes.atom`]) {
      const whole = await (await fetch(`${baseUrl}${feed}?limit=1000`)).text();
      expect(nextOf(whole)).toBeUndefined();
      expect(idsIn(whole).length).toBeGreaterThan(4);
      expect({ feed, ids: await pagedThrough(`${baseUrl}${feed}?limit=2`) }).toEqual({ feed, ids: idsIn(whole) });
    }

    for (const feed of [`/subscriptions/${subscription.body.id}/feed.atom`, `/trials/${nctId}/changes.atom`]) {
      for (const query of ['before=yesterday', 'limit=0', 'limit=5000']) {
        const refused = await send('GET', `${feed}?${query}`);
        expect({ feed, query, status: refused.status }).toEqual({ feed, query, status: 400 });
        expect(refused.body.error?.message).toMatch(/before|limit/);
      }
    }
  });
});
