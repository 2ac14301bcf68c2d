import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@app/domain';
import type { Ingestion, IngestionStatus } from '../ingestion.js';
import { IngestQueue } from '../ingest-queue.js';
import { SnapshotStore } from '../snapshot-store.js';
import { RetryIngestionCommand } from './retry-ingestion.command.js';

export class IngestionNotFailedError extends DomainError {
  readonly code = 'ingestion.not-failed';
  readonly kind = 'conflict' as const;
  constructor(id: string, status: IngestionStatus) {
    super(`Ingestion ${id} is ${status}; only a failed ingestion can be retried`, { id, status });
  }
}

@CommandHandler(RetryIngestionCommand)
export class RetryIngestionHandler implements ICommandHandler<RetryIngestionCommand> {
  private readonly logger = new Logger(RetryIngestionHandler.name);

  constructor(
    private readonly store: SnapshotStore,
    private readonly queue: IngestQueue,
  ) {}

  async execute({ ingestionId }: RetryIngestionCommand): Promise<Ingestion> {
    const requeued = await this.store.requeueFailed(ingestionId);
    if (!requeued) {
      const ingestion = await this.store.get(ingestionId);
      throw new IngestionNotFailedError(ingestionId, ingestion.status);
    }
    try {
      await this.queue.replace(ingestionId);
    } catch (error) {
      // Committed as queued: the worker's sweep queues it even without this job.
      this.logger.warn(`Ingestion ${ingestionId} queued again but its job not added: ${(error as Error).message}`);
    }
    // As queued again: a worker may already be on it by the time a read would see it.
    return requeued;
  }
}
