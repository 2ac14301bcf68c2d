import { Command } from '@nestjs/cqrs';
import type { SnapshotInput } from '../accept-snapshot/accept-snapshot.command.js';
import type { Ingestion } from '../ingestion.js';

/**
 * Ingests many snapshots at once, without the queue: parsed together, every trial's stream loaded
 * in one query, and all accepted snapshots appended, logged and kept in one transaction. This is
 * the bulk path of the CLI and of watchlist syncs; outcomes are those of POST /snapshots.
 */
export class IngestSnapshotsCommand extends Command<Ingestion[]> {
  constructor(readonly inputs: SnapshotInput[]) {
    super();
  }
}
