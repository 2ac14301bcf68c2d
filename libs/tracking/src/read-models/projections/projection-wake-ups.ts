import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppendedEventsSignal, boundedQueueCall, QUEUES } from '@app/infrastructure';
import { ProjectionRegistry } from './projection-registry.js';

export interface ProjectionJob {
  projection: string;
}

/** Queues a catch-up of every projection when events are appended (one waiting wake-up per projection). */
@Injectable()
export class ProjectionWakeUps implements OnModuleInit {
  constructor(
    @InjectQueue(QUEUES.projections) private readonly queue: Queue<ProjectionJob>,
    private readonly registry: ProjectionRegistry,
    private readonly signal: AppendedEventsSignal,
  ) {}

  onModuleInit(): void {
    this.signal.listen('projections', async () => {
      await boundedQueueCall(
        this.queue.addBulk(
          this.registry.names().map((projection) => ({
            name: projection,
            data: { projection },
            // One waiting wake-up per consumer is enough; one more may queue behind a running one.
            opts: { deduplication: { id: projection, keepLastIfActive: true } },
          })),
        ),
      );
    });
  }
}
