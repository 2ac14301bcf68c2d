import { DomainError } from '@app/domain';

/** How long a producer waits for Redis before it goes on without it. */
export const QUEUE_CALL_TIMEOUT_MS = 1_500;

export class QueueUnavailableError extends DomainError {
  readonly code = 'queue.unavailable';
  readonly kind = 'unavailable' as const;

  constructor(timeoutMs: number) {
    super(`The job queue (Redis) did not answer within ${timeoutMs} ms; try again later`, { timeoutMs });
  }
}

/**
 * Waits at most `timeoutMs` for a queue call. Queue connections keep commands while Redis is away (the
 * workers need that to resume by themselves), so a producer would otherwise hang until Redis returns.
 * A call given up on still runs when Redis is back; every job this application adds is idempotent
 * (a job id or a deduplication id), so a late one is harmless.
 */
export const boundedQueueCall = <T>(call: Promise<T>, timeoutMs = QUEUE_CALL_TIMEOUT_MS): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(timeoutMs)), timeoutMs);
    timer.unref();
  });
  // A call that fails after the timeout has nobody left to tell.
  call.catch(() => undefined);
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
};
