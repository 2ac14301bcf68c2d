import type { EventEmitter } from 'node:events';
import { DataSource } from 'typeorm';
import { alignStoreTransactionIds } from '../event-store/store-transaction-ids.js';
import { EventStore1763790000000 } from './migrations/1763790000000-event-store.js';
import { ReadModels1763790100000 } from './migrations/1763790100000-read-models.js';
import { Watchlists1763790200000 } from './migrations/1763790200000-watchlists.js';
import { Notifications1763790300000 } from './migrations/1763790300000-notifications.js';
import { LeanStorage1763790400000 } from './migrations/1763790400000-lean-storage.js';
import { WatchlistTrials1764770000000 } from './migrations/1764770000000-watchlist-trials.js';
import { LearnedOutcome1764780000000 } from './migrations/1764780000000-learned-outcome.js';
import { TrialObservations1764790000000 } from './migrations/1764790000000-trial-observations.js';
import { TrialSignals1764850000000 } from './migrations/1764850000000-trial-signals.js';
import { SignalAnnouncements1764850000001 } from './migrations/1764850000001-signal-announcements.js';
import { OutcomeSwitches1764850000002 } from './migrations/1764850000002-outcome-switches.js';
import { ChangeMateriality1764850000003 } from './migrations/1764850000003-change-materiality.js';
import { WebhookSequence1764860000000 } from './migrations/1764860000000-webhook-sequence.js';
import { FailedIngestions1764861000000 } from './migrations/1764861000000-failed-ingestions.js';
import { ChangeFeedFilterFacts1764862000000 } from './migrations/1764862000000-change-feed-filter-facts.js';
import { WatchedTrials1764863000000 } from './migrations/1764863000000-watched-trials.js';
import { StreamStates1764870000000 } from './migrations/1764870000000-stream-states.js';
import { CurrentStateWithoutDocument1764880100000 } from './migrations/1764880100000-current-state-without-document.js';
import { CurrentStateUnusedIndexes1764880200000 } from './migrations/1764880200000-current-state-unused-indexes.js';
import { ChangeFeedWithoutEventKey1764890000000 } from './migrations/1764890000000-change-feed-without-event-key.js';
import { EventsWithoutTypeIndex1764900000000 } from './migrations/1764900000000-events-without-type-index.js';
import { IngestionsUnusedIndexes1764900000001 } from './migrations/1764900000001-ingestions-unused-indexes.js';
import { CompressedContents1764910000000 } from './migrations/1764910000000-compressed-contents.js';
import { WatchlistSyncedSearch1764920000000 } from './migrations/1764920000000-watchlist-synced-search.js';
import { MergedNctIds1764930000000 } from './migrations/1764930000000-merged-nct-ids.js';
import { OutcomeSwitchVersions1764940000000 } from './migrations/1764940000000-outcome-switch-versions.js';
import { RegistryAbsences1764945000000 } from './migrations/1764945000000-registry-absences.js';
import { DeletedWatchlistSubscriptions1764950000000 } from './migrations/1764950000000-deleted-watchlist-subscriptions.js';
import { DeliveryRestarts1765000000000 } from './migrations/1765000000000-delivery-restarts.js';
import { HygieneRecordDates1765010000000 } from './migrations/1765010000000-hygiene-record-dates.js';
import { StoreTransactionIds1765023000000 } from './migrations/1765023000000-store-transaction-ids.js';
import { IngestionMediaTypes1765030000000 } from './migrations/1765030000000-ingestion-media-types.js';
import { ResultsSubmittedOn1765040000000 } from './migrations/1765040000000-results-submitted-on.js';

/** Every migration, in order. Listed explicitly: no file globbing at run time. */
export const MIGRATIONS = [
  EventStore1763790000000,
  ReadModels1763790100000,
  Watchlists1763790200000,
  Notifications1763790300000,
  LeanStorage1763790400000,
  WatchlistTrials1764770000000,
  LearnedOutcome1764780000000,
  TrialObservations1764790000000,
  TrialSignals1764850000000,
  SignalAnnouncements1764850000001,
  OutcomeSwitches1764850000002,
  ChangeMateriality1764850000003,
  WebhookSequence1764860000000,
  FailedIngestions1764861000000,
  ChangeFeedFilterFacts1764862000000,
  WatchedTrials1764863000000,
  StreamStates1764870000000,
  CurrentStateWithoutDocument1764880100000,
  CurrentStateUnusedIndexes1764880200000,
  ChangeFeedWithoutEventKey1764890000000,
  EventsWithoutTypeIndex1764900000000,
  IngestionsUnusedIndexes1764900000001,
  CompressedContents1764910000000,
  WatchlistSyncedSearch1764920000000,
  MergedNctIds1764930000000,
  OutcomeSwitchVersions1764940000000,
  RegistryAbsences1764945000000,
  DeletedWatchlistSubscriptions1764950000000,
  DeliveryRestarts1765000000000,
  HygieneRecordDates1765010000000,
  StoreTransactionIds1765023000000,
  IngestionMediaTypes1765030000000,
  ResultsSubmittedOn1765040000000,
];

export interface DataSourceSettings {
  databaseUrl: string;
  poolSize?: number;
  applicationName?: string;
}

export const createDataSource = ({ databaseUrl, poolSize = 10, applicationName = 'trialwatch' }: DataSourceSettings) =>
  new DataSource({
    type: 'postgres',
    url: databaseUrl,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
    applicationName,
    extra: {
      max: poolSize,
      // Kept open however quiet it gets: opening one (a new server process) costs more than most queries.
      min: warmConnections(poolSize),
      // A restarted server drops connections; the pool replaces them on next use.
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      onConnect: startSession,
    },
  });

/**
 * Gives each new connection an 'error' listener of its own, before the pool hands it out. PostgreSQL
 * can end a connection (a restart, `pg_terminate_backend`) in the same packet that finishes opening
 * it: the pool hands the connection out while reading that packet and emits the error before TypeORM
 * has attached its listener (a microtask later), and an 'error' with no listener ends the process.
 * The error is not lost: the connection's queries fail with it, and the pool discards it on release.
 */
export const listenForConnectionErrors = (connection: Pick<EventEmitter, 'on'>): void => {
  connection.on('error', () => undefined);
};

/**
 * What every pooled connection runs once, before its first use: transactions default to READ
 * COMMITTED whatever the server's or the database's default, so that `Database.transaction` needs no
 * `SET TRANSACTION` of its own (a round trip in every transaction at that level, about one statement
 * in ten the worker sent per queued ingestion: `bench/FINDINGS.md`).
 */
const SESSION_SETUP = `SET default_transaction_isolation = 'read committed'`;

const startSession = async (connection: Pick<EventEmitter, 'on'> & { query(text: string): Promise<unknown> }) => {
  listenForConnectionErrors(connection);
  await connection.query(SESSION_SETUP);
};

/** Connections a pool opens when the application starts and keeps open while idle. */
export const warmConnections = (poolSize: number): number => Math.min(poolSize, 8);

/**
 * Opens the pool's warm connections at once, so that the first requests and jobs after start-up do
 * not each wait for a connection of their own to be set up.
 */
export const warmUp = async (dataSource: DataSource, poolSize: number): Promise<void> => {
  const runners = Array.from({ length: warmConnections(poolSize) }, () => dataSource.createQueryRunner());
  try {
    await Promise.all(runners.map((runner) => runner.query('SELECT 1')));
  } finally {
    await Promise.all(runners.map((runner) => runner.release()));
  }
};

export const MIGRATION_LOCK = 7_342_001;
const MIGRATION_LOCK_POLL_MS = 100;

/**
 * Applies pending migrations; concurrent starters take turns on an advisory lock instead of racing.
 * The lock is tried, not waited for in one statement: a statement waiting for a lock holds a snapshot,
 * and `CREATE INDEX CONCURRENTLY` in the holder's migrations waits for every older snapshot to end, so
 * an api and a worker started together on a new database would wait on each other for ever
 * (migrations.int-spec.ts). Needs two pool connections.
 */
export const runMigrations = async (dataSource: DataSource): Promise<string[]> => {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    for (;;) {
      const [lock] = await runner.query('SELECT pg_try_advisory_lock($1) AS acquired', [MIGRATION_LOCK]);
      if (lock.acquired) break;
      await new Promise((resolve) => setTimeout(resolve, MIGRATION_LOCK_POLL_MS));
    }
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      await alignStoreTransactionIds(runner);
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
};
