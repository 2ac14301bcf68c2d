import { FindRegistryAbsencesHandler } from './registry-presence/find-registry-absences.handler.js';
import { Module } from '@nestjs/common';
import { CtgovClient, CtgovHistoryClient, CtgovHttp } from '@app/ctgov-client';
import { APP_CONFIG, type AppConfig } from '@app/infrastructure';
import { CreateWatchlistHandler } from './manage/create-watchlist.handler.js';
import { DeleteWatchlistHandler } from './manage/delete-watchlist.handler.js';
import { GetWatchlistHandler } from './manage/get-watchlist.handler.js';
import { GetWatchlistRunHandler } from './manage/get-watchlist-run.handler.js';
import { ListWatchedTrialsHandler } from './manage/list-watched-trials.handler.js';
import { ListWatchlistRunsHandler } from './manage/list-watchlist-runs.handler.js';
import { ListWatchlistsHandler } from './manage/list-watchlists.handler.js';
import { RequestWatchlistSyncHandler } from './manage/request-watchlist-sync.handler.js';
import { UpdateWatchlistHandler } from './manage/update-watchlist.handler.js';
import { WatchlistsController } from './manage/watchlists.controller.js';
import { GetWatchlistTrialsHandler } from './membership/get-watchlist-trials.handler.js';
import { WatchlistScheduler } from './schedules/watchlist-scheduler.js';
import { RegistryPageFetcher } from './sync/registry-page-fetcher.js';
import { CTGOV_SITE, RegistryRateLimits } from './sync/registry-rate-limits.js';
import { WatchlistSync } from './sync/watchlist-sync.js';
import { WatchlistsProcessor } from './sync/watchlists.processor.js';
import { WatchlistStore } from './watchlist-store.js';

/**
 * One HTTP layer per process for both ClinicalTrials.gov adapters, taking its turns from the
 * installation's shared limit for the site (RegistryRateLimits), with the registry pages fetched from it.
 */
const RegistryClients = [
  RegistryRateLimits,
  {
    provide: CtgovHttp,
    inject: [APP_CONFIG, RegistryRateLimits],
    useFactory: ({ ctgov }: AppConfig, limits: RegistryRateLimits) =>
      new CtgovHttp({
        baseUrl: ctgov.baseUrl,
        requestsPerSecond: ctgov.requestsPerSecond,
        turns: limits.turnsFor(CTGOV_SITE),
        timeoutMs: ctgov.timeoutMs,
        maxRetries: ctgov.maxRetries,
        backoffBaseMs: ctgov.backoffBaseMs,
      }),
  },
  { provide: CtgovClient, inject: [CtgovHttp], useFactory: (http: CtgovHttp) => new CtgovClient(http) },
  { provide: CtgovHistoryClient, inject: [CtgovHttp], useFactory: (http: CtgovHttp) => new CtgovHistoryClient(http) },
];

/**
 * Watchlists: trials to keep in sync with ClinicalTrials.gov on a schedule (NCT IDs, searches, registry
 * pages), their runs, and which trials each one watches. Syncs feed documents through ingestion's commands.
 */
@Module({
  providers: [
    CreateWatchlistHandler,
    UpdateWatchlistHandler,
    DeleteWatchlistHandler,
    RequestWatchlistSyncHandler,
    GetWatchlistHandler,
    ListWatchlistsHandler,
    ListWatchlistRunsHandler,
    ListWatchedTrialsHandler,
    GetWatchlistRunHandler,
    GetWatchlistTrialsHandler,
    FindRegistryAbsencesHandler,
    WatchlistStore,
    WatchlistScheduler,
    WatchlistSync,
    RegistryPageFetcher,
    ...RegistryClients,
  ],
  // For this context's HTTP and worker modules only; other contexts use the commands and queries.
  exports: [WatchlistStore, WatchlistScheduler, WatchlistSync],
})
export class WatchlistsModule {}

/** Watchlists managed over HTTP (the api). */
@Module({ imports: [WatchlistsModule], controllers: [WatchlistsController] })
export class WatchlistsHttpModule {}

/** Scheduled and requested syncs run (the worker). */
@Module({ imports: [WatchlistsModule], providers: [WatchlistsProcessor] })
export class WatchlistsWorkerModule {}
