import { backoffDelayMs, honoursRetryAfter, isRetryableStatus, parseRetryAfterMs } from './retry-policy.js';

describe('retry policy', () => {
  it('retries 429 and 5xx, never another 4xx or a success', () => {
    expect([429, 500, 502, 503, 504].map(isRetryableStatus)).toEqual([true, true, true, true, true]);
    expect([200, 301, 400, 403, 404, 410].map(isRetryableStatus)).toEqual([false, false, false, false, false, false]);
    expect([429, 503, 500, 502].map(honoursRetryAfter)).toEqual([true, true, false, false]);
  });

  it('backs off exponentially with full jitter, up to the cap', () => {
    const highest = () => 0.999_999;
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(retry, 1_000, 60_000, highest))).toEqual([
      999, 1_999, 3_999, 7_999,
    ]);
    expect(backoffDelayMs(20, 1_000, 60_000, highest)).toBe(59_999);
    expect(backoffDelayMs(5, 1_000, 60_000, () => 0)).toBe(0);
    expect(backoffDelayMs(3, 1_000, 60_000, () => 0.5)).toBe(2_000);
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-15T10:00:00Z');
    expect(parseRetryAfterMs('1', now)).toBe(1_000);
    expect(parseRetryAfterMs(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfterMs('Thu, 15 Jan 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Thu, 15 Jan 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs(null, now)).toBeNull();
    expect(parseRetryAfterMs('', now)).toBeNull();
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs('-5', now)).toBeNull();
  });
});
