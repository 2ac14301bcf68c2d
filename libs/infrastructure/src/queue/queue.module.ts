import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { QUEUES } from './queue-names.js';
import { redisOptionsFromUrl } from './redis-connection.js';

const producerQueues = BullModule.registerQueueAsync(
  ...Object.values(QUEUES).map((name) => ({
    name,
    inject: [APP_CONFIG],
    // Producers fail fast while Redis is away instead of hanging a request; jobs are wake-ups and
    // whatever they announce is already committed in PostgreSQL.
    useFactory: (config: AppConfig) => ({
      connection: { ...redisOptionsFromUrl(config.redisUrl), enableOfflineQueue: false },
    }),
  })),
);

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
