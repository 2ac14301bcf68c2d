import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUES, boundedQueueCall } from '@app/infrastructure';
import { ProjectionRegistry } from '../projections/projection-registry.js';

export interface ProjectionJob {
  projection: string;
}

export const MATCH_JOB = 'match';

/**
 * Tells the worker that new events are in the store: each projection and the notification matcher
 * catch up. Jobs are only wake-ups: the event store and the checkpoints are the truth, and schedulers
 * wake every consumer regularly anyway, so a wake-up lost with Redis costs seconds, never events.
 */
@Injectable()
export class EventConsumersWaker {
  private readonly logger = new Logger(EventConsumersWaker.name);

  constructor(
    @InjectQueue(QUEUES.projections) private readonly projections: Queue<ProjectionJob>,
    @InjectQueue(QUEUES.notifications) private readonly notifications: Queue,
    private readonly registry: ProjectionRegistry,
  ) {}

  async wakeAll(): Promise<void> {
    try {
      await boundedQueueCall(
        Promise.all([
          this.projections.addBulk(
            this.registry.names().map((projection) => ({
              name: projection,
              data: { projection },
              // One waiting wake-up per consumer is enough; one more may queue behind a running one.
              opts: { deduplication: { id: projection, keepLastIfActive: true } },
            })),
          ),
          this.notifications.add(MATCH_JOB, {}, { deduplication: { id: MATCH_JOB, keepLastIfActive: true } }),
        ]),
      );
    } catch (error) {
      this.logger.warn(`Could not queue wake-ups (the schedulers will catch up): ${(error as Error).message}`);
    }
  }
}
