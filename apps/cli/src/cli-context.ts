import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { InfrastructureModule } from '@app/infrastructure';
import { IngestionModule } from '@app/tracking/ingestion';
import { NotificationsModule } from '@app/tracking/notifications';
import { ReadModelsModule } from '@app/tracking/read-models';
import { SignalsModule } from '@app/tracking/signals';
import { WatchlistsModule } from '@app/tracking/watchlists';

/** The CLI uses ingestion (bulk), queries and projections (rebuild, catch up), watchlists and subscriptions. */
@Module({})
class CliModule {
  static forRoot(): DynamicModule {
    return {
      module: CliModule,
      imports: [
        InfrastructureModule.forRoot(),
        CqrsModule.forRoot(),
        IngestionModule,
        ReadModelsModule,
        WatchlistsModule,
        NotificationsModule,
        SignalsModule,
      ],
    };
  }
}

/** Runs `work` with the use cases wired to PostgreSQL and Redis, then closes every connection. */
export const withContext = async <T>(work: (context: INestApplicationContext) => Promise<T>): Promise<T> => {
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(), { logger: ['error', 'warn'] });
  try {
    return await work(context);
  } finally {
    await context.close();
  }
};
