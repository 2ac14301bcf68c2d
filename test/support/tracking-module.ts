import { CqrsModule } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import { InfrastructureModule } from '@app/infrastructure';
import { IngestionModule } from '@app/tracking/ingestion';
import { NotificationsModule } from '@app/tracking/notifications';
import { ReadModelsModule } from '@app/tracking/read-models';
import { WatchlistsModule } from '@app/tracking/watchlists';
import type { TestEnvironment } from './test-environment.js';

/** The use cases wired to the test environment's PostgreSQL and Redis, without HTTP or workers. */
export const createTrackingModule = async (environment: TestEnvironment): Promise<TestingModule> => {
  const module = await Test.createTestingModule({
    imports: [
      InfrastructureModule.forRoot(environment.config),
      CqrsModule.forRoot(),
      IngestionModule,
      ReadModelsModule,
      WatchlistsModule,
      NotificationsModule,
    ],
  }).compile();
  await module.init();
  return module;
};
