import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Job } from 'bullmq';
import { WORKER_OPTIONS, APP_CONFIG, type AppConfig, QUEUES } from '@app/infrastructure';
import type { IngestJob } from '../ingest-queue.js';
import { ProcessIngestionCommand } from './process-ingestion.command.js';

/** Worker side of ingestion: one job per accepted snapshot. */
@Processor(QUEUES.ingest, WORKER_OPTIONS)
export class IngestProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.ingestConcurrency;
  }

  async process(job: Job<IngestJob>): Promise<{ status: string }> {
    const ingestion = await this.commandBus.execute(new ProcessIngestionCommand(job.data.ingestionId));
    return { status: ingestion.status };
  }
}
