import pThrottle from 'p-throttle';
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** A request's turn, released once its answer (or its failure) is in. */
export interface Turn {
  release(): void;
}

/** Waits until a request may leave: how CtgovHttp keeps to a rate. */
export interface RequestTurns {
  take(): Promise<Turn>;
}

const NOTHING_TO_RELEASE: Turn = { release: () => undefined };

const requirePositive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
};

/** One process's own limit: one request per slot, slots spaced evenly (this also handles rates below one per second). */
export const localTurns = (requestsPerSecond: number): RequestTurns => {
  const interval = 1_000 / requirePositive('requestsPerSecond', requestsPerSecond);
  const throttle = pThrottle({ limit: 1, interval, strict: true });
  const wait = throttle(async () => undefined);
  return {
    take: async () => {
      await wait();
      return NOTHING_TO_RELEASE;
    },
  };
};

/**
 * Added to every window of the shared limit, so that requests a bare window apart at their senders never
 * arrive closer than a second; and a turn granted this close to its window's end is not used.
 */
export const SHARED_WINDOW_MARGIN_MS = 100;

/**
 * rate-limiter-flexible's own counter script, with the window in milliseconds (its stock script sets
 * whole seconds): ARGV[4] is the limiter's duration in seconds, fractions included.
 */
const COUNT_IN_MILLISECOND_WINDOW = `local window = math.floor(tonumber(ARGV[4]) * 1000)
redis.call('set', KEYS[1], 0, 'PX', window, 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('pexpire', KEYS[1], window)
  ttl = window
end
return {consumed, ttl}`;

/** How many requests per window of how many seconds, never more than `requestsPerSecond` and never a window under a second. */
export const sharedWindowOf = (requestsPerSecond: number): { points: number; duration: number } => {
  requirePositive('requestsPerSecond', requestsPerSecond);
  const margin = SHARED_WINDOW_MARGIN_MS / 1_000;
  if (requestsPerSecond <= 1) return { points: 1, duration: 1 / requestsPerSecond + margin };
  return { points: Math.floor(requestsPerSecond), duration: 1 + margin };
};

/** What SharedTurns needs of its Redis client besides what rate-limiter-flexible uses: an ioredis client has it. */
export interface TurnsStoreClient {
  pexpire(key: string, milliseconds: number): Promise<number>;
}

export interface SharedTurnsOptions {
  /** An ioredis client. */
  storeClient: TurnsStoreClient;
  /** The Redis key of the limit: every process using the same key shares one limit. */
  key: string;
  requestsPerSecond: number;
  /** The longest a request can take (its timeout): a turn held longer is given up, e.g. by a process that died. */
  maxRequestMs: number;
}

/**
 * A limit shared by every process that uses the same Redis key: rate-limiter-flexible counts the
 * requests of each window in Redis, and a process whose turn has not come waits until the window ends.
 *
 * At one request per second or less, a turn is also held while its request is in flight, and the next
 * window starts when the answer is in: requests go one at a time across the installation, each a full
 * window after the previous one ended. So the limit holds where it is measured, at the server, even
 * when a busy process sends its request a while after it was granted the turn. A turn is used only if
 * it was surely granted less than a window ago (less a margin); otherwise the process may have sat on it
 * past its window, and it takes another.
 *
 * While Redis cannot be reached, each process falls back to counting on its own (rate-limiter-flexible's
 * insurance limiter), so the limit still holds per process.
 */
export class SharedTurns implements RequestTurns {
  private readonly limiter: RateLimiterRedis;
  private readonly windowMs: number;
  private readonly holdsTurns: boolean;

  constructor(private readonly options: SharedTurnsOptions) {
    const { points, duration } = sharedWindowOf(options.requestsPerSecond);
    this.windowMs = Math.floor(duration * 1_000);
    this.holdsTurns = points === 1;
    this.limiter = new RateLimiterRedis({
      storeClient: options.storeClient,
      keyPrefix: '',
      points,
      duration,
      customIncrTtlLuaScript: COUNT_IN_MILLISECOND_WINDOW,
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
  }

  async take(): Promise<Turn> {
    for (;;) {
      const asked = Date.now();
      try {
        await this.limiter.consume(this.options.key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // A held turn may end early: look again at least once a window.
        await sleep(Math.min(Math.max(1, rejection.msBeforeNext), this.windowMs));
        continue;
      }
      if (Date.now() - asked >= this.windowMs - SHARED_WINDOW_MARGIN_MS) continue;
      if (!this.holdsTurns) return NOTHING_TO_RELEASE;
      // Not awaited: the hold starts as the request leaves, not a round trip later.
      this.restartWindow(this.options.maxRequestMs + this.windowMs);
      return { release: () => this.restartWindow(this.windowMs) };
    }
  }

  private restartWindow(milliseconds: number): void {
    this.options.storeClient.pexpire(this.options.key, milliseconds).catch(() => undefined);
  }
}
