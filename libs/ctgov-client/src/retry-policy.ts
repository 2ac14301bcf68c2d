export const DEFAULT_BACKOFF_BASE_MS = 1_000;
export const MAX_BACKOFF_MS = 60_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;

/** Rate limiting and server-side failures are worth another try; any other 4xx will answer the same again. */
export const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

/** The statuses whose Retry-After header the client honours. */
export const honoursRetryAfter = (status: number): boolean => status === 429 || status === 503;

/**
 * Exponential backoff with full jitter: a uniformly random wait between 0 and
 * `min(cap, base * 2^(retry - 1))`, so that clients failing together do not retry together.
 */
export const backoffDelayMs = (
  retry: number,
  baseMs: number,
  capMs: number = MAX_BACKOFF_MS,
  random: () => number = Math.random,
): number => Math.floor(random() * Math.min(capMs, baseMs * 2 ** (retry - 1)));

const HTTP_DATE_MONTH = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/i;

/** Milliseconds a Retry-After header asks for (delta-seconds or an HTTP date), or null when it is absent or unreadable. */
export const parseRetryAfterMs = (value: string | null, now: number = Date.now()): number | null => {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  // Every HTTP date form names its month; without this, Date.parse would accept numbers such as "-5".
  if (!HTTP_DATE_MONTH.test(trimmed)) return null;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
};
