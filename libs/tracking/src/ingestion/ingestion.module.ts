import { Module } from '@nestjs/common';
import { AcceptSnapshotController } from './accept-snapshot/accept-snapshot.controller.js';
import { AcceptSnapshotHandler } from './accept-snapshot/accept-snapshot.handler.js';
import { IngestSnapshotsHandler } from './bulk-ingest/ingest-snapshots.handler.js';
import { CompressStoredContentsHandler } from './compress-stored-contents/compress-stored-contents.handler.js';
import { GetIngestionController } from './get-ingestion/get-ingestion.controller.js';
import { GetIngestionHandler } from './get-ingestion/get-ingestion.handler.js';
import { FindIngestedContentsHandler } from './find-ingested-contents/find-ingested-contents.handler.js';
import { GetSnapshotContentController } from './get-snapshot-content/get-snapshot-content.controller.js';
import { GetSnapshotContentHandler } from './get-snapshot-content/get-snapshot-content.handler.js';
import { IngestionHousekeepingProcessor } from './housekeeping.processor.js';
import { IngestQueue } from './ingest-queue.js';
import { ListIngestionsController } from './list-ingestions/list-ingestions.controller.js';
import { CountIngestionsHandler, ListIngestionsHandler } from './list-ingestions/list-ingestions.handler.js';
import { RetryIngestionController } from './retry-ingestion/retry-ingestion.controller.js';
import { RetryIngestionHandler } from './retry-ingestion/retry-ingestion.handler.js';
import { IngestProcessor } from './process-ingestion/ingest.processor.js';
import { IngestionSweeper } from './process-ingestion/ingestion-sweeper.js';
import { ProcessIngestionHandler } from './process-ingestion/process-ingestion.handler.js';
import { SnapshotAppender } from './snapshot-appender.js';
import { ContentCompressor } from './content-compressor.js';
import { SnapshotContents } from './snapshot-contents.js';
import { SnapshotStore } from './snapshot-store.js';
import { DropFolderScanner } from './sources/drop-folder-scanner.js';

/**
 * Ingestion: snapshots accepted (stored, queued), processed (decided against the trial's stream and
 * appended; `failed` after INGEST_MAX_ATTEMPTS), ingested in bulk, retried on demand, and read back
 * (ingestion outcomes, lists by status, raw content); raw contents stored before compression compressed. Other contexts use its
 * commands and queries only.
 */
@Module({
  providers: [
    AcceptSnapshotHandler,
    ProcessIngestionHandler,
    IngestSnapshotsHandler,
    GetIngestionHandler,
    FindIngestedContentsHandler,
    ListIngestionsHandler,
    CountIngestionsHandler,
    RetryIngestionHandler,
    GetSnapshotContentHandler,
    CompressStoredContentsHandler,
    ContentCompressor,
    SnapshotContents,
    SnapshotStore,
    SnapshotAppender,
    IngestQueue,
  ],
  // For this context's HTTP and worker modules only; other contexts use the commands and queries.
  exports: [SnapshotStore, IngestQueue],
})
export class IngestionModule {}

/** Snapshots in and ingestions out, over HTTP (the api). */
@Module({
  imports: [IngestionModule],
  controllers: [
    AcceptSnapshotController,
    ListIngestionsController,
    GetIngestionController,
    RetryIngestionController,
    GetSnapshotContentController,
  ],
})
export class IngestionHttpModule {}

/** Queued ingestions processed, lost jobs swept up, the drop folder read (the worker). */
@Module({
  imports: [IngestionModule],
  providers: [IngestProcessor, IngestionSweeper, DropFolderScanner, IngestionHousekeepingProcessor],
})
export class IngestionWorkerModule {}
