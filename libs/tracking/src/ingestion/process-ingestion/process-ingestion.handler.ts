import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { TrialSnapshot } from '@app/domain';
import { APP_CONFIG, type AppConfig, Clock, Database, AppendedEventsSignal, Metrics } from '@app/infrastructure';
import { parseSnapshots, SnapshotParseError } from '@app/registry-formats';
import { type Ingestion, isFinal } from '../ingestion.js';
import { ProcessIngestionCommand } from './process-ingestion.command.js';
import { IngestionNotFoundError, SnapshotStore } from '../snapshot-store.js';
import { SnapshotAppender } from '../snapshot-appender.js';

@CommandHandler(ProcessIngestionCommand)
export class ProcessIngestionHandler implements ICommandHandler<ProcessIngestionCommand> {
  constructor(
    private readonly database: Database,
    private readonly appender: SnapshotAppender,
    private readonly store: SnapshotStore,
    private readonly appended: AppendedEventsSignal,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async execute({ ingestionId }: ProcessIngestionCommand): Promise<Ingestion> {
    const ingestion = await this.store.find(ingestionId);
    if (!ingestion) throw new IngestionNotFoundError(ingestionId);
    if (isFinal(ingestion.status)) return ingestion;

    const stored = await this.store.content(ingestion.contentSha256);
    let snapshots: TrialSnapshot[];
    try {
      snapshots = parseSnapshots(stored!.content, {
        receivedAt: ingestion.receivedAt,
        observedAt: ingestion.observedAt ?? undefined,
        format: ingestion.requestedFormat ?? undefined,
        maxBytes: this.config.maxSnapshotBytes,
      });
    } catch (error) {
      if (!(error instanceof SnapshotParseError)) throw error;
      this.metrics.ingestions.inc({ status: 'rejected' });
      await this.database.transaction((sql) =>
        this.store.complete(sql, ingestionId, {
          status: 'rejected',
          error: error.toJSON(),
          completedAt: this.clock.nowIso(),
        }),
      );
      return (await this.store.find(ingestionId))!;
    }

    const appended = await this.appender
      .append([{ ingestion, snapshots }], async (sql, [outcome]) => {
        // Two deliveries of the same job must not both record an outcome.
        const [current] = await sql.query<{ status: Ingestion['status'] }>(
          'SELECT status FROM ingestions WHERE id = $1 FOR UPDATE',
          [ingestionId],
        );
        if (!current || isFinal(current.status)) throw new AlreadyProcessed();
        await this.store.complete(sql, ingestionId, { ...outcome!, completedAt: this.clock.nowIso() });
        return outcome!.status === 'appended' || outcome!.status === 'learned';
      })
      .catch((error: unknown) => {
        if (error instanceof AlreadyProcessed) return false;
        throw error;
      });
    if (appended) await this.appended.raise();
    return (await this.store.find(ingestionId))!;
  }
}

/** Rolls back a second processing of the same ingestion. */
class AlreadyProcessed extends Error {}
