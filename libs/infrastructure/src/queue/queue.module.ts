import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { QUEUES } from './queue-names.js';
import { RedisConnections } from './redis-connections.js';
import { ReportedQueue, ReportedWorker } from './reported-queues.js';

// Every queue and worker the module makes logs its errors (see ReportedQueue); set before the
// registrations below, which read them.
BullModule.queueClass = ReportedQueue;
BullModule.workerClass = ReportedWorker;

// Workers take their connection and prefix from their queue's registration, so queues keep the
// shared connection (which waits for Redis to come back); producers bound their own waits instead
// (boundedQueueCall). With the offline queue turned off, a worker's fetch fails at once while Redis
// is away, and BullMQ retries it in a tight loop.
const producerQueues = BullModule.registerQueueAsync(
  ...Object.values(QUEUES).map((name) => ({
    name,
    inject: [RedisConnections],
    useFactory: (connections: RedisConnections) => ({ prefix: connections.queuePrefix(name) }),
  })),
);

/** BullMQ on Redis (one server or a cluster, see RedisConnections): every queue and worker shares the configured key prefix. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [RedisConnections],
      useFactory: (connections: RedisConnections) => ({
        connection: connections.forBullMq(),
        defaultJobOptions: {
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      }),
    }),
    producerQueues,
  ],
  exports: [producerQueues],
})
export class QueueModule {}
