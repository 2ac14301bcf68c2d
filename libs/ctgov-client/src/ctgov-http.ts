import { setTimeout as sleep } from 'node:timers/promises';
import { CtgovRequestError } from './errors.js';
import {
  backoffDelayMs,
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  honoursRetryAfter,
  isRetryableStatus,
  parseRetryAfterMs,
} from './retry-policy.js';
import { localTurns, type RequestTurns } from './request-turns.js';

export interface CtgovClientOptions {
  /** e.g. https://clinicaltrials.gov, without /api. */
  baseUrl: string;
  /** The site's robots file asks for at most 1 request per second. */
  requestsPerSecond: number;
  /**
   * Where every attempt waits for its turn; default: a limit of `requestsPerSecond` for this instance
   * alone. Pass a SharedTurns to share one limit between processes.
   */
  turns?: RequestTurns;
  /** Per attempt, including reading the body. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Base of the exponential backoff (full jitter, capped at 60 s); default 1000. */
  backoffBaseMs?: number;
  /** Cap on an honoured Retry-After; default 120 s. */
  maxRetryAfterMs?: number;
  userAgent?: string;
  /** How one attempt is sent (default: fetch). An error it throws with `retryable: false` ends the retries. */
  send?: CtgovTransport;
  /** Quote the server's error message from the body in errors (default true); off for hosts users name. */
  quoteErrorBodies?: boolean;
}

export type CtgovTransport = (
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
) => Promise<{ status: number; headers: Headers; body: string }>;

export interface CtgovClientStats {
  /** HTTP requests sent, retries and redirects included. */
  requests: number;
  retries: number;
}

export interface CtgovRequestOptions {
  /** The Accept header; default application/json. */
  accept?: string;
}

/** A final answer: a success, a redirect, or a status that retrying would not change. */
export interface CtgovResponse {
  url: URL;
  status: number;
  headers: Headers;
  body: string;
  attempts: number;
}

const DEFAULT_USER_AGENT = 'trialwatch-ctgov-client';

type AttemptOutcome =
  { kind: 'response'; status: number; headers: Headers; body: string } | { kind: 'network-error'; description: string };

const requirePositive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
};

const requireNotNegative = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a number of at least 0, got ${value}`);
  return value;
};

/**
 * The one way the ClinicalTrials.gov adapters talk HTTP: every attempt waits for its turn (this
 * instance's rate limiter, or one shared through Redis), has its own timeout, and is retried with backoff on 429, 5xx and network errors.
 * Redirects are returned, never followed, so that callers can see and report them.
 * Give one instance to several adapters to put all their requests under one rate limit.
 */
export class CtgovHttp {
  readonly stats: CtgovClientStats = { requests: 0, retries: 0 };
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoffBaseMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly userAgent: string;
  private readonly turns: RequestTurns;
  private readonly send: CtgovTransport | null;
  private readonly quoteErrorBodies: boolean;

  constructor(options: CtgovClientOptions) {
    const base = new URL(options.baseUrl);
    this.baseUrl = base.href.replace(/\/+$/, '');
    const requestsPerSecond = requirePositive('requestsPerSecond', options.requestsPerSecond);
    this.timeoutMs = requirePositive('timeoutMs', options.timeoutMs);
    if (!Number.isInteger(options.maxRetries) || options.maxRetries < 0) {
      throw new RangeError(`maxRetries must be a whole number of at least 0, got ${options.maxRetries}`);
    }
    this.maxRetries = options.maxRetries;
    this.backoffBaseMs = requireNotNegative('backoffBaseMs', options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS);
    this.maxRetryAfterMs = requireNotNegative('maxRetryAfterMs', options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.send = options.send ?? null;
    this.quoteErrorBodies = options.quoteErrorBodies ?? true;
    this.turns = options.turns ?? localTurns(requestsPerSecond);
  }

  url(path: string, params: Record<string, string> | URLSearchParams = {}): URL {
    const url = new URL(`${this.baseUrl}${path}`);
    url.search = new URLSearchParams(params).toString();
    return url;
  }

  /** GETs `url`, retrying what is worth retrying; throws CtgovRequestError once the retries are spent. */
  async get(url: URL, options: CtgovRequestOptions = {}): Promise<CtgovResponse> {
    for (let attempt = 1; ; attempt++) {
      const turn = await this.turns.take();
      this.stats.requests++;
      let outcome: AttemptOutcome;
      try {
        outcome = await this.attempt(url, options.accept ?? 'application/json');
      } finally {
        turn.release();
      }
      if (outcome.kind === 'response' && !isRetryableStatus(outcome.status)) {
        return { url, status: outcome.status, headers: outcome.headers, body: outcome.body, attempts: attempt };
      }
      if (attempt > this.maxRetries) throw this.failure(url, outcome, attempt, true);
      this.stats.retries++;
      await sleep(this.delayBeforeRetry(outcome, attempt));
    }
  }

  /** The error for a final answer that the caller cannot use (e.g. a 400 or an unexpected 404). */
  rejected(response: CtgovResponse): CtgovRequestError {
    return this.failure(
      response.url,
      { kind: 'response', status: response.status, headers: response.headers, body: response.body },
      response.attempts,
      false,
    );
  }

  private async attempt(url: URL, accept: string): Promise<AttemptOutcome> {
    if (this.send) {
      try {
        const response = await this.send(url, { accept, 'user-agent': this.userAgent }, this.timeoutMs);
        return { kind: 'response', ...response };
      } catch (error) {
        if ((error as { retryable?: unknown }).retryable === false) throw error;
        return { kind: 'network-error', description: (error as Error).message };
      }
    }
    try {
      const response = await fetch(url, {
        headers: { accept, 'user-agent': this.userAgent },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Read inside the same try: a body cut off or stalled is a network failure like any other.
      const body = await response.text();
      return { kind: 'response', status: response.status, headers: response.headers, body };
    } catch (error) {
      return { kind: 'network-error', description: this.describeNetworkError(error) };
    }
  }

  private delayBeforeRetry(outcome: AttemptOutcome, attempt: number): number {
    const backoff = backoffDelayMs(attempt, this.backoffBaseMs);
    if (outcome.kind !== 'response' || !honoursRetryAfter(outcome.status)) return backoff;
    const retryAfter = parseRetryAfterMs(outcome.headers.get('retry-after'));
    return retryAfter === null ? backoff : Math.max(backoff, Math.min(retryAfter, this.maxRetryAfterMs));
  }

  private failure(url: URL, outcome: AttemptOutcome, attempts: number, retryable: boolean): CtgovRequestError {
    if (outcome.kind === 'network-error') {
      return new CtgovRequestError({ url: url.href, status: null, attempts, cause: outcome.description, retryable });
    }
    return new CtgovRequestError({
      url: url.href,
      status: outcome.status,
      attempts,
      cause: this.quoteErrorBodies ? serverMessage(outcome.body) : null,
      retryable,
    });
  }

  private describeNetworkError(error: unknown): string {
    // Duck-typed: fetch's errors come from Node's own realm, where `instanceof Error` can fail (e.g. under Jest's VM).
    const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: unknown };
    if (name === 'TimeoutError' || name === 'AbortError') return `no response within ${this.timeoutMs} ms`;
    const { code, message: causeMessage } = (cause ?? {}) as { code?: unknown; message?: unknown };
    if (typeof causeMessage === 'string') return typeof code === 'string' ? `${code}: ${causeMessage}` : causeMessage;
    return typeof message === 'string' ? message : String(error);
  }
}

const MESSAGE_EXCERPT_LENGTH = 300;

/** What an error body says, short enough for a log line: API v2 errors are JSON `{ message }` or plain text. */
export const serverMessage = (body: string): string | null => {
  let text = body.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { message?: unknown }).message === 'string') {
      text = (parsed as { message: string }).message;
    }
  } catch {
    // Not JSON: the text itself is the message.
  }
  if (!text) return null;
  return text.length > MESSAGE_EXCERPT_LENGTH ? `${text.slice(0, MESSAGE_EXCERPT_LENGTH)}…` : text;
};

/** Parses a JSON body, reporting unreadable JSON through `problem` instead of throwing a SyntaxError. */
export const parseJsonBody = (response: CtgovResponse, problem: (reason: string) => Error): unknown => {
  try {
    return JSON.parse(response.body);
  } catch (error) {
    const contentType = response.headers.get('content-type') ?? 'no content type';
    throw problem(`the body is not JSON (${contentType}): ${(error as Error).message}`);
  }
};

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** How a value that is not what was expected looks, for error messages (never the value itself: it may be huge). */
export const describeShape = (value: unknown): string => {
  if (isRecord(value)) return `an object with keys [${Object.keys(value).join(', ')}]`;
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value;
};
