import pThrottle from 'p-throttle';
import { RateLimiterMemory, RateLimiterQueue, RateLimiterRedis } from 'rate-limiter-flexible';

/** Waits until a request may leave: how CtgovHttp keeps to a rate. */
export interface RequestTurns {
  take(): Promise<void>;
}

const requirePositive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
};

/** One process's own limit: one request per slot, slots spaced evenly (this also handles rates below one per second). */
export const localTurns = (requestsPerSecond: number): RequestTurns => {
  const interval = 1_000 / requirePositive('requestsPerSecond', requestsPerSecond);
  const throttle = pThrottle({ limit: 1, interval, strict: true });
  return { take: throttle(async () => undefined) };
};

/**
 * Added to every window of the shared limit. A turn is taken in Redis and the request then travels to
 * the server; two processes' requests taken a window apart could otherwise arrive a few milliseconds
 * closer than that, so that a server counting per second would see two in one second.
 */
export const SHARED_WINDOW_MARGIN_MS = 50;

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

export interface SharedTurnsOptions {
  /** An ioredis client (or any client rate-limiter-flexible's RateLimiterRedis accepts). */
  storeClient: unknown;
  /** The Redis key of the limit: every process using the same key shares one limit. */
  key: string;
  requestsPerSecond: number;
}

/**
 * A limit shared by every process that uses the same Redis key (rate-limiter-flexible: a counter per
 * window in Redis, and a queue of waiting requests per process). While Redis cannot be reached, each
 * process falls back to counting on its own, so the limit still holds per process.
 */
export class SharedTurns implements RequestTurns {
  private readonly queue: RateLimiterQueue;

  constructor(private readonly options: SharedTurnsOptions) {
    const { points, duration } = sharedWindowOf(options.requestsPerSecond);
    const limiter = new RateLimiterRedis({
      storeClient: options.storeClient,
      keyPrefix: '',
      points,
      duration,
      customIncrTtlLuaScript: COUNT_IN_MILLISECOND_WINDOW,
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
    this.queue = new RateLimiterQueue(limiter);
  }

  async take(): Promise<void> {
    await this.queue.removeTokens(1, this.options.key);
  }
}
