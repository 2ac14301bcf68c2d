import { Queue, Worker } from 'bullmq';
import { pino } from 'pino';
import { describeRedisError, RedisErrorLog } from './redis-error-log.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

let logger: pino.Logger | null = null;

/**
 * One log for every queue and worker of the process. Its lines go to stderr as they happen, as JSON at
 * warn: Nest holds its own logs back until the app has started (a worker waits for Redis before it
 * has), and a CLI command's stdout is its output. The level is LOG_LEVEL's, which the configuration
 * has already checked.
 */
const redisErrors = new RedisErrorLog((line) => {
  const level = process.env['LOG_LEVEL']?.trim() ?? '';
  logger ??= pino({ level: LOG_LEVELS.includes(level) ? level : 'info' }, pino.destination(2));
  logger.warn({ context: 'Redis' }, describeRedisError(line));
});

/**
 * BullMQ's Queue, its errors logged: without a listener, BullMQ writes each one to the console as a
 * bare stack trace, several a second while Redis is away.
 */
export class ReportedQueue extends Queue {
  constructor(...args: ConstructorParameters<typeof Queue>) {
    super(...args);
    this.on('error', (error) => redisErrors.report(`queue ${this.name}`, error, performance.now()));
  }
}

/** BullMQ's Worker, its errors logged as the queues' are. */
export class ReportedWorker extends Worker {
  constructor(...args: ConstructorParameters<typeof Worker>) {
    super(...args);
    this.on('error', (error) => redisErrors.report(`worker ${this.name}`, error, performance.now()));
  }
}
