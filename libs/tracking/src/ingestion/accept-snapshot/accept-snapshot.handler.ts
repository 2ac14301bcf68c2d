import { observationTimeOf } from '@app/domain';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig, Clock, Database, Metrics } from '@app/infrastructure';
import { assertSnapshotSize, parseSnapshots, SnapshotParseError } from '@app/registry-formats';
import { AcceptSnapshotCommand, type AcceptedSnapshot } from './accept-snapshot.command.js';
import { IngestQueue } from '../ingest-queue.js';
import { newIngestion, SnapshotStore } from '../snapshot-store.js';
import { decodeContentEncoding } from './content-encoding.js';

@CommandHandler(AcceptSnapshotCommand)
export class AcceptSnapshotHandler implements ICommandHandler<AcceptSnapshotCommand> {
  private readonly logger = new Logger(AcceptSnapshotHandler.name);

  constructor(
    private readonly database: Database,
    private readonly store: SnapshotStore,
    private readonly clock: Clock,
    private readonly queue: IngestQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async execute({ input: given, enqueue }: AcceptSnapshotCommand): Promise<AcceptedSnapshot> {
    const input = { ...given, observedAt: observationTimeOf(given.observedAt, this.clock.now()) };
    const receivedAt = this.clock.nowIso();
    const observedAt = input.observedAt ?? undefined;
    // Refused before anything is written: an oversized body is not kept.
    assertSnapshotSize(input.content, this.config.maxSnapshotBytes);
    let ingestion = newIngestion(input, receivedAt);
    try {
      // A body that is not what its Content-Encoding says is rejected below and kept as received.
      const content = await decodeContentEncoding(
        input.content,
        input.contentEncoding ?? null,
        this.config.maxSnapshotBytes,
      );
      if (content !== input.content) ingestion = newIngestion({ ...input, content }, receivedAt);
      const snapshots = parseSnapshots(content, {
        receivedAt,
        observedAt,
        format: input.format ?? undefined,
        maxBytes: this.config.maxSnapshotBytes,
        contentSha256: ingestion.contentSha256,
        mediaType: input.mediaType,
      });
      const nctIds = [...new Set(snapshots.map((snapshot) => snapshot.nctId))];
      const format = snapshots[0]!.source.format;
      await this.database.transaction((sql) => this.store.record(sql, ingestion, undefined, { nctIds, format }));
      if (enqueue) await this.enqueue(ingestion.id);
      this.metrics.snapshotsReceived.inc({ outcome: 'queued' });
      return { ingestionId: ingestion.id, status: 'queued', nctIds, format };
    } catch (error) {
      // Too large once decoded: refused as an oversized body is, not kept.
      if (!(error instanceof SnapshotParseError) || error.code === 'snapshot.too-large') throw error;
      this.metrics.snapshotsReceived.inc({ outcome: 'rejected' });
      this.metrics.ingestions.inc({ status: 'rejected' });
      // Rejected input is kept with its error so it can be inspected (and re-parsed by a later version).
      await this.database.transaction((sql) =>
        this.store.record(sql, ingestion, { status: 'rejected', error: error.toJSON(), completedAt: receivedAt }),
      );
      throw new SnapshotParseError(error.code, error.message, { ...error.details, ingestionId: ingestion.id });
    }
  }

  private async enqueue(ingestionId: string): Promise<void> {
    try {
      await this.queue.add(ingestionId);
    } catch (error) {
      // The ingestion is committed as queued; the worker's sweep finds it even without this job.
      this.logger.warn(`Ingestion ${ingestionId} stored but not queued: ${(error as Error).message}`);
    }
  }
}
