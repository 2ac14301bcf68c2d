import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertObservedInPast, type TrialSnapshot } from '@app/domain';
import { APP_CONFIG, type AppConfig, Clock, AppendedEventsSignal, Metrics } from '@app/infrastructure';
import { parseSnapshots, sha256Hex, SnapshotParseError } from '@app/registry-formats';
import type { Ingestion } from '../ingestion.js';
import { IngestSnapshotsCommand } from './ingest-snapshots.command.js';
import { type AppendedIngestion, SnapshotAppender } from '../snapshot-appender.js';
import { type IngestionCompletion, type NewIngestion, SnapshotStore } from '../snapshot-store.js';

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

  async execute({ inputs }: IngestSnapshotsCommand): Promise<Ingestion[]> {
    // Refused before anything is written: one snapshot observed in the future refuses the batch.
    for (const input of inputs) assertObservedInPast(input.observedAt, this.clock.now());
    const receivedAt = this.clock.nowIso();
    const order: string[] = [];
    const accepted: { ingestion: NewIngestion; snapshots: TrialSnapshot[] }[] = [];
    const rejected: { ingestion: NewIngestion; completion: IngestionCompletion }[] = [];
    for (const input of inputs) {
      const ingestion: NewIngestion = {
        id: randomUUID(),
        content: input.content,
        contentSha256: sha256Hex(input.content),
        mediaType: input.mediaType,
        source: input.source,
        requestedFormat: input.format ?? null,
        observedAt: input.observedAt ?? null,
        effectiveAt: input.effectiveAt ?? null,
        receivedAt,
        correlationId: input.correlationId ?? null,
      };
      order.push(ingestion.id);
      try {
        const snapshots = parseSnapshots(input.content, {
          receivedAt,
          observedAt: input.observedAt ?? undefined,
          format: input.format ?? undefined,
          maxBytes: this.config.maxSnapshotBytes,
        });
        accepted.push({ ingestion, snapshots });
      } catch (error) {
        // An oversized snapshot is refused before anything is kept, as by POST /snapshots.
        if (!(error instanceof SnapshotParseError) || error.code === 'snapshot.too-large') throw error;
        rejected.push({
          ingestion,
          completion: { status: 'rejected', error: error.toJSON(), completedAt: receivedAt },
        });
        this.metrics.ingestions.inc({ status: 'rejected' });
      }
    }

    const completedAt = this.clock.nowIso();
    const outcomes = await this.appender.append(accepted, async (sql, appended: AppendedIngestion[]) => {
      const byId = new Map(appended.map((outcome) => [outcome.ingestionId, outcome]));
      await this.store.recordMany(sql, [
        ...accepted.map(({ ingestion }) => ({ ingestion, completion: { ...byId.get(ingestion.id)!, completedAt } })),
        ...rejected,
      ]);
      return appended;
    });
    if (outcomes.some((outcome) => outcome.status === 'appended' || outcome.status === 'learned')) {
      await this.appended.raise();
    }
    return this.store.findMany(order);
  }
}
