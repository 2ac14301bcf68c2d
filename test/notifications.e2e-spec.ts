import { parseFeed } from '@rowanmanning/feed-parser';
import { expectValidAtom } from './support/atom.js';
import { Webhook } from 'standardwebhooks';
import { type AppProcess, runCli, startApi, startWorker } from './support/app-processes.js';
import { json, type Json } from './support/http.js';
import { studyVersion } from './support/study-versions.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/** The api and a worker as processes, on a database and Redis prefix of their own. */
interface System {
  environment: TestEnvironment;
  env: Record<string, string>;
  api: AppProcess;
  worker: AppProcess;
  baseUrl: string;
}

const startSystem = async (overrides: Record<string, string> = {}): Promise<System> => {
  const environment = await createTestEnvironment();
  const env: Record<string, string> = {
    ...environment.env,
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.0/8',
    // About 30 s of retries: longer than any outage these tests make (past it, a subscription is disabled).
    WEBHOOK_RETRY_SCHEDULE: ['200ms', '300ms', ...Array.from({ length: 58 }, () => '500ms')].join(','),
    WEBHOOK_TIMEOUT_MS: '2000',
    PROJECTION_WAKE_INTERVAL_MS: '300',
    ...overrides,
  };
  const { api, baseUrl } = await startApi(env);
  // The worker writes links to the api into webhooks.
  env.PUBLIC_BASE_URL = baseUrl;
  const worker = await startWorker(env);
  return { environment, env, api, worker, baseUrl };
};

const stopSystem = async (system: System | undefined): Promise<void> => {
  await system?.api.stop();
  await system?.worker.stop('SIGKILL');
  await system?.environment.teardown();
};

/** Requests to the api of `system()`, whichever system that is when they are made. */
const clientOf = (system: () => System) => {
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${system().baseUrl}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: response.status === 204 ? null : ((await json(response)) as Json) };
  };
  const ingest = async (content: string) => {
    const response = await fetch(`${system().baseUrl}/snapshots?wait=true`, { method: 'POST', body: content });
    const outcome = await json(response);
    expect(outcome.status).toMatch(/appended|learned|unchanged|stale/);
    return outcome;
  };
  const subscribe = async (url: string, filter: Record<string, unknown>, name?: string) => {
    const created = await request('POST', '/subscriptions', { url, filter, name });
    expect(created.status).toBe(201);
    return created.body as Json;
  };
  return { request, ingest, subscribe };
};

/** Runs `test` against an api and worker of its own (with `overrides`), stopped afterwards. */
const withOwnSystem = async (
  overrides: Record<string, string>,
  test: (system: System, client: ReturnType<typeof clientOf>) => Promise<void>,
): Promise<void> => {
  const system = await startSystem(overrides);
  const client = clientOf(() => system);
  try {
    await test(system, client);
  } finally {
    await stopSystem(system);
  }
};

describe('change notifications: webhooks, live stream, feeds', () => {
  // Each test subscribes to trials of its own; none restarts the api or the worker.
  let system: System;
  const { request, ingest, subscribe } = clientOf(() => system);

  beforeAll(async () => {
    system = await startSystem();
  });

  afterAll(async () => {
    await stopSystem(system);
  });

  it('delivers one signed webhook to each matching subscription and none to the others', async () => {
    const [byTrial, byType, otherTrial] = await Promise.all([
      WebhookReceiver.start(),
      WebhookReceiver.start(),
      WebhookReceiver.start(),
    ]);
    const trial = await subscribe(byTrial.url, {
      nctIds: ['NCT00000801'],
      eventTypes: ['trial.overall-status-changed'],
    });
    const type = await subscribe(byType.url, { eventTypes: ['trial.overall-status-changed'], conditions: ['caries'] });
    await subscribe(otherTrial.url, { nctIds: ['NCT00000899'] });
    expect(trial.secret).toMatch(/^whsec_/);
    expect((await request('GET', `/subscriptions/${trial.id}`)).body).not.toHaveProperty('secret');

    await ingest(studyVersion(0, 'NCT00000801'));
    await ingest(studyVersion(25, 'NCT00000801'));
    await eventually(async () => byTrial.accepted().length === 1 && byType.accepted().length === 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(byTrial.received).toHaveLength(1);
    expect(byType.received).toHaveLength(1);
    expect(otherTrial.received).toHaveLength(0);

    const [webhook] = byTrial.received;
    expect(webhook!.json).toMatchObject({
      type: 'trial.overall-status-changed',
      data: {
        nctId: 'NCT00000801',
        eventType: 'trial.overall-status-changed',
        streamVersion: 2,
        changes: [{ field: 'overallStatus', from: 'RECRUITING', to: 'ACTIVE_NOT_RECRUITING' }],
        occurredAt: '2016-01-27T00:00:00.000Z',
        links: { history: `${system.baseUrl}/trials/NCT00000801/history` },
      },
    });
    expect(webhook!.json.data).toHaveProperty('recordedAt');
    expect(webhook!.json.data).toHaveProperty('globalPosition');
    // The same on every retry, and one per subscription: the other subscription's copy of this event has its own.
    expect(webhook!.id).toBe(`${webhook!.json.data.eventId}.${trial.id}`);
    expect(byType.received[0]!.json.data.eventId).toBe(webhook!.json.data.eventId);
    expect(byType.received[0]!.id).toBe(`${webhook!.json.data.eventId}.${type.id}`);
    const headers = {
      'webhook-id': webhook!.id,
      'webhook-timestamp': webhook!.timestamp,
      'webhook-signature': webhook!.signature,
    };
    expect(new Webhook(trial.secret).verify(webhook!.body, headers)).toMatchObject({
      type: 'trial.overall-status-changed',
    });
    expect(() =>
      new Webhook(trial.secret).verify(webhook!.body.replace('ACTIVE_NOT_RECRUITING', 'TERMINATED'), headers),
    ).toThrow();
    expect(() => new Webhook(type.secret).verify(webhook!.body, headers)).toThrow();
    await Promise.all([byTrial.stop(), byType.stop(), otherTrial.stop()]);
  });

  it('sends what trialwatch learned only to subscriptions that name trial.facts-learned, and keeps it out of the feed', async () => {
    const nctId = 'NCT00000870';
    const [changes, learnedOnly] = await Promise.all([WebhookReceiver.start(), WebhookReceiver.start()]);
    await subscribe(changes.url, { nctIds: [nctId] });
    await subscribe(learnedOnly.url, { nctIds: [nctId], eventTypes: ['trial.facts-learned'] });

    // The same registry version first through a `fields=` document (no sites, no outcomes asked for),
    // then as the full record: the sites and outcomes are learned, nothing changed.
    const limited = JSON.parse(studyVersion(0, nctId));
    delete limited.derivedSection;
    delete limited.protocolSection.contactsLocationsModule;
    delete limited.protocolSection.outcomesModule;
    expect((await ingest(JSON.stringify(limited))).status).toBe('appended');
    const learned = await ingest(studyVersion(0, nctId));
    expect(learned.status).toBe('learned');
    expect(learned.results[0].events.map((event: Json) => event.type)).toEqual(['trial.facts-learned']);
    await ingest(studyVersion(25, nctId));

    await eventually(async () => changes.accepted().length === 4 && learnedOnly.accepted().length === 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(changes.received.map((webhook) => webhook.json.type)).toEqual([
      'trial.registered',
      'trial.overall-status-changed',
      'trial.enrollment-updated',
      'trial.last-update-posted-date-moved',
    ]);
    expect(learnedOnly.received).toHaveLength(1);
    expect((learnedOnly.received[0]!.json.data.changes as Json[]).map((change) => change.field)).toEqual(
      expect.arrayContaining(['locations', 'primaryOutcomes']),
    );

    const feed = (await request('GET', `/changes?nctId=${nctId}`)).body.changes;
    expect(feed.map((change: Json) => change.type)).not.toContain('trial.facts-learned');
    const asked = (await request('GET', `/changes?nctId=${nctId}&types=trial.facts-learned`)).body.changes;
    expect(asked.map((change: Json) => change.type)).toEqual(['trial.facts-learned']);
    const history = (await request('GET', `/trials/${nctId}/history?field=locations`)).body.changes;
    expect(history).toMatchObject([{ field: 'locations', learned: true }]);
    await Promise.all([changes.stop(), learnedOnly.stop()]);
  });

  it('retries a receiver that answers 500 twice, and logs all three attempts', async () => {
    const receiver = await WebhookReceiver.start();
    let calls = 0;
    receiver.answer = () => (++calls <= 2 ? 500 : 200);
    const subscription = await subscribe(receiver.url, { nctIds: ['NCT00000802'] });
    await ingest(studyVersion(0, 'NCT00000802'));
    await eventually(async () => receiver.accepted().length === 1);
    expect(receiver.received.map((webhook) => webhook.status)).toEqual([500, 500, 200]);
    expect(new Set(receiver.received.map((webhook) => webhook.id)).size).toBe(1);
    const log = await eventually(async () => {
      const current = (await request('GET', `/subscriptions/${subscription.id}/deliveries`)).body;
      return current.delivered === 1 && current;
    });
    expect(log.attempts.map((a: Json) => [a.attempt, a.statusCode, a.error === null])).toEqual([
      [3, 200, true],
      [2, 500, false],
      [1, 500, false],
    ]);
    expect(log.attempts[2].error).toMatch(/HTTP 500/);
    expect(log.attempts.every((a: Json) => typeof a.latencyMs === 'number')).toBe(true);

    const again = await request(
      'POST',
      `/subscriptions/${subscription.id}/deliveries/${receiver.received[0]!.json.data.eventId}/redeliver`,
    );
    expect(again.status).toBe(202);
    await eventually(async () => receiver.accepted().length === 2);
    expect(receiver.accepted()[1]!.id).toBe(receiver.received[0]!.id);
    await receiver.stop();
  });

  it('delivers all 50 changes made while the receiver was down, each trial in order', async () => {
    const receiver = await WebhookReceiver.start();
    const port = Number(new URL(receiver.url).port);
    await receiver.stop();
    const trials = ['NCT00000810', 'NCT00000811', 'NCT00000812', 'NCT00000813', 'NCT00000814'];
    await subscribe(`http://127.0.0.1:${port}/hooks/trialwatch`, {
      nctIds: trials,
      eventTypes: ['trial.enrollment-updated'],
    });
    for (let version = 0; version <= 10; version += 1) {
      for (const trial of trials) await ingest(studyVersion(version, trial));
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await receiver.listen(port);
    await eventually(async () => new Set(receiver.accepted().map((w) => w.id)).size === 50, 60_000);

    for (const trial of trials) {
      const versions = receiver
        .accepted()
        .filter((w) => w.json.data.nctId === trial)
        .map((w) => w.json.data.streamVersion);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(10);
    }
    const byId = new Map<string, string>();
    for (const webhook of receiver.received) {
      if (byId.has(webhook.id)) expect(byId.get(webhook.id)).toBe(webhook.body);
      byId.set(webhook.id, webhook.body);
    }
    await receiver.stop();
  });

  it('signs with both secrets while a rotation is in its grace period', async () => {
    const receiver = await WebhookReceiver.start();
    const subscription = await subscribe(receiver.url, { nctIds: ['NCT00000840'] });
    const rotated = (await request('POST', `/subscriptions/${subscription.id}/rotate-secret`)).body;
    expect(rotated.secret).not.toBe(subscription.secret);
    await ingest(studyVersion(0, 'NCT00000840'));
    await eventually(async () => receiver.accepted().length === 1);
    const [webhook] = receiver.received;
    const headers = {
      'webhook-id': webhook!.id,
      'webhook-timestamp': webhook!.timestamp,
      'webhook-signature': webhook!.signature,
    };
    expect(webhook!.signature.split(' ')).toHaveLength(2);
    expect(() => new Webhook(rotated.secret).verify(webhook!.body, headers)).not.toThrow();
    expect(() => new Webhook(subscription.secret).verify(webhook!.body, headers)).not.toThrow();
    await receiver.stop();
  });

  it('refuses webhook URLs to private, loopback and link-local addresses outside the allow-list, and plain http', async () => {
    for (const url of [
      'https://10.1.2.3/hook',
      'https://192.168.0.10/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'http://example.org/hook',
      'ftp://example.org/',
    ]) {
      const refused = await request('POST', '/subscriptions', { url });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('subscription.unsafe-url');
    }
    const badFilter = await request('POST', '/subscriptions', {
      url: 'http://127.0.0.1:9/x',
      filter: { eventTypes: ['trial.exploded'] },
    });
    expect(badFilter.body.error).toMatchObject({
      code: 'subscription.invalid',
      message: expect.stringMatching(/unknown event types: trial.exploded/),
    });
    // A list is no filter: taken as an empty one it would match every change.
    for (const filter of [[], ['diabetes'], 'diabetes']) {
      const notAnObject = await request('POST', '/subscriptions', { url: 'http://127.0.0.1:9/x', filter });
      expect({ filter, status: notAnObject.status }).toEqual({ filter, status: 400 });
      expect(notAnObject.body.error.message).toContain('filter must be an object');
    }

    // Changing a subscription's URL to one that is refused (an empty one too) is refused, and changes nothing.
    const kept = await subscribe('http://127.0.0.1:9/kept', {});
    for (const url of ['', 'https://10.1.2.3/hook', 'ftp://example.org/']) {
      const refused = await request('PATCH', `/subscriptions/${kept.id}`, { url, name: 'renamed' });
      expect({ url, status: refused.status, code: refused.body.error?.code }).toEqual({
        url,
        status: 400,
        code: 'subscription.unsafe-url',
      });
    }
    expect((await request('GET', `/subscriptions/${kept.id}`)).body).toMatchObject({
      url: 'http://127.0.0.1:9/kept',
      name: null,
    });
  });

  it('resumes a live stream from Last-Event-ID with exactly the events missed', async () => {
    const readEvents = async (
      headers: Record<string, string>,
      count: number,
    ): Promise<{ id: string; type: string; nctId: string }[]> => {
      const controller = new AbortController();
      const response = await fetch(`${system.baseUrl}/changes/stream?nctId=NCT00000850`, {
        headers,
        signal: controller.signal,
      });
      expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = response.body!.getReader();
      const events: { id: string; type: string; nctId: string }[] = [];
      let buffer = '';
      while (events.length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => !line.startsWith(':') && line.includes(': '))
              .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]),
          );
          // A block with an id and no data moves the client's Last-Event-ID without being an event.
          if (fields['id'] && fields['data'])
            events.push({ id: fields['id'], type: fields['event']!, nctId: JSON.parse(fields['data']!).nctId });
        }
      }
      controller.abort();
      return events;
    };
    const streamStart = readEvents({}, 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await ingest(studyVersion(0, 'NCT00000850'));
    const [first] = await streamStart;
    expect(first).toMatchObject({ type: 'trial.registered', nctId: 'NCT00000850' });

    // Disconnected: three more versions, two events each.
    for (const version of [1, 2, 3]) await ingest(studyVersion(version, 'NCT00000850'));
    await eventually(async () => (await request('GET', '/changes?nctId=NCT00000850')).body.changes.length === 7);
    const missed = (await request('GET', `/changes?nctId=NCT00000850&after=${first!.id}`)).body.changes;
    const resumed = await readEvents({ 'last-event-id': first!.id }, 6);
    expect(resumed.map((event) => event.id)).toEqual(missed.map((change: Json) => change.cursor));
  });

  it('publishes a valid Atom feed of a trial and of a subscription, newest first', async () => {
    const receiver = await WebhookReceiver.start();
    const subscription = await subscribe(receiver.url, { nctIds: ['NCT00000860'] }, 'one trial');
    for (const version of [0, 25, 50]) await ingest(studyVersion(version, 'NCT00000860'));
    await eventually(async () => (await request('GET', '/changes?nctId=NCT00000860')).body.changes.length >= 7);
    await eventually(async () => receiver.accepted().length >= 7);

    const trialFeed = await fetch(`${system.baseUrl}/trials/NCT00000860/changes.atom`);
    expect(trialFeed.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const trialXml = await trialFeed.text();
    expectValidAtom(trialXml);
    const parsed = parseFeed(trialXml);
    const dates = parsed.items.map((item) => item.updated!.getTime());
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    expect(parsed.items.at(-1)!.title).toMatch(/^NCT00000860: Registered/);
    expect(
      parsed.items.some((item) => /Overall status: Recruiting -> Active, not recruiting/.test(item.title ?? '')),
    ).toBe(true);
    expect(parsed.items.every((item) => item.url === `${system.baseUrl}/trials/NCT00000860/history`)).toBe(true);

    // A feed that cannot be served answers in JSON, saying so as JSON.
    for (const [path, status] of [
      ['/trials/NCT09999999/changes.atom', 404],
      ['/trials/NCT123/changes.atom', 400],
      ['/subscriptions/not-a-uuid/feed.atom', 400],
    ] as const) {
      const refused = await fetch(`${system.baseUrl}${path}`);
      expect({ path, status: refused.status, type: refused.headers.get('content-type') }).toEqual({
        path,
        status,
        type: 'application/json; charset=utf-8',
      });
      expect((await refused.json()) as object).toHaveProperty('error.code');
    }

    const subscriptionXml = await (await fetch(`${system.baseUrl}/subscriptions/${subscription.id}/feed.atom`)).text();
    expectValidAtom(subscriptionXml);
    const subscriptionFeed = parseFeed(subscriptionXml);
    expect(subscriptionFeed.title).toBe('trialwatch: one trial');
    expect(subscriptionFeed.items.length).toBe(new Set(receiver.accepted().map((w) => w.id)).size);
    await receiver.stop();
  });
  it('documents the recover endpoint and the webhook body with its sequence number in OpenAPI', async () => {
    const document = await json(await fetch(`${system.baseUrl}/docs/openapi.json`));
    expect(document.paths['/subscriptions/{id}/recover'].post.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'since', in: 'query', required: true })]),
    );
    expect(document.paths['/subscriptions'].post.callbacks.change['{$request.body#/url}'].post).toMatchObject({
      requestBody: {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookPayloadSchema' } } },
      },
    });
    expect(document.components.schemas.WebhookDataSchema.properties.sequence).toMatchObject({ type: 'number' });
  });

  it('documents the query parameters routes read, and the statuses POSTs that queue work answer', async () => {
    const document = await json(await fetch(`${system.baseUrl}/docs/openapi.json`));
    const queryOf = (path: string, method = 'get'): string[] =>
      (document.paths[path][method].parameters as Json[])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => (parameter.required ? `${parameter.name}*` : parameter.name));
    const filters = ['types', 'nctId', 'condition', 'sponsor', 'phase', 'watchlist', 'minMateriality'];
    expect(queryOf('/changes')).toEqual([...filters, 'after', 'limit']);
    expect(queryOf('/changes/stream')).toEqual(filters);
    expect(queryOf('/ingestions')).toEqual(['status*', 'cursor', 'limit']);
    expect(queryOf('/reports/results-due')).toEqual(['state', 'sponsor', 'on', 'cursor', 'limit']);
    expect(queryOf('/trials')).toEqual(
      expect.arrayContaining([
        'status',
        'phase',
        'sponsor',
        'condition',
        'text',
        'on',
        'changedSince',
        'cursor',
        'limit',
      ]),
    );
    expect(queryOf('/trials/{nctId}/changes.atom')).toEqual(['before', 'limit', 'minMateriality']);
    expect(queryOf('/subscriptions/{id}/feed.atom')).toEqual(['before', 'limit']);
    expect(queryOf('/snapshots', 'post')).toEqual(['source', 'observedAt', 'format', 'wait', 'timeoutMs']);
    expect(Object.keys(document.paths['/snapshots'].post.responses).sort()).toEqual(['200', '202', '400']);
    expect(Object.keys(document.paths['/watchlists/{id}/sync'].post.responses).sort()).toEqual(['200', '202']);
  });
});

describe('change notifications across restarts and with other settings', () => {
  // These tests kill the worker or need other webhook settings: each has an api and worker of its own.
  it("delivers a trial's next change as soon as the pass still delivering the one before ends, not at the next sweep", () =>
    withOwnSystem({ PROJECTION_WAKE_INTERVAL_MS: '60000' }, async (_system, { ingest, subscribe }) => {
      const receiver = await WebhookReceiver.start();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let answered = 0;
      // The first webhook is held, and with it the pass delivering it.
      receiver.answer = async () => {
        if (answered++ === 0) await held;
        return 200;
      };
      try {
        const trial = 'NCT00000830';
        await ingest(studyVersion(0, trial));
        await subscribe(receiver.url, { nctIds: [trial], eventTypes: ['trial.enrollment-updated'] });
        await ingest(studyVersion(1, trial));
        await eventually(async () => receiver.received.length === 1);
        await ingest(studyVersion(2, trial));
        // Matched while the subscription's pass is still running.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(receiver.received).toHaveLength(1);
        const releasedAt = Date.now();
        release();
        await eventually(async () => receiver.accepted().length === 2, 10_000);
        expect(receiver.accepted()[1]!.at - releasedAt).toBeLessThan(5_000);
        expect(receiver.accepted().map((webhook) => webhook.json.data.streamVersion)).toEqual(
          [...receiver.accepted().map((webhook) => webhook.json.data.streamVersion)].sort((a, b) => a - b),
        );
      } finally {
        release();
        await receiver.stop();
      }
    }));

  it('delivers every pending notification after the worker is killed mid-delivery', () =>
    withOwnSystem({}, async (system, { ingest, subscribe }) => {
      const receiver = await WebhookReceiver.start();
      receiver.answer = () => new Promise((resolve) => setTimeout(() => resolve(200), 150));
      await subscribe(receiver.url, { nctIds: ['NCT00000820'] });
      for (let version = 0; version < 20; version += 1) await ingest(studyVersion(version, 'NCT00000820'));
      await eventually(async () => receiver.received.length >= 3);
      await system.worker.stop('SIGKILL');
      system.worker = await startWorker(system.env);
      // Every event of the trial: registered, then enrollment and last-update events for each later version.
      await eventually(async () => new Set(receiver.accepted().map((w) => w.id)).size === 39, 60_000);
      const versions = [...new Map(receiver.accepted().map((w) => [w.id, w.json.data.streamVersion])).values()];
      expect(versions).toEqual(Array.from({ length: 39 }, (_, index) => index + 1));
      await receiver.stop();
    }));

  it('disables a subscription whose delivery exhausts the retries, and recovers it over HTTP and from the CLI with no gap', () =>
    // The last wait dominates the schedule, so the delivery runs out of retries before the subscription has
    // failed for WEBHOOK_DISABLE_AFTER (the whole schedule), however late the sweep picks up the first retry.
    withOwnSystem({ WEBHOOK_RETRY_SCHEDULE: '200ms,3s' }, async (system, { request, ingest, subscribe }) => {
      const receiver = await WebhookReceiver.start();
      receiver.answer = () => 503;
      const subscription = await subscribe(receiver.url, { nctIds: ['NCT00000835'] });
      const statusOf = async () => (await request('GET', `/subscriptions/${subscription.id}`)).body;
      const disabled = async () => {
        const current = await statusOf();
        return current.status === 'disabled' && current;
      };
      const firstDown = new Date();
      await ingest(studyVersion(0, 'NCT00000835'));
      expect((await eventually(disabled)).disabledReason).toMatch(
        /delivery 1 \(event .*\) to .* was abandoned after 3 attempts; last error: receiver answered HTTP 503/,
      );
      // Changes made meanwhile wait for the repair, none goes out past the gap.
      await ingest(studyVersion(1, 'NCT00000835'));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(receiver.received).toHaveLength(3);

      const path = `/subscriptions/${subscription.id}/recover`;
      expect(await request('POST', path)).toMatchObject({
        status: 400,
        body: { error: { code: 'subscription.invalid', message: expect.stringContaining('since is required') } },
      });
      expect(await request('POST', `${path}?since=last%20tuesday`)).toMatchObject({
        status: 400,
        body: { error: { message: expect.stringContaining('since must be an ISO 8601 date or time') } },
      });
      expect(
        (await request('POST', `/subscriptions/00000000-0000-4000-8000-000000000000/recover?since=2026-01-01`)).status,
      ).toBe(404);
      expect((await statusOf()).status).toBe('disabled');

      receiver.answer = () => 200;
      const recovered = await request('POST', `${path}?since=${encodeURIComponent(firstDown.toISOString())}`);
      expect(recovered).toMatchObject({ status: 202, body: { recovered: 1, subscription: { status: 'active' } } });
      // Registered, then the enrollment and last-update events of version 1: sequences 1 to 3, none missing.
      await eventually(async () => new Set(receiver.accepted().map((w) => w.id)).size === 3);
      expect([...new Set(receiver.accepted().map((w) => w.json.data.sequence))].sort()).toEqual([1, 2, 3]);
      expect((await statusOf()).lastSequence).toBe(3);

      // Down again, past the whole schedule; this time the CLI recovers it.
      receiver.answer = () => 500;
      const secondDown = new Date();
      await ingest(studyVersion(2, 'NCT00000835'));
      await eventually(disabled);
      receiver.answer = () => 200;
      const cli = await runCli(
        ['subscriptions', 'recover', subscription.id, '--since', secondDown.toISOString()],
        system.environment.env,
      );
      expect(cli.stderr).toBe('');
      expect(cli.stdout).toMatch(/re-queued 1 deliveries abandoned since .*; subscription .* is active/);
      await eventually(async () => new Set(receiver.accepted().map((w) => w.id)).size === 5);
      expect([...new Set(receiver.accepted().map((w) => w.json.data.sequence))].sort()).toEqual([1, 2, 3, 4, 5]);
      const log = (await request('GET', `/subscriptions/${subscription.id}/deliveries`)).body;
      expect(log).toMatchObject({ pending: 0, abandoned: 0, delivered: 5 });
      await receiver.stop();
    }));

  it('disables a subscription that keeps failing, and says why', () =>
    withOwnSystem(
      {
        WEBHOOK_DISABLE_AFTER: '1s',
        WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms',
      },
      async (_system, { request, ingest, subscribe }) => {
        const receiver = await WebhookReceiver.start();
        receiver.answer = () => 503;
        const subscription = await subscribe(receiver.url, { nctIds: ['NCT00000830'] });
        await ingest(studyVersion(0, 'NCT00000830'));
        const disabled = await eventually(async () => {
          const current = (await request('GET', `/subscriptions/${subscription.id}`)).body;
          return current.status === 'disabled' && current;
        });
        expect(disabled.disabledReason).toMatch(/have failed since .*; last error: receiver answered HTTP 503/);
        const attemptsWhenDisabled = receiver.received.length;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(receiver.received.length).toBe(attemptsWhenDisabled);

        receiver.answer = () => 200;
        expect((await request('POST', `/subscriptions/${subscription.id}/enable`)).body.status).toBe('active');
        await eventually(async () => receiver.accepted().length === 1);
        await receiver.stop();
      },
    ));
});
