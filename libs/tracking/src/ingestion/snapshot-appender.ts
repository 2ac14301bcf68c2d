import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  advance,
  decide,
  DomainError,
  keptStateOf,
  type LoadedTrial,
  loadTrialAfter,
  type SnapshotOutcome,
  streamIdOf,
  TRIAL_STATE_SCHEMA_VERSION,
  type TrialSnapshot,
} from '@app/domain';
import {
  APP_CONFIG,
  type AppConfig,
  ConcurrencyError,
  Database,
  EventStore,
  type Sql,
  type StreamAppend,
  Metrics,
  planWithoutParameterValuesOrJit,
} from '@app/infrastructure';
import type { IngestionError, IngestionStatus, TrialOutcome } from './ingestion.js';
import { SnapshotStore } from './snapshot-store.js';

/** What the appender needs to know of an ingestion to stamp its events. */
export interface IngestionStamp {
  id: string;
  contentSha256: string;
  source: string;
  correlationId: string | null;
  effectiveAt: string | null;
}

export interface IngestionToAppend {
  ingestion: IngestionStamp;
  snapshots: TrialSnapshot[];
}

export interface AppendedIngestion {
  ingestionId: string;
  /** `failed`: it could not be decided (a trial's stream it cannot read, say); nothing of it was appended. */
  status: Extract<IngestionStatus, 'appended' | 'learned' | 'unchanged' | 'stale' | 'failed'>;
  nctIds: string[];
  format: string;
  results: TrialOutcome[];
  error?: IngestionError;
}

const errorOf = (error: unknown): IngestionError =>
  error instanceof DomainError
    ? error.toJSON()
    : { code: 'ingestion.processing-failed', message: (error as Error)?.message ?? String(error), details: {} };

const MAX_CONFLICT_RETRIES = 50;

/** A decision as the ingestion log records it: a change appends (`appended`), knowledge alone is `learned`. */
const OUTCOME_OF: Record<SnapshotOutcome, TrialOutcome['outcome']> = {
  changed: 'appended',
  learned: 'learned',
  unchanged: 'unchanged',
  stale: 'stale',
};

const OUTCOME_STRENGTH: Record<TrialOutcome['outcome'], number> = { stale: 0, unchanged: 1, learned: 2, appended: 3 };

/** The outcome that says most: appended over learned over unchanged over stale. */

const strongest = (a: TrialOutcome['outcome'] | undefined, b: TrialOutcome['outcome']): TrialOutcome['outcome'] =>
  a !== undefined && OUTCOME_STRENGTH[a] >= OUTCOME_STRENGTH[b] ? a : b;

/**
 * The heart of ingestion: loads the trials' streams, decides what each snapshot changes (in the order
 * given, several snapshots of one trial included), and appends everything with expected versions in
 * one transaction, together with whatever the caller records there (`withinTransaction`). Another
 * writer getting there first means a reload, a new decision, and another try. An item that cannot be
 * decided (a trial's stream holds an event this version cannot read, or deciding throws) is `failed`
 * with its error and appends nothing; the other items go ahead.
 */
@Injectable()
export class SnapshotAppender {
  constructor(
    private readonly database: Database,
    private readonly eventStore: EventStore,
    private readonly store: SnapshotStore,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async append<T>(
    items: IngestionToAppend[],
    withinTransaction: (sql: Sql, outcomes: AppendedIngestion[]) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.appendOnce(items, withinTransaction);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
      }
    }
  }

  private async appendOnce<T>(
    items: IngestionToAppend[],
    withinTransaction: (sql: Sql, outcomes: AppendedIngestion[]) => Promise<T>,
  ): Promise<T> {
    const nctIds = [...new Set(items.flatMap((item) => item.snapshots.map((snapshot) => snapshot.nctId)))];
    // Each trial from the state kept beside its stream and the events after it (the whole stream when
    // none is kept in this version's format).
    const [streams, marks] = await Promise.all([
      this.eventStore.readStreamsAfterStates(nctIds.map(streamIdOf), TRIAL_STATE_SCHEMA_VERSION),
      this.store.observationMarks(nctIds),
    ]);
    const loaded = new Map<string, LoadedTrial>();
    const keptVersion = new Map<string, number>();
    const unreadable = new Map<string, IngestionError>();
    for (const nctId of nctIds) {
      const { state, events } = streams.get(streamIdOf(nctId))!;
      keptVersion.set(nctId, state?.version ?? 0);
      try {
        loaded.set(nctId, loadTrialAfter(nctId, state, events, marks.get(nctId) ?? null));
      } catch (error) {
        unreadable.set(nctId, errorOf(error));
      }
    }
    const trials = new Map(loaded);
    const appends = new Map<string, StreamAppend>();
    const failed = new Map<string, IngestionError>();
    const decided = items.map(({ ingestion, snapshots }) => {
      const outcomes = new Map<string, { outcome: TrialOutcome['outcome']; eventIds: string[] }>();
      // Decided on copies: an item that fails halfway leaves the trials and appends as they were.
      const itemTrials = new Map<string, LoadedTrial>();
      const itemAppends = new Map<string, StreamAppend>();
      try {
        for (const [snapshotIndex, snapshot] of snapshots.entries()) {
          const cannotRead = unreadable.get(snapshot.nctId);
          if (cannotRead) throw new UndecidableError(cannotRead);
          const trial = itemTrials.get(snapshot.nctId) ?? trials.get(snapshot.nctId)!;
          const decision = decide(trial, snapshot, ingestion.effectiveAt);
          const decided = OUTCOME_OF[decision.outcome];
          const previous = outcomes.get(snapshot.nctId) ?? { outcome: decided, eventIds: [] };
          const outcome = { outcome: strongest(previous.outcome, decided), eventIds: previous.eventIds };
          if ('occurredAt' in decision) {
            const known = itemAppends.get(snapshot.nctId) ?? appends.get(snapshot.nctId);
            const append: StreamAppend = known
              ? { ...known, events: [...known.events] }
              : { streamId: trial.streamId, events: [], expectedVersion: trial.version };
            for (const event of decision.events) {
              const eventId = randomUUID();
              outcome.eventIds.push(eventId);
              append.events.push({
                eventId,
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
                  // Tells apart the decisions on one trial shown more than once in the document (see loadTrial).
                  snapshotIndex,
                  // Whether the snapshot showed a registry version: what undated ones show is kept apart (see decide).
                  dated: decision.observedAt === null,
                  // Whether it showed its registry version in full: a page showing part of one leaves older values beside it.
                  complete: decision.complete,
                  correlationId: ingestion.correlationId ?? ingestion.id,
                  causationId: ingestion.id,
                },
              });
            }
            itemAppends.set(snapshot.nctId, append);
          }
          outcomes.set(snapshot.nctId, outcome);
          itemTrials.set(snapshot.nctId, advance(trial, decision));
        }
      } catch (error) {
        if (error instanceof ConcurrencyError) throw error;
        failed.set(ingestion.id, error instanceof UndecidableError ? error.reason : errorOf(error));
        return { ingestion, snapshots, outcomes: new Map() as typeof outcomes };
      }
      for (const [nctId, trial] of itemTrials) trials.set(nctId, trial);
      for (const [nctId, append] of itemAppends) appends.set(nctId, append);
      return { ingestion, snapshots, outcomes };
    });

    // A stream that grew far past its kept state (or has none) gets its state kept with this append.
    for (const [nctId, append] of appends) {
      const trial = trials.get(nctId)!;
      if (trial.version - keptVersion.get(nctId)! >= this.config.streamStateAfterEvents)
        appends.set(nctId, {
          ...append,
          state: { schemaVersion: TRIAL_STATE_SCHEMA_VERSION, data: keptStateOf(trial) },
        });
    }
    // Streams decided on without an append (stale, unchanged) must still be where they were decided.
    const unappended = new Map(
      [...loaded.keys()]
        .filter((nctId) => !appends.has(nctId))
        .map((nctId) => [streamIdOf(nctId), loaded.get(nctId)!.version] as const),
    );
    let counted: AppendedIngestion[] = [];
    // Undated observations that were not stale move their trials' observation marks.
    const observed = new Map(
      [...trials]
        .filter(([nctId, trial]) => trial.lastObservedAt !== loaded.get(nctId)!.lastObservedAt)
        .map(([nctId, trial]) => [nctId, trial.lastObservedAt!] as const),
    );
    const result = await this.database.transaction(async (sql) => {
      await planWithoutParameterValuesOrJit(sql);
      // Marks first, then streams, in one order for every ingestion: decisions stay true, nothing deadlocks.
      await this.store.lockObservationMarks(sql, marks, nctIds);
      await this.eventStore.assertVersions(unappended, sql);
      await this.store.raiseObservationMarks(sql, observed);
      const results = await this.eventStore.appendMany([...appends.values()], sql);
      const stored = new Map(results.flatMap((result) => result.events).map((event) => [event.eventId, event]));
      const outcomes: AppendedIngestion[] = decided.map(({ ingestion, snapshots, outcomes: byTrial }) => {
        const error = failed.get(ingestion.id);
        if (error) {
          return {
            ingestionId: ingestion.id,
            status: 'failed',
            nctIds: [...new Set(snapshots.map((snapshot) => snapshot.nctId))],
            format: snapshots[0]!.source.format,
            results: [],
            error,
          };
        }
        const trialOutcomes: TrialOutcome[] = [...byTrial.entries()].map(([nctId, { outcome, eventIds }]) => {
          const events = eventIds.map((eventId) => stored.get(eventId)!);
          return {
            nctId,
            outcome,
            streamVersion: events.at(-1)?.streamVersion ?? trials.get(nctId)!.version,
            events: events.map((event) => ({
              eventId: event.eventId,
              type: event.type,
              streamVersion: event.streamVersion,
              globalPosition: event.globalPosition,
              occurredAt: event.occurredAt.toISOString(),
            })),
          };
        });
        return {
          ingestionId: ingestion.id,
          status: trialOutcomes
            .map((trial) => trial.outcome)
            .reduce<TrialOutcome['outcome'] | undefined>(strongest, undefined)!,
          nctIds: [...byTrial.keys()],
          format: snapshots[0]!.source.format,
          results: trialOutcomes,
        };
      });
      counted = outcomes;
      return withinTransaction(sql, outcomes);
    });
    // A failed item is counted by the caller, which knows whether it will be tried again.
    for (const outcome of counted.filter((counted) => counted.status !== 'failed')) {
      this.metrics.ingestions.inc({ status: outcome.status });
      for (const trial of outcome.results)
        for (const event of trial.events) this.metrics.eventsAppended.inc({ type: event.type });
    }
    return result;
  }
}

/** An item that touches a trial whose stream cannot be read. */
class UndecidableError extends Error {
  constructor(readonly reason: IngestionError) {
    super(reason.message);
  }
}
