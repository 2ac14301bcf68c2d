import { Command } from '@nestjs/cqrs';
import type { SnapshotFormat } from '@app/domain';

export interface SnapshotInput {
  content: Buffer;
  mediaType: string | null;
  /** How the body was encoded (HTTP `Content-Encoding`: gzip, deflate, br, zstd): undone before parsing. */
  contentEncoding?: string | null;
  /** Who sent it: `api`, `cli`, `ctgov-api-v2`, `drop-folder`, ... */
  source: string;
  /** When the snapshot was taken, if the sender knows better than the document itself. */
  observedAt?: string | null;
  format?: SnapshotFormat | null;
  /** The registry's date for this version when the document does not carry it (a history version's date). */
  effectiveAt?: string | null;
  /** Groups ingestions of one run (a watchlist sync, a CLI import). */
  correlationId?: string | null;
}

export interface AcceptedSnapshot {
  ingestionId: string;
  status: 'queued';
  nctIds: string[];
  format: SnapshotFormat;
}

/** Keeps a raw snapshot and queues it for ingestion; input that is not a trial record is refused at once (and kept). */
export class AcceptSnapshotCommand extends Command<AcceptedSnapshot> {
  constructor(
    readonly input: SnapshotInput,
    /** Queue the ingest job; off when the caller processes the ingestion itself (the CLI). */
    readonly enqueue = true,
  ) {
    super();
  }
}
