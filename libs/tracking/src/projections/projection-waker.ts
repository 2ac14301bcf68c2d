import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUES } from '@app/infrastructure';
import { ProjectionRegistry } from './projection-registry.js';

export interface ProjectionJob {
  projection: string;
}

/**
 * Asks the worker to catch projections up. Jobs are only wake-ups: the event store and the
 * checkpoints are the truth, and a scheduler wakes every projection regularly anyway, so a wake-up
 * lost with Redis loses nothing but a few seconds.
 */
@Injectable()
export class ProjectionWaker {
  private readonly logger = new Logger(ProjectionWaker.name);

  constructor(
    @InjectQueue(QUEUES.projections) private readonly queue: Queue<ProjectionJob>,
    private readonly registry: ProjectionRegistry,
  ) {}

  async wakeAll(): Promise<void> {
    try {
      await this.queue.addBulk(
        this.registry.names().map((projection) => ({
          name: projection,
          data: { projection },
          // One waiting wake-up per projection is enough; one more may queue behind a running one.
          opts: { deduplication: { id: projection, keepLastIfActive: true } },
        })),
      );
    } catch (error) {
      this.logger.warn(
        `Could not queue projection wake-ups (the scheduler will catch up): ${(error as Error).message}`,
      );
    }
  }
}
