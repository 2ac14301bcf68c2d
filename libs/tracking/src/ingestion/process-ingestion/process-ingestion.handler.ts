import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, isDomainError, type TrialSnapshot } from '@app/domain';
import { APP_CONFIG, type AppConfig, Clock, Database, AppendedEventsSignal, Metrics } from '@app/infrastructure';
import { parseSnapshots, SnapshotParseError } from '@app/registry-formats';
import { type Ingestion, type IngestionError, isFinal } from '../ingestion.js';
import { ProcessIngestionCommand } from './process-ingestion.command.js';
import { IngestionNotFoundError, SnapshotStore } from '../snapshot-store.js';
import { SnapshotAppender } from '../snapshot-appender.js';

/** An error as the ingestion log keeps it: a domain error's code and details, anything else as `ingestion.processing-failed`. */
export const ingestionErrorOf = (error: unknown): IngestionError =>
  isDomainError(error)
    ? withCause(error.toJSON(), error.cause)
    : {
        code: 'ingestion.processing-failed',
        message: error instanceof Error ? error.message : String(error),
        details: {},
      };

/** The ingestion log is for operators: a dependency's own words (a lost connection's) are kept beside the error. */
const withCause = (error: IngestionError, cause: unknown): IngestionError =>
  cause instanceof Error ? { ...error, details: { ...error.details, cause: cause.message } } : error;

/**
 * Processes one queued ingestion. Every attempt is counted in PostgreSQL before it starts; an attempt
 * that throws leaves its error on the ingestion and is retried (by the queue, with backoff), until the
 * INGEST_MAX_ATTEMPTS-th: that one ends the ingestion `failed` with its error, the attempts and the time.
 */
@CommandHandler(ProcessIngestionCommand)
export class ProcessIngestionHandler implements ICommandHandler<ProcessIngestionCommand> {
  private readonly logger = new Logger(ProcessIngestionHandler.name);

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

    const attempt = await this.store.countAttempt(ingestionId);
    if (attempt === null) return (await this.store.find(ingestionId))!;
    const maxAttempts = this.config.ingestMaxAttempts;
    if (attempt > maxAttempts) {
      // The earlier attempts ended without a word (the worker stopped while processing it): no more.
      return this.fail(ingestion, maxAttempts, {
        code: 'ingestion.attempts-exhausted',
        message: ingestion.error
          ? `Gave up after ${maxAttempts} attempts; the last error: ${ingestion.error.message}`
          : `Gave up after ${maxAttempts} attempts, each ended without an outcome (the worker stopped while processing it)`,
        details: { lastError: ingestion.error },
      });
    }
    try {
      return await this.process(ingestion);
    } catch (error) {
      const recorded = ingestionErrorOf(error);
      if (attempt >= maxAttempts) return this.fail(ingestion, attempt, recorded);
      await this.store.recordAttemptError(ingestionId, recorded).catch(() => undefined);
      throw error;
    }
  }

  private async fail(ingestion: Ingestion, attempts: number, error: IngestionError): Promise<Ingestion> {
    const failedAt = this.clock.nowIso();
    const failed = await this.store.fail(
      ingestion.id,
      attempts,
      { ...error, details: { ...error.details, attempts, failedAt } },
      failedAt,
    );
    if (failed) {
      this.metrics.ingestions.inc({ status: 'failed' });
      this.logger.warn(`Ingestion ${ingestion.id} failed after ${attempts} attempts: ${error.code}: ${error.message}`);
    }
    return (await this.store.find(ingestion.id))!;
  }

  private async process(ingestion: Ingestion): Promise<Ingestion> {
    const ingestionId = ingestion.id;
    // Read in the charset its own post named: the content is kept once, with its first post's.
    const posted = await this.store.postedContent(ingestion);
    let snapshots: TrialSnapshot[];
    try {
      snapshots = parseSnapshots(posted.content, {
        receivedAt: ingestion.receivedAt,
        observedAt: ingestion.observedAt ?? undefined,
        format: ingestion.requestedFormat ?? undefined,
        maxBytes: this.config.maxSnapshotBytes,
        mediaType: posted.mediaType,
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
        if (outcome!.status === 'failed') throw new UndecidedError(outcome!.error!);
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

/** The snapshot could not be decided against its trials (a stream it cannot read): an attempt that failed. */
class UndecidedError extends DomainError {
  readonly code: string;
  readonly kind = 'unavailable' as const;
  constructor({ code, message, details }: { code: string; message: string; details: Record<string, unknown> }) {
    super(message, details);
    this.code = code;
  }
}

/** Rolls back a second processing of the same ingestion. */
class AlreadyProcessed extends Error {}
