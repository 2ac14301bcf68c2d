import { Queue, Worker } from 'bullmq';
import type { pino } from 'pino';
import { describeRedisError, RedisErrorLog } from './redis-error-log.js';
import { stderrLogger } from '../logging/stderr-logger.js';

let logger: pino.Logger | null = null;

/**
 * One log for every queue and worker of the process, on stderr as the lines happen (a worker waits for
 * Redis before it has started), at LOG_LEVEL's level.
 */
const redisErrors = new RedisErrorLog((line) => {
  logger ??= stderrLogger(process.env['LOG_LEVEL']?.trim() ?? '');
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
