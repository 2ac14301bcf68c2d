import { RateLimiter } from './rate-limiter.js';

describe('the per-client rate limiter', () => {
  it('allows a burst of the limit, then refuses with the wait, then refills with time', () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now);
    for (let i = 0; i < 3; i += 1) limiter.take('client-a', 'snapshots');
    expect(() => limiter.take('client-a', 'snapshots')).toThrow(
      expect.objectContaining({ code: 'request.rate-limited', details: { retryAfterSeconds: 20 } }),
    );
    limiter.take('client-b', 'snapshots');
    now += 20_000;
    limiter.take('client-a', 'snapshots');
    expect(() => limiter.take('client-a', 'snapshots')).toThrow(/at most 3 a minute/);
  });

  it('does not limit when the limit is 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 1000; i += 1) limiter.take('client', 'snapshots');
  });
});
