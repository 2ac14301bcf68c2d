import { get as httpGet, type IncomingMessage } from 'node:http';
import { type AppProcess, startApi, startWorker } from './support/app-processes.js';
import { json, type Json } from './support/http.js';
import { SseStream } from './support/sse-client.js';
import { studyVersion } from './support/study-versions.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';

const ALICE = 'alice-read-key-0123456789';
const BOB = 'bob-read-key-0123456789ab';
const ADMIN = 'admin-key-0123456789abcdef';

/** The api and a worker as processes, on a database and Redis prefix of their own. */
class System {
  environment!: TestEnvironment;
  env!: Record<string, string>;
  api!: AppProcess;
  worker: AppProcess | null = null;
  baseUrl!: string;

  static async start(overrides: Record<string, string>, { worker = true } = {}): Promise<System> {
    const system = new System();
    system.environment = await createTestEnvironment();
    system.env = { ...system.environment.env, PROJECTION_WAKE_INTERVAL_MS: '300', ...overrides };
    ({ api: system.api, baseUrl: system.baseUrl } = await startApi(system.env));
    if (worker) system.worker = await startWorker(system.env);
    return system;
  }

  async stop(): Promise<void> {
    await this.api?.stop('SIGKILL');
    await this.worker?.stop('SIGKILL');
    await this.environment?.teardown();
  }

  headers(key?: string): Record<string, string> {
    return key ? { 'x-api-key': key } : {};
  }

  async post(content: string, query = '', key?: string): Promise<Response> {
    return fetch(`${this.baseUrl}/snapshots${query}`, { method: 'POST', body: content, headers: this.headers(key) });
  }

  /** Every change the feed holds after `after` with these filters, following nextCursor to the end. */
  async changes(query: string, after: string | null = null, key?: string): Promise<Json[]> {
    const all: Json[] = [];
    let cursor = after;
    for (;;) {
      const separator = query ? '&' : '';
      const response = await fetch(
        `${this.baseUrl}/changes?${query}${separator}limit=1000${cursor ? `&after=${cursor}` : ''}`,
        { headers: this.headers(key) },
      );
      const page = await json(response);
      all.push(...page.changes);
      cursor = page.nextCursor;
      if (page.caughtUp) return all;
    }
  }
}

/** Waits until the stream's response has started (or was refused). */
const opened = (stream: SseStream) => eventually(async () => stream.status !== 0, 10_000, 20);

describe('the live change stream: a cap per key, back-pressure, and shutdown', () => {
  let system: System | undefined;

  afterEach(async () => {
    await system?.stop();
    system = undefined;
  });

  it('refuses a stream past STREAM_MAX_PER_KEY open for one API key with 429 and Retry-After, and counts each key apart', async () => {
    system = await System.start(
      {
        API_KEYS: `alice:read:${ALICE},bob:read:${BOB},admin:admin:${ADMIN}`,
        HOST: '127.0.0.1',
        STREAM_MAX_PER_KEY: '2',
      },
      { worker: false },
    );
    const url = `${system.baseUrl}/changes/stream`;
    const first = new SseStream(url, null, { 'x-api-key': ALICE });
    const second = new SseStream(url, null, { 'x-api-key': ALICE });
    await Promise.all([opened(first), opened(second)]);
    expect([first.status, second.status]).toEqual([200, 200]);

    const third = new SseStream(url, null, { 'x-api-key': ALICE });
    await opened(third);
    expect(third.status).toBe(429);
    expect(third.headers?.get('retry-after')).toBe('5');
    expect(JSON.parse(third.refusal).error).toMatchObject({
      code: 'stream.too-many',
      message: expect.stringMatching(/API key "alice" already holds 2 open change streams.*STREAM_MAX_PER_KEY=2/),
    });

    // Another key has its own allowance.
    const bobs = new SseStream(url, null, { 'x-api-key': BOB });
    await opened(bobs);
    expect(bobs.status).toBe(200);

    // A stream closed by its client frees its place.
    first.close();
    await eventually(async () => {
      const again = new SseStream(url, null, { 'x-api-key': ALICE });
      await opened(again);
      if (again.status !== 200) return false;
      again.close();
      return true;
    }, 10_000);
    for (const stream of [second, bobs]) stream.close();
  });

  it('pauses for a client that does not read, drops it after STREAM_STALL_TIMEOUT_MS, and the client resumes missing nothing', async () => {
    const began = Date.now();
    system = await System.start({ STREAM_STALL_TIMEOUT_MS: '1000', STREAM_MAX_PER_KEY: '1' });
    // 24 large registrations (trials with 4,000 sites each): megabytes of stream, more than the socket
    // buffers between the api and a client that does not read can hold.
    const study = JSON.parse(studyVersion(0));
    study.protocolSection.contactsLocationsModule = {
      locations: Array.from({ length: 4000 }, (_, index) => ({
        facility: `Research Site ${index}`,
        city: `City ${index}`,
        country: 'United States',
      })),
    };
    const nctIds = Array.from({ length: 24 }, (_, index) => `NCT073${String(index).padStart(5, '0')}`);
    for (const nctId of nctIds) {
      study.protocolSection.identificationModule.nctId = nctId;
      expect((await system.post(JSON.stringify(study))).status).toBe(202);
    }
    await eventually(
      async () => (await system!.changes('types=trial.registered')).length === nctIds.length,
      120_000,
      500,
    );
    const expected = (await system.changes('types=trial.registered')).map((change) => change.cursor);
    console.log(`[stream] ${nctIds.length} large registrations ingested in ${Date.now() - began} ms`);

    // A client that asks for everything from the start, then reads nothing.
    const url = `${system.baseUrl}/changes/stream?types=trial.registered`;
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      httpGet(url, { headers: { 'last-event-id': '0.0' } }, resolve).once('error', reject),
    );
    expect(response.statusCode).toBe(200);

    // It holds the one stream its address may open (STREAM_MAX_PER_KEY=1) until the api drops it:
    // once a new stream is let in, the api has let go of the client that did not read.
    const admitted = async (): Promise<SseStream | null> => {
      const probe = new SseStream(url);
      await opened(probe);
      if (probe.status === 200) return probe;
      expect(probe.status).toBe(429);
      return null;
    };
    const stalledAt = Date.now();
    let probe: SseStream | null = null;
    await eventually(async () => (probe = await admitted()) !== null, 60_000, 250);
    console.log(`[stream] the api dropped a client that did not read ${Date.now() - stalledAt} ms after it connected`);
    probe!.close();

    // What the client then reads ends where the api stopped writing: it never buffered the rest.
    let text = '';
    await new Promise<void>((resolve) => {
      setTimeout(resolve, 10_000).unref();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.once('end', resolve);
      response.once('close', resolve);
      response.once('error', () => resolve());
    });
    const whole = text.slice(0, text.lastIndexOf('\n\n') + 2);
    const received = [...whole.matchAll(/^id: (.+)$/gm)].map((match) => match[1]!);
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(expected.length);
    console.log(`[stream] it had read ${received.length} of ${expected.length} events`);

    // Reconnecting with the id of the last event it read whole, it gets exactly the rest.
    let resumed: SseStream | null = null;
    await eventually(async () => {
      resumed = new SseStream(url, received[received.length - 1]!);
      await opened(resumed);
      return resumed.status === 200;
    }, 10_000);
    await resumed!.waitFor(expected.length - received.length, 60_000);
    resumed!.close();
    expect([...received, ...resumed!.events.map((event) => event.id)]).toEqual(expected);
  }, 300_000);

  it('gives a client that connected without Last-Event-ID an id at once, so a drop before any change misses nothing', async () => {
    system = await System.start({});
    expect((await system.post(studyVersion(0, 'NCT07400101'), '?wait=true')).status).toBe(200);
    await eventually(async () => (await system!.changes('')).length === 1, 30_000);
    const url = `${system.baseUrl}/changes/stream?nctId=NCT07400102`;

    // Connected at the end of the feed, then dropped (a network blip) before any change or keep-alive.
    const first = new SseStream(url);
    await opened(first);
    expect(first.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    first.close();
    expect(first.events).toEqual([]);

    // A change while it is away; it reconnects as EventSource does, with the last id it was given.
    expect((await system.post(studyVersion(0, 'NCT07400102'), '?wait=true')).status).toBe(200);
    await eventually(async () => (await system!.changes('nctId=NCT07400102')).length === 1, 30_000);
    const again = new SseStream(url, first.lastEventId);
    await again.waitFor(1, 5000);
    again.close();
    expect(again.events.map((event) => JSON.parse(event.data).nctId)).toEqual(['NCT07400102']);
  });

  it('refuses a Last-Event-ID or cursor past the end of the feed (another installation, a reset database) with 409, never a silent stream', async () => {
    system = await System.start({});
    expect((await system.post(studyVersion(0, 'NCT07400201'), '?wait=true')).status).toBe(200);
    await eventually(async () => (await system!.changes('')).length === 1, 30_000);
    const [last] = await system.changes('');
    const [transaction, position] = (last!.cursor as string).split('.');
    // What a client of another installation, or of this one before its database was reset, holds.
    const ahead = `${BigInt(transaction!) + 1_000_000n}.${position}`;
    const url = `${system.baseUrl}/changes/stream`;

    const stale = new SseStream(url, ahead);
    await opened(stale);
    expect(stale.status).toBe(409);
    expect(JSON.parse(stale.refusal).error).toMatchObject({
      code: 'request.cursor-ahead',
      message: expect.stringMatching(/Last-Event-ID .*past the end of the change feed.*without Last-Event-ID/),
    });
    const polled = await fetch(`${system.baseUrl}/changes?after=${ahead}`);
    expect(polled.status).toBe(409);
    expect((await json(polled)).error).toMatchObject({
      code: 'request.cursor-ahead',
      message: expect.stringContaining(ahead),
    });

    // The feed's own cursors, its last one and the start, are taken as ever.
    const current = new SseStream(url, last!.cursor as string);
    const start = new SseStream(url, '0.0');
    await Promise.all([opened(current), opened(start)]);
    expect([current.status, start.status]).toEqual([200, 200]);
    await start.waitFor(1, 10_000);
    expect(start.events.map((event) => event.id)).toEqual([last!.cursor]);
    current.close();
    start.close();
  });

  it('exits within seconds of SIGTERM with streams and a ?wait=true request open; clients that reconnect miss nothing', async () => {
    system = await System.start({});
    const filters = ['', '?nctId=NCT07400001', '?condition=caries'];
    const streams = filters.map((query) => new SseStream(`${system!.baseUrl}/changes/stream${query}`));
    await Promise.all(streams.map(opened));
    // A fresh installation: the streams start at the very beginning of the feed.
    const from = null;

    for (const version of [0, 1]) {
      expect((await system.post(studyVersion(version, 'NCT07400001'), '?wait=true')).status).toBe(200);
      expect((await system.post(studyVersion(version, 'NCT07400002'), '?wait=true')).status).toBe(200);
    }
    await streams[0]!.waitFor(4);
    await streams[1]!.waitFor(2);

    // No worker: a ?wait=true request waits on an ingestion nobody processes (for up to two minutes).
    await system.worker!.stop('SIGKILL');
    system.worker = null;
    const waiting = system.post(studyVersion(2, 'NCT07400001'), '?wait=true&timeoutMs=120000');
    await new Promise((resolve) => setTimeout(resolve, 500));

    const stopping = Date.now();
    await system.api.stop('SIGTERM');
    const exitMs = Date.now() - stopping;
    console.log(`[stream] api exited ${exitMs} ms after SIGTERM with ${streams.length} streams and one wait open`);
    expect(exitMs).toBeLessThan(5000);
    // The waiting request was answered with what there was: accepted, still queued.
    const answer = await waiting;
    expect(answer.status).toBe(202);
    const queued = await json(answer);
    expect(queued.status).toBe('queued');
    // Every stream was ended by the server, cleanly.
    expect(await Promise.all(streams.map((stream) => stream.ended))).toEqual([true, true, true]);

    // While the api is down, more changes; then the api and a worker come back.
    system.worker = await startWorker(system.env);
    ({ api: system.api, baseUrl: system.baseUrl } = await startApi(system.env));
    for (const version of [3, 4])
      expect((await system.post(studyVersion(version, 'NCT07400002'), '?wait=true')).status).toBe(200);
    await eventually(
      async () => (await json(await fetch(`${system!.baseUrl}/ingestions/${queued.id}`))).status !== 'queued',
      60_000,
    );
    await eventually(async () => (await system!.changes('', from)).length === 12, 30_000);

    const resumed = filters.map(
      (query, index) => new SseStream(`${system!.baseUrl}/changes/stream${query}`, streams[index]!.lastEventId),
    );
    for (const [index, query] of filters.entries()) {
      const expected = (await system.changes(query.replace('?', ''), from)).map((change) => change.cursor);
      await resumed[index]!.waitFor(expected.length - streams[index]!.events.length, 30_000);
      const seen = [...streams[index]!.events, ...resumed[index]!.events].map((event) => event.id);
      expect(seen).toEqual(expected);
    }
    for (const stream of resumed) stream.close();
  });
});
