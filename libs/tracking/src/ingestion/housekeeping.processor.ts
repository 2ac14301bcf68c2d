import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { JobSchedules, WORKER_OPTIONS, APP_CONFIG, type AppConfig, QUEUES } from '@app/infrastructure';
import { DropFolderScanner } from './sources/drop-folder-scanner.js';
import { IngestionSweeper } from './process-ingestion/ingestion-sweeper.js';

/** Periodic housekeeping of ingestion: re-queues ingestions whose job was lost, scans the drop folder. */
@Processor(QUEUES.maintenance, WORKER_OPTIONS)
export class IngestionHousekeepingProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly sweeper: IngestionSweeper,
    private readonly dropFolder: DropFolderScanner,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedules: JobSchedules,
  ) {
    super();
  }

  onModuleInit(): void {
    this.schedules.keep('housekeeping', async () => {
      await this.queue.upsertJobScheduler(
        'sweep-ingestions',
        { every: Math.max(1000, Math.floor(this.config.ingestSweepAfterMs / 2)) },
        { name: 'sweep-ingestions' },
      );
      if (this.config.dropFolder) {
        await this.queue.upsertJobScheduler(
          'scan-drop-folder',
          { every: this.config.dropFolderPollMs },
          { name: 'scan-drop-folder' },
        );
      } else {
        await this.queue.removeJobScheduler('scan-drop-folder');
      }
    });
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === 'sweep-ingestions') return { requeued: await this.sweeper.sweep() };
    if (job.name === 'scan-drop-folder') return this.dropFolder.scan();
    return null;
  }
}
