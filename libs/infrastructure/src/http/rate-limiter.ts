import { DomainError } from '@app/domain';

export class RateLimitedError extends DomainError {
  readonly code = 'request.rate-limited';
  readonly kind = 'rate-limited' as const;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * A token bucket per client: up to `perMinute` requests in a burst, refilled continuously at
 * `perMinute` a minute. Kept in this process's memory (each api instance limits on its own).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `client`, or throws RateLimitedError saying when to retry. */
  take(client: string, what: string): void {
    if (this.perMinute <= 0) return;
    const now = this.now();
    const bucket = this.buckets.get(client) ?? { tokens: this.perMinute, refilledAt: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.refilledAt) / 60_000) * this.perMinute);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) {
      const retryAfterSeconds = Math.ceil(((1 - bucket.tokens) / this.perMinute) * 60);
      this.buckets.set(client, bucket);
      throw new RateLimitedError(
        `Too many ${what}: at most ${this.perMinute} a minute per client; retry in ${retryAfterSeconds} s`,
        {
          retryAfterSeconds,
        },
      );
    }
    bucket.tokens -= 1;
    this.buckets.set(client, bucket);
    if (this.buckets.size > 100_000) this.forgetIdle(now);
  }

  private forgetIdle(now: number): void {
    for (const [client, bucket] of this.buckets) {
      if (now - bucket.refilledAt > 60_000) this.buckets.delete(client);
    }
  }
}
