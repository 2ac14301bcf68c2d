import { access, constants, stat } from 'node:fs/promises';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import {
  JobSchedules,
  WORKER_OPTIONS,
  APP_CONFIG,
  type AppConfig,
  InvalidConfigError,
  QUEUES,
} from '@app/infrastructure';
import { DropFolderScanner } from './sources/drop-folder-scanner.js';
import { IngestionSweeper } from './process-ingestion/ingestion-sweeper.js';

/** The worker does not start with a drop folder it cannot read: a mistyped path would ingest nothing, silently. */
const assertReadableFolder = async (folder: string): Promise<void> => {
  const problem = await stat(folder).then(
    async (info) =>
      !info.isDirectory()
        ? 'is not a folder'
        : await access(folder, constants.R_OK | constants.X_OK).then(
            () => null,
            () => 'cannot be read by the worker',
          ),
    () => 'does not exist',
  );
  if (problem) throw new InvalidConfigError([`DROP_FOLDER ${folder} ${problem}`]);
};

/** Periodic housekeeping of ingestion: re-queues ingestions whose job was lost, scans the drop folder. */
@Processor(QUEUES.maintenance, WORKER_OPTIONS)
export class IngestionHousekeepingProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(IngestionHousekeepingProcessor.name);

  constructor(
    private readonly sweeper: IngestionSweeper,
    private readonly dropFolder: DropFolderScanner,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedules: JobSchedules,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    if (this.config.dropFolder) await assertReadableFolder(this.config.dropFolder);
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
    if (job.name === 'scan-drop-folder') {
      try {
        return await this.dropFolder.scan();
      } catch (error) {
        // Said where an operator looks, not only in the queue's failed set; the next scan tries again.
        this.logger.error(`Scanning the drop folder ${this.config.dropFolder} failed: ${(error as Error).message}`);
        throw error;
      }
    }
    return null;
  }
}
