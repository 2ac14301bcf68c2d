import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, type Answer } from './answer.js';

/**
 * What the fake does instead of answering normally, once per matching request:
 * - `status`: answer with this status (and Retry-After, when given) and a JSON `{ message }`;
 * - `delay`: answer normally, but only after `ms` (beyond a client's timeout, the client never sees it);
 * - `drop`: destroy the socket without any response;
 * - `body`: answer with this raw body (default status 200, JSON content type), e.g. a changed shape.
 */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' }
  | { kind: 'body'; body: string; status?: number; contentType?: string };

interface QueuedFault {
  fault: Fault;
  match: (url: URL) => boolean;
}

/** Faults queued for the next matching requests, and the delayed answers still to be sent. */
export class FaultInjector {
  private readonly queued: QueuedFault[] = [];
  private readonly pendingAnswers = new Set<NodeJS.Timeout>();

  /** The next requests that `match` (default: any) get these faults, one each and in order; later ones are normal. */
  inject(faults: Fault[], match: (url: URL) => boolean = () => true): void {
    this.queued.push(...faults.map((fault) => ({ fault, match })));
  }

  /**
   * Answers one request: with the first queued fault that matches its URL (taking it from the queue),
   * else at once with `answer()`.
   */
  handle(
    url: URL,
    request: IncomingMessage,
    response: ServerResponse,
    reply: (answer: Answer) => void,
    answer: () => Answer,
  ): void {
    const fault = this.take(url);
    switch (fault?.kind) {
      case 'drop':
        request.socket.destroy();
        return;
      case 'status':
        reply({
          ...json(fault.status, { message: `injected fault: HTTP ${fault.status}` }),
          headers: fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter },
        });
        return;
      case 'body':
        reply({
          status: fault.status ?? 200,
          body: fault.body,
          headers: { 'content-type': fault.contentType ?? 'application/json' },
        });
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          this.pendingAnswers.delete(timer);
          reply(answer());
        }, fault.ms);
        this.pendingAnswers.add(timer);
        response.once('close', () => {
          clearTimeout(timer);
          this.pendingAnswers.delete(timer);
        });
        return;
      }
      case undefined:
        reply(answer());
    }
  }

  /** Drops the delayed answers not sent yet (the server is stopping). */
  cancelPending(): void {
    for (const timer of this.pendingAnswers) clearTimeout(timer);
    this.pendingAnswers.clear();
  }

  private take(url: URL): Fault | undefined {
    const index = this.queued.findIndex((queued) => queued.match(url));
    return index === -1 ? undefined : this.queued.splice(index, 1)[0]!.fault;
  }
}
