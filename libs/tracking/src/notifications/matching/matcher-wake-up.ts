import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppendedEventsSignal, boundedQueueCall, QUEUES } from '@app/infrastructure';

export const MATCH_JOB = 'match';

/** Queues a run of the notification matcher when events are appended (one waiting at a time). */
@Injectable()
export class MatcherWakeUp implements OnModuleInit {
  constructor(
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
    private readonly signal: AppendedEventsSignal,
  ) {}

  onModuleInit(): void {
    this.signal.listen('notification matcher', async () => {
      await boundedQueueCall(
        this.queue.add(MATCH_JOB, {}, { deduplication: { id: MATCH_JOB, keepLastIfActive: true } }),
      );
    });
  }
}
