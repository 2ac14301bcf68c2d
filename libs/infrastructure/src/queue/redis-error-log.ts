export interface RedisErrorLine {
  /** The driver's words, e.g. `connect ECONNREFUSED 127.0.0.1:6379`. */
  message: string;
  /** The queue or worker that met it first since the last line. */
  source: string;
  /** How many more times it was met since the last line, and by which queues and workers. */
  repeats: number;
  repeatedBy: string[];
}

interface Pending {
  loggedAt: number;
  repeats: number;
  repeatedBy: Set<string>;
}

/**
 * BullMQ's queues and workers report every failed command and reconnection as an `'error'` event:
 * while Redis is away, several a second for each of them. This turns them into one line per error
 * message per interval, naming who met it and how often since the last line. Time comes in as an
 * argument (ms on any monotonic clock).
 */
export class RedisErrorLog {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly write: (line: RedisErrorLine) => void,
    private readonly intervalMs = 30_000,
  ) {}

  report(source: string, error: Error, at: number): void {
    const message = error.message || error.name;
    const pending = this.pending.get(message);
    if (pending && at - pending.loggedAt < this.intervalMs) {
      pending.repeats += 1;
      pending.repeatedBy.add(source);
      return;
    }
    this.write({
      message,
      source,
      repeats: pending?.repeats ?? 0,
      repeatedBy: pending ? [...pending.repeatedBy].sort() : [],
    });
    this.pending.set(message, { loggedAt: at, repeats: 0, repeatedBy: new Set() });
  }
}

/** A line as an operator reads it. */
export const describeRedisError = ({ message, source, repeats, repeatedBy }: RedisErrorLine): string =>
  `Redis: ${message} (${source}); queued work waits and BullMQ reconnects until Redis is back` +
  (repeats > 0 ? `; ${repeats} more since the last such line, from ${repeatedBy.join(', ')}` : '');
