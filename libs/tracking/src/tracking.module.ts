import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CqrsModule } from '@nestjs/cqrs';
import { AcceptSnapshotHandler } from './ingest-snapshot/accept-snapshot.handler.js';
import { GetIngestionHandler } from './ingest-snapshot/get-ingestion.handler.js';
import { GetSnapshotContentHandler } from './ingest-snapshot/get-snapshot-content.handler.js';
import { IngestProcessor } from './ingest-snapshot/ingest.processor.js';
import { IngestSnapshotsHandler } from './ingest-snapshot/ingest-snapshots.handler.js';
import { SnapshotAppender } from './ingest-snapshot/snapshot-appender.js';
import { IngestionSweeper } from './ingest-snapshot/ingestion-sweeper.js';
import { ProcessIngestionHandler } from './ingest-snapshot/process-ingestion.handler.js';
import { SnapshotStore } from './ingest-snapshot/snapshot-store.js';
import { SnapshotsController } from './ingest-snapshot/snapshots.controller.js';
import { GetChangeFeedController } from './get-change-feed/get-change-feed.controller.js';
import { GetChangeFeedHandler } from './get-change-feed/get-change-feed.handler.js';
import { GetFieldHistoryController } from './get-field-history/get-field-history.controller.js';
import { GetFieldHistoryHandler } from './get-field-history/get-field-history.handler.js';
import { GetStatusHistoryController } from './get-status-history/get-status-history.controller.js';
import { GetStatusHistoryHandler } from './get-status-history/get-status-history.handler.js';
import { HealthController } from './health/health.controller.js';
import { GetTrialController } from './get-trial/get-trial.controller.js';
import { GetTrialHandler } from './get-trial/get-trial.handler.js';
import { GetTrialEventsController } from './get-trial-events/get-trial-events.controller.js';
import { GetTrialEventsHandler } from './get-trial-events/get-trial-events.handler.js';
import { MaintenanceProcessor } from './maintenance/maintenance.processor.js';
import { GetProjectionStatusHandler } from './projections/get-projection-status.handler.js';
import { PROJECTION_PROVIDERS } from './projections/projection-registry.js';
import { ProjectionRebuilder } from './projections/projection-rebuilder.js';
import { ProjectionRunner } from './projections/projection-runner.js';
import { EventConsumersWaker } from './shared/event-consumers-waker.js';
import { ProjectionsProcessor } from './projections/projections.processor.js';
import { RebuildProjectionHandler } from './projections/rebuild-projection.handler.js';
import { SearchTrialsController } from './search-trials/search-trials.controller.js';
import { SearchTrialsHandler } from './search-trials/search-trials.handler.js';
import { TrialLookup } from './shared/trial-lookup.js';
import { JobSchedules } from './shared/job-schedules.js';
import { Metrics } from './metrics/metrics.js';
import { MetricsCollector } from './metrics/metrics-collector.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { WorkerMetricsServer } from './metrics/worker-metrics-server.js';
import { DropFolderScanner } from './drop-folder/drop-folder-scanner.js';
import {
  WATCHLIST_COMMAND_HANDLERS,
  WATCHLIST_QUERY_HANDLERS,
} from './watchlists/manage-watchlists/watchlist-handlers.js';
import { WatchlistsController } from './watchlists/manage-watchlists/watchlists.controller.js';
import { RegistryPageFetcher } from './watchlists/sync-watchlist/registry-page-fetcher.js';
import { WatchlistSync } from './watchlists/sync-watchlist/watchlist-sync.js';
import { WatchlistsProcessor } from './watchlists/sync-watchlist/watchlists.processor.js';
import { WatchlistScheduler } from './watchlists/watchlist-scheduler.js';
import { WatchlistStore } from './watchlists/watchlist-store.js';
import { CtgovClient, CtgovHistoryClient, CtgovHttp } from '@app/ctgov-client';
import { ChangeStreamController } from './notifications/change-stream/change-stream.controller.js';
import { FeedsController } from './notifications/feeds/feeds.controller.js';
import {
  SUBSCRIPTION_COMMAND_HANDLERS,
  SUBSCRIPTION_QUERY_HANDLERS,
} from './notifications/subscriptions/subscription-handlers.js';
import { SubscriptionStore } from './notifications/subscriptions/subscription-store.js';
import { SubscriptionsController } from './notifications/subscriptions/subscriptions.controller.js';
import { NotificationMatcher } from './notifications/webhooks/notification-matcher.js';
import { NotificationsProcessor } from './notifications/webhooks/notifications.processor.js';
import { WebhookDeliverer } from './notifications/webhooks/webhook-deliverer.js';
import { APP_CONFIG, type AppConfig } from '@app/infrastructure';

const ctgovOptions = (config: AppConfig) => ({
  baseUrl: config.ctgov.baseUrl,
  requestsPerSecond: config.ctgov.requestsPerSecond,
  timeoutMs: config.ctgov.timeoutMs,
  maxRetries: config.ctgov.maxRetries,
  backoffBaseMs: config.ctgov.backoffBaseMs,
});

/** One HTTP layer per process for both ClinicalTrials.gov adapters, so one rate limit covers every request. */
const RegistryClients = [
  { provide: CtgovHttp, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new CtgovHttp(ctgovOptions(config)) },
  { provide: CtgovClient, inject: [CtgovHttp], useFactory: (http: CtgovHttp) => new CtgovClient(http) },
  { provide: CtgovHistoryClient, inject: [CtgovHttp], useFactory: (http: CtgovHttp) => new CtgovHistoryClient(http) },
];

const CommandHandlers = [
  AcceptSnapshotHandler,
  ProcessIngestionHandler,
  IngestSnapshotsHandler,
  RebuildProjectionHandler,
  ...WATCHLIST_COMMAND_HANDLERS,
  ...SUBSCRIPTION_COMMAND_HANDLERS,
];
const QueryHandlers = [
  GetIngestionHandler,
  GetSnapshotContentHandler,
  GetTrialHandler,
  GetStatusHistoryHandler,
  GetFieldHistoryHandler,
  GetTrialEventsHandler,
  SearchTrialsHandler,
  GetChangeFeedHandler,
  GetProjectionStatusHandler,
  ...WATCHLIST_QUERY_HANDLERS,
  ...SUBSCRIPTION_QUERY_HANDLERS,
];
const Services = [
  SnapshotStore,
  SnapshotAppender,
  TrialLookup,
  IngestionSweeper,
  ProjectionRunner,
  ProjectionRebuilder,
  EventConsumersWaker,
  ...PROJECTION_PROVIDERS,
  WatchlistStore,
  WatchlistScheduler,
  WatchlistSync,
  RegistryPageFetcher,
  DropFolderScanner,
  ...RegistryClients,
  SubscriptionStore,
  NotificationMatcher,
  WebhookDeliverer,
  Metrics,
  MetricsCollector,
];
const Controllers = [
  HealthController,
  MetricsController,
  SnapshotsController,
  SearchTrialsController,
  GetTrialController,
  GetStatusHistoryController,
  GetFieldHistoryController,
  GetTrialEventsController,
  GetChangeFeedController,
  ChangeStreamController,
  WatchlistsController,
  SubscriptionsController,
  FeedsController,
];
const Processors = [
  IngestProcessor,
  ProjectionsProcessor,
  MaintenanceProcessor,
  WatchlistsProcessor,
  NotificationsProcessor,
  WorkerMetricsServer,
  JobSchedules,
];

/** The use cases, for any app: commands, queries and the services behind them. */
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [...CommandHandlers, ...QueryHandlers, ...Services],
  exports: [CqrsModule, ...Services],
})
export class TrackingModule {}

/** The HTTP face of the use cases (the api app). */
@Module({ imports: [TrackingModule, TerminusModule], controllers: [...Controllers] })
export class TrackingHttpModule {}

/** The queue workers (the worker app). */
@Module({ imports: [TrackingModule], providers: [...Processors] })
export class TrackingWorkersModule {}
