import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { QUEUES } from './queue-names.js';
import { redisOptionsFromUrl } from './redis-connection.js';

// Workers take their connection from their queue's registration, so queues keep the shared
// connection (which waits for Redis to come back); producers bound their own waits instead
// (boundedQueueCall). With the offline queue turned off, a worker's fetch fails at once while Redis
// is away, and BullMQ retries it in a tight loop.
const producerQueues = BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name })));

/** BullMQ on Redis: every queue and worker shares the configured key prefix. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: redisOptionsFromUrl(config.redisUrl),
        prefix: config.redisPrefix,
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
