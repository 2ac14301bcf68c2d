import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { Clock } from './clock/clock.js';
import { DatabaseModule } from './database/database.module.js';
import { AppendedEventsSignal } from './event-store/appended-events-signal.js';
import { EventStore } from './event-store/event-store.js';
import { Metrics } from './metrics/metrics.js';
import { JobSchedules } from './queue/job-schedules.js';
import { QueueModule } from './queue/queue.module.js';
import { RedisModule } from './queue/redis-connections.js';
import { OutboundModule } from './outbound/outbound.module.js';
import { ServerShutdown } from './http/shutdown/server-shutdown.js';

/** Configuration, PostgreSQL, the event store, BullMQ, the outbound policy and the clock, for every app. */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(overrides: Partial<AppConfig> = {}): DynamicModule {
    return {
      module: InfrastructureModule,
      imports: [ConfigModule.forRoot(overrides), DatabaseModule, RedisModule, QueueModule, OutboundModule],
      providers: [EventStore, AppendedEventsSignal, Clock, Metrics, JobSchedules, ServerShutdown],
      exports: [
        ServerShutdown,
        EventStore,
        AppendedEventsSignal,
        Clock,
        Metrics,
        JobSchedules,
        DatabaseModule,
        RedisModule,
        QueueModule,
        OutboundModule,
      ],
    };
  }
}
