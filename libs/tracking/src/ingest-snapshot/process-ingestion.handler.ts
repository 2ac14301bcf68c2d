import { randomUUID } from 'node:crypto';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streamIdOf, type TrialSnapshot } from '@app/domain';
import {
  APP_CONFIG,
  type AppConfig,
  Clock,
  ConcurrencyError,
  Database,
  EventStore,
  type StreamAppend,
} from '@app/infrastructure';
import { parseSnapshots, SnapshotParseError } from '@app/registry-formats';
import { EventConsumersWaker } from '../shared/event-consumers-waker.js';
import { type Ingestion, isFinal, type TrialOutcome } from './ingestion.js';
import { ProcessIngestionCommand } from './process-ingestion.command.js';
import { IngestionNotFoundError, SnapshotStore } from './snapshot-store.js';
import { advance, decide, type LoadedTrial, loadTrial } from './trial-stream.js';

const MAX_CONFLICT_RETRIES = 50;

const OUTCOME_STRENGTH: Record<TrialOutcome['outcome'], number> = { stale: 0, unchanged: 1, appended: 2 };

/** The outcome that says most: appended over unchanged over stale. */
const strongest = (a: TrialOutcome['outcome'] | undefined, b: TrialOutcome['outcome']): TrialOutcome['outcome'] =>
  a !== undefined && OUTCOME_STRENGTH[a] >= OUTCOME_STRENGTH[b] ? a : b;

@CommandHandler(ProcessIngestionCommand)
export class ProcessIngestionHandler implements ICommandHandler<ProcessIngestionCommand> {
  private readonly logger = new Logger(ProcessIngestionHandler.name);

  constructor(
    private readonly database: Database,
    private readonly eventStore: EventStore,
    private readonly store: SnapshotStore,
    private readonly waker: EventConsumersWaker,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
      await this.database.transaction((sql) =>
        this.store.complete(sql, ingestionId, {
          status: 'rejected',
          error: error.toJSON(),
          completedAt: this.clock.nowIso(),
        }),
      );
      return (await this.store.find(ingestionId))!;
    }

    for (let attempt = 1; ; attempt += 1) {
      try {
        const appended = await this.appendOnce(ingestion, snapshots);
        if (appended) await this.waker.wakeAll();
        return (await this.store.find(ingestionId))!;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        // Another writer got there first: reload its events and decide again, after a jittered pause.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
      }
    }
  }

  /** Loads the trials, decides, and appends with their expected versions in one transaction. True if events were appended. */
  private async appendOnce(ingestion: Ingestion, snapshots: TrialSnapshot[]): Promise<boolean> {
    const nctIds = [...new Set(snapshots.map((snapshot) => snapshot.nctId))];
    const streams = await this.eventStore.readStreams(nctIds.map(streamIdOf));
    const trials = new Map<string, LoadedTrial>(
      nctIds.map((nctId) => [nctId, loadTrial(nctId, streams.get(streamIdOf(nctId))!)]),
    );
    const appends = new Map<string, StreamAppend>();
    const outcomes = new Map<string, TrialOutcome['outcome']>();

    for (const snapshot of snapshots) {
      const trial = trials.get(snapshot.nctId)!;
      const decision = decide(trial, snapshot, ingestion.effectiveAt);
      if (decision.outcome === 'appended') {
        const append = appends.get(snapshot.nctId) ?? {
          streamId: trial.streamId,
          events: [],
          expectedVersion: trial.version,
        };
        append.events.push(
          ...decision.events.map((event) => ({
            eventId: randomUUID(),
            type: event.type,
            schemaVersion: event.schemaVersion,
            data: event.data,
            occurredAt: decision.occurredAt,
            metadata: {
              snapshotId: ingestion.id,
              contentSha256: ingestion.contentSha256,
              format: snapshot.source.format,
              source: ingestion.source,
              observedAt: snapshot.source.observedAt,
              correlationId: ingestion.correlationId ?? ingestion.id,
              causationId: ingestion.id,
            },
          })),
        );
        appends.set(snapshot.nctId, append);
      }
      outcomes.set(snapshot.nctId, strongest(outcomes.get(snapshot.nctId), decision.outcome));
      trials.set(snapshot.nctId, advance(trial, decision));
    }

    return this.database.transaction(async (sql) => {
      // Two deliveries of the same job must not both record an outcome.
      const [current] = await sql.query<{ status: Ingestion['status'] }>(
        'SELECT status FROM ingestions WHERE id = $1 FOR UPDATE',
        [ingestion.id],
      );
      if (!current || isFinal(current.status)) return false;
      const results = await this.eventStore.appendMany([...appends.values()], sql);
      const appendedByStream = new Map(results.map((result) => [result.streamId, result]));
      const trialOutcomes: TrialOutcome[] = nctIds.map((nctId) => {
        const result = appendedByStream.get(streamIdOf(nctId));
        return {
          nctId,
          outcome: outcomes.get(nctId)!,
          streamVersion: result?.nextExpectedVersion ?? trials.get(nctId)!.version,
          events: (result?.events ?? []).map((event) => ({
            eventId: event.eventId,
            type: event.type,
            streamVersion: event.streamVersion,
            globalPosition: event.globalPosition,
            occurredAt: event.occurredAt.toISOString(),
          })),
        };
      });
      const status = trialOutcomes
        .map((trial) => trial.outcome)
        .reduce<TrialOutcome['outcome'] | undefined>(strongest, undefined)!;
      await this.store.complete(sql, ingestion.id, {
        status,
        format: snapshots[0]!.source.format,
        nctIds,
        results: trialOutcomes,
        completedAt: this.clock.nowIso(),
      });
      return status === 'appended';
    });
  }
}
