import { Command } from '@nestjs/cqrs';
import type { Sql } from '@app/infrastructure';
import type { SnapshotInput } from '../accept-snapshot/accept-snapshot.command.js';
import type { Ingestion } from '../ingestion.js';

/** The outcome of one ingestion, as logged in the transaction that decided it. */
export type LoggedOutcome = Pick<Ingestion, 'id' | 'status' | 'results' | 'error'>;

/**
 * Ingests many snapshots at once, without the queue: parsed ahead of the appends, which append, log and
 * keep them in transactions bounded in snapshots (BULK_INGEST_MAX_SNAPSHOTS, and `maxSnapshotsPerTransaction`)
 * and in time (BULK_INGEST_MAX_TRANSACTION_MS), each trial's stream loaded in one query per transaction. This
 * is the bulk path of the CLI and of watchlist syncs; outcomes are those of POST /snapshots, and a
 * snapshot that cannot be decided (a trial's stream it cannot read) is logged `failed` while the rest go on.
 * `withinEachTransaction` writes what the caller keeps of each transaction's outcomes (a run's counts and
 * errors) in that transaction, so it holds exactly what was committed.
 */
export class IngestSnapshotsCommand extends Command<Ingestion[]> {
  constructor(
    readonly inputs: SnapshotInput[],
    readonly maxSnapshotsPerTransaction?: number,
    readonly withinEachTransaction?: (sql: Sql, outcomes: LoggedOutcome[]) => Promise<void>,
  ) {
    super();
  }
}
