import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { JobSchedules, WORKER_OPTIONS, APP_CONFIG, type AppConfig, QUEUES } from '@app/infrastructure';
import { ProjectionRegistry } from './projection-registry.js';
import { HELD_READ_WAIT_MS, ProjectionRunner } from './projection-runner.js';
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
      const units = this.registry.catchUpUnits();
      for (const unit of units.keys()) {
        await this.queue.upsertJobScheduler(
          `wake:${unit}`,
          { every: this.config.projectionWakeIntervalMs },
          { name: unit, data: { projection: unit } },
        );
      }
      // Earlier versions woke each projection on its own.
      for (const name of this.registry.names()) {
        if (!units.has(name)) await this.queue.removeJobScheduler(`wake:${name}`);
      }
    });
  }

  onApplicationBootstrap(): void {
    // Units are independent: each can run at once; the advisory locks keep each projection to one runner.
    this.worker.concurrency = this.registry.catchUpUnits().size;
  }

  async process(job: Job<ProjectionJob>): Promise<{ applied: number | null }> {
    const unit = this.registry.catchUpUnit(job.data.projection);
    const applied = await this.runner.catchUpCommitted(unit, performance.now() + HELD_READ_WAIT_MS);
    if (applied) this.logger.debug(`${job.data.projection}: applied ${applied} events`);
    return { applied };
  }
}
