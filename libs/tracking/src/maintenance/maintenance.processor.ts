import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { WORKER_OPTIONS } from '../shared/worker-options.js';
import { APP_CONFIG, type AppConfig, QUEUES } from '@app/infrastructure';
import { IngestionSweeper } from '../ingest-snapshot/ingestion-sweeper.js';

/** Periodic housekeeping that makes lost jobs harmless. */
@Processor(QUEUES.maintenance, WORKER_OPTIONS)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly sweeper: IngestionSweeper,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'sweep-ingestions',
      { every: Math.max(1000, Math.floor(this.config.ingestSweepAfterMs / 2)) },
      { name: 'sweep-ingestions' },
    );
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === 'sweep-ingestions') return { requeued: await this.sweeper.sweep() };
    return null;
  }
}
