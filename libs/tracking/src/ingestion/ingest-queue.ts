import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig, boundedQueueCall, QUEUES } from '@app/infrastructure';

export interface IngestJob {
  ingestionId: string;
}

/**
 * The ingest jobs: one per queued ingestion, its id the ingestion's. A job that fails is retried by
 * BullMQ with exponential backoff (INGEST_RETRY_BACKOFF_MS, doubling): it waits in the delayed set and
 * then joins the back of the queue, behind the work that arrived meanwhile. The ingestion's attempts
 * are counted in PostgreSQL, so a job lost and queued again does not start the count afresh.
 */
@Injectable()
export class IngestQueue {
  constructor(
    @InjectQueue(QUEUES.ingest) private readonly queue: Queue<IngestJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private options(ingestionId: string): JobsOptions {
    return {
      jobId: ingestionId,
      attempts: this.config.ingestMaxAttempts,
      backoff: { type: 'exponential', delay: this.config.ingestRetryBackoffMs },
    };
  }

  /** Queues one ingestion; gives up after a short wait when Redis does not answer (the sweeper queues it later). */
  async add(ingestionId: string): Promise<void> {
    await boundedQueueCall(this.queue.add('ingest', { ingestionId }, this.options(ingestionId)));
  }

  async addMany(ingestionIds: string[]): Promise<void> {
    await this.queue.addBulk(
      ingestionIds.map((ingestionId) => ({ name: 'ingest', data: { ingestionId }, opts: this.options(ingestionId) })),
    );
  }

  /** Queues an ingestion again under its own id: a finished job of that id is removed first, or the add would be ignored. */
  async replace(ingestionId: string): Promise<void> {
    await boundedQueueCall(this.queue.remove(ingestionId));
    await this.add(ingestionId);
  }

  /** BullMQ's state of the ingestion's job: `unknown` when there is none. */
  state(ingestionId: string): Promise<string> {
    return this.queue.getJobState(ingestionId);
  }

  async remove(ingestionId: string): Promise<void> {
    await this.queue.remove(ingestionId);
  }
}
