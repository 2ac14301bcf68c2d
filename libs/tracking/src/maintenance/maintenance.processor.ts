import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { QUEUES } from '@app/infrastructure';
import { IngestionSweeper } from '../ingest-snapshot/ingestion-sweeper.js';

const SWEEP_EVERY_MS = 15_000;

/** Periodic housekeeping that makes lost jobs harmless. */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly sweeper: IngestionSweeper,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('sweep-ingestions', { every: SWEEP_EVERY_MS }, { name: 'sweep-ingestions' });
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === 'sweep-ingestions') return { requeued: await this.sweeper.sweep() };
    return null;
  }
}
