import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { FakeCtgovServer } from '../../../test/support/fake-ctgov/index.js';
import { maxInAnyWindow, shortestGap } from '../../../test/support/request-rate.js';
import { CtgovClient, SharedTurns, sharedWindowOf } from './index.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DISCONNECT_TIMEOUT_MS = 50;

describe('one request rate shared through Redis', () => {
  let fake: FakeCtgovServer;
  const connections: Redis[] = [];
  const key = `twtest:${randomBytes(5).toString('hex')}:outbound-rate:clinicaltrials.gov`;

  beforeEach(async () => {
    fake = await FakeCtgovServer.start();
  });

  afterEach(async () => {
    await fake.stop();
    const cleanup = new Redis(REDIS_URL);
    await cleanup.del(key);
    cleanup.disconnect();
    for (const connection of connections.splice(0)) connection.disconnect();
  });

  // ioredis's disconnect() gives each socket `disconnectTimeout` to close; the unreachable client's
  // socket closed long before, so that timer runs its whole length. It runs out here, not after the file.
  afterAll(() => new Promise((resolve) => setTimeout(resolve, 4 * DISCONNECT_TIMEOUT_MS)));

  /** A client as one process builds it: its own Redis connection, its own queue of waiting requests. */
  const processClient = (redisUrl: string, requestsPerSecond = 1): CtgovClient => {
    const connection = new Redis(redisUrl, {
      maxRetriesPerRequest: 1,
      retryStrategy: () => 200,
      disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    });
    connection.on('error', () => undefined);
    connections.push(connection);
    return new CtgovClient({
      baseUrl: fake.baseUrl,
      requestsPerSecond,
      turns: new SharedTurns({ storeClient: connection, key, requestsPerSecond, maxRequestMs: 5_000 }),
      timeoutMs: 5_000,
      maxRetries: 0,
    });
  };

  it('lets three clients with their own connections send at most 1 request per second between them', async () => {
    const clients = [processClient(REDIS_URL), processClient(REDIS_URL), processClient(REDIS_URL)];
    const started = Date.now();
    await Promise.all(clients.flatMap((client) => [client.version(), client.version()]));
    const elapsed = Date.now() - started;

    const arrivals = fake.requests.map((request) => request.at);
    expect(arrivals).toHaveLength(6);
    expect(maxInAnyWindow(arrivals, 1_000)).toBe(1);
    expect(shortestGap(arrivals)).toBeGreaterThanOrEqual(1_000);
    // Six requests a second apart: at least five seconds, and not much more (the queue does not stall).
    expect(elapsed).toBeGreaterThanOrEqual(5_000);
    expect(elapsed).toBeLessThan(9_000);
  });

  it('holds the turn while a request is in flight: the next one leaves a full window after the answer', async () => {
    const clients = [processClient(REDIS_URL), processClient(REDIS_URL), processClient(REDIS_URL)];
    fake.injectFaults([
      { kind: 'delay', ms: 700 },
      { kind: 'delay', ms: 700 },
      { kind: 'delay', ms: 700 },
    ]);
    await Promise.all(clients.map((client) => client.version()));
    const arrivals = fake.requests.map((request) => request.at);
    expect(arrivals).toHaveLength(3);
    // Each answer took 700 ms; the next request came at least a second after it.
    expect(shortestGap(arrivals)).toBeGreaterThanOrEqual(1_700);
  });

  it('still keeps each client to the rate on its own while Redis cannot be reached', async () => {
    // Nothing listens on port 1: every command fails and the limit falls back to the process.
    const client = processClient('redis://127.0.0.1:1');
    await Promise.all([client.version(), client.version(), client.version()]);
    const arrivals = fake.requests.map((request) => request.at);
    expect(arrivals).toHaveLength(3);
    expect(maxInAnyWindow(arrivals, 1_000)).toBe(1);
  });

  it('never grants more than the rate, and never a window under a second', () => {
    expect(sharedWindowOf(1)).toEqual({ points: 1, duration: 1.1 });
    expect(sharedWindowOf(0.5)).toEqual({ points: 1, duration: 2.1 });
    expect(sharedWindowOf(2.5)).toEqual({ points: 2, duration: 1.1 });
  });
});
