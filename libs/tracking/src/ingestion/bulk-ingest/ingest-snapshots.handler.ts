import { performance } from 'node:perf_hooks';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { observationTimeOf, type TrialSnapshot } from '@app/domain';
import { APP_CONFIG, type AppConfig, Clock, AppendedEventsSignal, Metrics, type Sql } from '@app/infrastructure';
import { assertSnapshotSize, parseSnapshots, SnapshotParseError } from '@app/registry-formats';
import type { SnapshotInput } from '../accept-snapshot/accept-snapshot.command.js';
import type { Ingestion } from '../ingestion.js';
import { IngestSnapshotsCommand, type LoggedOutcome } from './ingest-snapshots.command.js';
import { MadeAhead } from './made-ahead.js';
import { type AppendedIngestion, SnapshotAppender } from '../snapshot-appender.js';
import { type IngestionCompletion, type NewIngestion, newIngestion, SnapshotStore } from '../snapshot-store.js';

/** One input, parsed: snapshots to append, or the completion of a rejected one. */
type Entry =
  | { ingestion: NewIngestion; snapshots: TrialSnapshot[]; completion?: undefined }
  | { ingestion: NewIngestion; snapshots?: undefined; completion: IngestionCompletion };

/** Snapshots in the first transaction, before anything is known of how long one takes. */
const FIRST_TRANSACTION_SNAPSHOTS = 16;
/** Each snapshot costs this much in the time estimate beyond its bytes (its stream, its rows). */
const SNAPSHOT_OVERHEAD_BYTES = 4096;

/**
 * The bulk path. Inputs are parsed outside any transaction, ahead of the appends (the next
 * transaction's while the database works on the current one); then appended, logged and kept in
 * consecutive transactions, each at most BULK_INGEST_MAX_SNAPSHOTS snapshots (and at most the command's
 * own bound) and sized from the time the previous ones took to stay near BULK_INGEST_MAX_TRANSACTION_MS,
 * so a large load never holds one transaction open for long (which would hold back every projection).
 */
@CommandHandler(IngestSnapshotsCommand)
export class IngestSnapshotsHandler implements ICommandHandler<IngestSnapshotsCommand> {
  constructor(
    private readonly appender: SnapshotAppender,
    private readonly store: SnapshotStore,
    private readonly appended: AppendedEventsSignal,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async execute({
    inputs: given,
    maxSnapshotsPerTransaction,
    withinEachTransaction,
  }: IngestSnapshotsCommand): Promise<Ingestion[]> {
    // Refused before anything is written: one snapshot with an unreadable or future observation time, or
    // one too large, refuses the batch.
    const inputs = given.map((input) => {
      assertSnapshotSize(input.content, this.config.maxSnapshotBytes);
      return { ...input, observedAt: observationTimeOf(input.observedAt, this.clock.now()) };
    });
    const receivedAt = this.clock.nowIso();
    const entries = new MadeAhead(inputs, (input) => this.entryOf(input, receivedAt));

    const maxSnapshots = Math.min(this.config.bulkIngestMaxSnapshots, maxSnapshotsPerTransaction ?? Infinity);
    const budgetMs = this.config.bulkIngestMaxTransactionMs;
    const units = (entry: Entry) => entry.ingestion.content.byteLength + SNAPSHOT_OVERHEAD_BYTES;
    let msPerUnit: number | null = null;
    let anyAppended = false;
    try {
      for (let start = 0; start < entries.length;) {
        // Take entries while the count and the estimated time allow; always at least one.
        let end = start;
        let snapshots = 0;
        let cost = 0;
        while (end < entries.length) {
          const entry = entries.at(end);
          const more = entry.snapshots?.length ?? 0;
          const next = cost + units(entry);
          const overCount =
            snapshots + more >
            (msPerUnit === null ? Math.min(FIRST_TRANSACTION_SNAPSHOTS, maxSnapshots) : maxSnapshots);
          const overTime = msPerUnit !== null && next * msPerUnit > budgetMs;
          if (end > start && (overCount || overTime)) break;
          snapshots += more;
          cost = next;
          end += 1;
        }
        const chunk = entries.slice(start, end);
        const began = performance.now();
        anyAppended = (await this.appendChunk(chunk, withinEachTransaction)) || anyAppended;
        const took = performance.now() - began;
        const rate = took / Math.max(1, cost);
        msPerUnit = msPerUnit === null ? rate : 0.5 * msPerUnit + 0.5 * rate;
        start = end;
      }
    } finally {
      entries.stop();
    }
    if (anyAppended) await this.appended.raise();
    return this.store.findMany(entries.all().map((entry) => entry.ingestion.id));
  }

  /** One input, parsed; a document that is not a snapshot is logged rejected, never thrown. */
  private entryOf(input: SnapshotInput, receivedAt: string): Entry {
    const ingestion = newIngestion(input, receivedAt);
    try {
      const snapshots = parseSnapshots(input.content, {
        receivedAt,
        observedAt: input.observedAt ?? undefined,
        format: input.format ?? undefined,
        maxBytes: this.config.maxSnapshotBytes,
        contentSha256: ingestion.contentSha256,
        mediaType: input.mediaType,
      });
      return { ingestion, snapshots };
    } catch (error) {
      if (!(error instanceof SnapshotParseError)) throw error;
      this.metrics.ingestions.inc({ status: 'rejected' });
      return { ingestion, completion: { status: 'rejected', error: error.toJSON(), completedAt: receivedAt } };
    }
  }

  /** One transaction: the chunk's accepted snapshots appended, every ingestion of it logged. True when something was appended. */
  private async appendChunk(
    chunk: Entry[],
    withinTransaction?: (sql: Sql, outcomes: LoggedOutcome[]) => Promise<void>,
  ): Promise<boolean> {
    const accepted = chunk.filter((entry) => entry.snapshots) as {
      ingestion: NewIngestion;
      snapshots: TrialSnapshot[];
    }[];
    const rejected = chunk.filter((entry) => entry.completion) as {
      ingestion: NewIngestion;
      completion: IngestionCompletion;
    }[];
    // Compressed on the thread pool while the events are decided and appended; written with them.
    const contents = this.store.prepareContents(
      chunk.map(({ ingestion, snapshots }) => ({
        ingestion,
        nctIds: [...new Set((snapshots ?? []).map((snapshot) => snapshot.nctId))],
        format: snapshots?.[0]?.source.format ?? null,
      })),
    );
    contents.catch(() => undefined); // awaited in the transaction; an append that fails first reports its own error
    const completedAt = this.clock.nowIso();
    const outcomes = await this.appender.append(accepted, async (sql, appended: AppendedIngestion[]) => {
      const byId = new Map(appended.map((outcome) => [outcome.ingestionId, outcome]));
      const logged = [
        ...accepted.map(({ ingestion }) => {
          const outcome = byId.get(ingestion.id)!;
          const error = outcome.error && {
            ...outcome.error,
            details: { ...outcome.error.details, attempts: 1, failedAt: completedAt },
          };
          return { ingestion, completion: { ...outcome, error, completedAt } };
        }),
        ...rejected,
      ];
      await this.store.recordMany(sql, logged, await contents);
      await withinTransaction?.(
        sql,
        logged.map(({ ingestion, completion }) => ({
          id: ingestion.id,
          status: completion.status,
          results: completion.results ?? [],
          error: completion.error ?? null,
        })),
      );
      return appended;
    });
    // Reported to the caller in the outcomes (the CLI prints them); logged in the ingestion log.
    const failed = outcomes.filter((outcome) => outcome.status === 'failed').length;
    if (failed > 0) this.metrics.ingestions.inc({ status: 'failed' }, failed);
    return outcomes.some((outcome) => outcome.status === 'appended' || outcome.status === 'learned');
  }
}
