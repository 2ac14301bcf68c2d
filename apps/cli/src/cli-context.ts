import 'reflect-metadata';
import { ConsoleLogger, type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { InfrastructureModule } from '@app/infrastructure';
import { IngestionModule } from '@app/tracking/ingestion';
import { NotificationsModule } from '@app/tracking/notifications';
import { ReadModelsModule } from '@app/tracking/read-models';
import { SignalsModule } from '@app/tracking/signals';
import { WatchlistsModule } from '@app/tracking/watchlists';
import { StartFailedError } from './cli-error.js';

/*
 * What the commands use of the application. The commands' definitions import none of it (lint checks
 * this): an action imports this module when it runs, so `trialwatch --help`, `parse` and a mistyped
 * option start without loading NestJS, TypeORM, BullMQ and every context.
 */
export { CommandBus, QueryBus } from '@nestjs/cqrs';
export { APP_CONFIG } from '@app/infrastructure';
export { sha256Hex } from '@app/registry-formats';
export {
  CompressStoredContentsCommand,
  FindIngestedContentsQuery,
  IngestSnapshotsCommand,
  ListIngestionsQuery,
  RetryIngestionCommand,
} from '@app/tracking/ingestion';
export {
  CreateSubscriptionCommand,
  DeleteSubscriptionCommand,
  EnableSubscriptionCommand,
  GetDeliveryLogQuery,
  ListSubscriptionsQuery,
  RecoverSubscriptionCommand,
  RotateSubscriptionSecretCommand,
} from '@app/tracking/notifications';
export {
  allPages,
  CatchUpProjectionsCommand,
  CHANGE_COLUMNS,
  changePages,
  GetHygieneReportQuery,
  GetOutcomeSwitchingReportQuery,
  GetProjectionStatusQuery,
  GetResultsDueReportQuery,
  GetStatusHistoryQuery,
  HYGIENE_COLUMNS,
  ListStatusPeriodsQuery,
  OUTCOME_SWITCHING_COLUMNS,
  RebuildProjectionCommand,
  RESULTS_DUE_COLUMNS,
  STATUS_PERIOD_COLUMNS,
  switchRowsOf,
  writeCsv,
  writeJsonLines,
} from '@app/tracking/read-models';
export { CheckSignalsCommand } from '@app/tracking/signals';
export {
  CreateWatchlistCommand,
  DeleteWatchlistCommand,
  ListWatchedTrialsQuery,
  ListWatchlistRunsQuery,
  ListWatchlistsQuery,
  RequestWatchlistSyncCommand,
} from '@app/tracking/watchlists';

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

/**
 * Runs `work` with the use cases wired to PostgreSQL and Redis, then closes every connection. A start
 * that fails (PostgreSQL not there within DATABASE_STARTUP_WAIT, a bad setting) is thrown to the
 * command, to be told in one line, rather than logged by Nest as a stack trace before it exits.
 */
export const withContext = async <T>(work: (context: INestApplicationContext) => Promise<T>): Promise<T> => {
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(), {
    logger: false,
    abortOnError: false,
  }).catch((failure: unknown) => {
    throw new StartFailedError(failure);
  });
  context.useLogger(new ConsoleLogger({ logLevels: ['error', 'warn'] }));
  try {
    return await work(context);
  } finally {
    await context.close();
  }
};
