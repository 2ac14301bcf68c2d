/** Ingestion's public face: modules, commands, queries and what they return. */
export * from './ingestion.module.js';
export * from './accept-snapshot/accept-snapshot.command.js';
export { isSnapshotContentEncoding } from './accept-snapshot/content-encoding.js';
export * from './bulk-ingest/ingest-snapshots.command.js';
export * from './process-ingestion/process-ingestion.command.js';
export * from './get-ingestion/get-ingestion.query.js';
export * from './find-ingested-contents/find-ingested-contents.query.js';
export * from './list-ingestions/list-ingestions.query.js';
export * from './retry-ingestion/retry-ingestion.command.js';
export * from './get-snapshot-content/get-snapshot-content.query.js';
export { SnapshotContentParams } from './get-snapshot-content/snapshot-content.params.js';
export * from './compress-stored-contents/compress-stored-contents.command.js';
export { sendRawSnapshot, INERT_CONTENT_HEADERS } from './get-snapshot-content/raw-snapshot-response.js';
export * from './ingestion.js';
