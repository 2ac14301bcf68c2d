import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { type AppConfig, InfrastructureModule, LoggingModule } from '@app/infrastructure';
import { IngestionWorkerModule } from '@app/tracking/ingestion';
import { NotificationsWorkerModule } from '@app/tracking/notifications';
import { OperationsWorkerModule } from '@app/tracking/operations';
import { ReadModelsModule, ReadModelsWorkerModule } from '@app/tracking/read-models';
import { SignalsModule, SignalsWorkerModule } from '@app/tracking/signals';
import { WatchlistsModule, WatchlistsWorkerModule } from '@app/tracking/watchlists';

/** The worker runs ingestion (process), projections, notifications (match, deliver), watchlist syncs, the daily signal check and its metrics. */
@Module({})
export class WorkerModule {
  static forRoot(overrides: Partial<AppConfig> = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        InfrastructureModule.forRoot({ deliversWebhooks: true, ...overrides }),
        CqrsModule.forRoot(),
        LoggingModule,
        IngestionWorkerModule,
        ReadModelsModule,
        ReadModelsWorkerModule,
        WatchlistsModule,
        WatchlistsWorkerModule,
        NotificationsWorkerModule,
        SignalsModule,
        SignalsWorkerModule,
        OperationsWorkerModule,
      ],
    };
  }
}
