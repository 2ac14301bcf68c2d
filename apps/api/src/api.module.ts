import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import {
  ApiKeyGuard,
  type AppConfig,
  InfrastructureModule,
  LoggingModule,
  SnapshotRateLimit,
} from '@app/infrastructure';
import { IngestionHttpModule } from '@app/tracking/ingestion';
import { NotificationsHttpModule } from '@app/tracking/notifications';
import { OperationsHttpModule } from '@app/tracking/operations';
import { ReadModelsHttpModule, ReadModelsModule } from '@app/tracking/read-models';
import { WatchlistsHttpModule, WatchlistsModule } from '@app/tracking/watchlists';
import { WebModule } from '@app/tracking/web';

/** The api serves ingestion (accept), queries, notifications, watchlists (manage), the web pages and operations. */
@Module({})
export class ApiModule {
  static forRoot(overrides: Partial<AppConfig> = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        InfrastructureModule.forRoot(overrides),
        CqrsModule.forRoot(),
        LoggingModule,
        IngestionHttpModule,
        ReadModelsModule,
        ReadModelsHttpModule,
        WatchlistsModule,
        WatchlistsHttpModule,
        NotificationsHttpModule,
        WebModule,
        OperationsHttpModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }, SnapshotRateLimit],
    };
  }
}
