import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { JobSchedules, WORKER_OPTIONS, APP_CONFIG, type AppConfig, QUEUES } from '@app/infrastructure';
import { ProjectionRegistry } from './projection-registry.js';
import { ProjectionRunner } from './projection-runner.js';
import type { ProjectionJob } from './projection-wake-ups.js';

/**
 * Catches projections up when woken. Besides the wake-ups queued after each append, a job scheduler
 * wakes every projection every few seconds, so nothing depends on a wake-up surviving.
 */
@Processor(QUEUES.projections, WORKER_OPTIONS)
export class ProjectionsProcessor extends WorkerHost implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(ProjectionsProcessor.name);

  constructor(
    private readonly registry: ProjectionRegistry,
    private readonly runner: ProjectionRunner,
    @InjectQueue(QUEUES.projections) private readonly queue: Queue<ProjectionJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedules: JobSchedules,
  ) {
    super();
  }

  onModuleInit(): void {
    this.schedules.keep('projection wake-up', async () => {
      for (const projection of this.registry.names()) {
        await this.queue.upsertJobScheduler(
          `wake:${projection}`,
          { every: this.config.projectionWakeIntervalMs },
          { name: projection, data: { projection } },
        );
      }
    });
  }

  onApplicationBootstrap(): void {
    // Projections are independent: each can run at once; the advisory lock keeps each to one runner.
    this.worker.concurrency = this.registry.names().length;
  }

  async process(job: Job<ProjectionJob>): Promise<{ applied: number | null }> {
    const applied = await this.runner.catchUp(this.registry.byName(job.data.projection));
    if (applied) this.logger.debug(`${job.data.projection}: applied ${applied} events`);
    return { applied };
  }
}
