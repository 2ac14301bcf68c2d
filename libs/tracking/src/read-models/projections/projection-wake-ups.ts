import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppendedEventsSignal, boundedQueueCall, QUEUES } from '@app/infrastructure';
import { ProjectionRegistry } from './projection-registry.js';

export interface ProjectionJob {
  /** A catch-up unit's name (`ProjectionRegistry.catchUpUnits`), or a projection's. */
  projection: string;
}

/** Queues a catch-up of every projection when events are appended (one waiting wake-up per catch-up unit). */
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
          [...this.registry.catchUpUnits().keys()].map((unit) => ({
            name: unit,
            data: { projection: unit },
            // One waiting wake-up per unit is enough; one more may queue behind a running one.
            opts: { deduplication: { id: unit, keepLastIfActive: true } },
          })),
        ),
      );
    });
  }
}
