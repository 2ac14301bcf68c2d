import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { type AppConfig, InfrastructureModule } from '@app/infrastructure';
import { IngestionModule } from '@app/tracking/ingestion';
import { NotificationsModule } from '@app/tracking/notifications';
import { ReadModelsModule } from '@app/tracking/read-models';
import { WatchlistsModule } from '@app/tracking/watchlists';

@Module({})
class BenchModule {
  static forRoot(config: Partial<AppConfig>): DynamicModule {
    return {
      module: BenchModule,
      imports: [
        InfrastructureModule.forRoot(config),
        CqrsModule.forRoot(),
        IngestionModule,
        ReadModelsModule,
        WatchlistsModule,
        NotificationsModule,
      ],
    };
  }
}

/** The use cases in this process, as the CLI runs them (the bulk ingestion path). */
export const createBenchContext = (config: Partial<AppConfig>): Promise<INestApplicationContext> =>
  NestFactory.createApplicationContext(BenchModule.forRoot(config), { logger: ['error', 'warn'] });
