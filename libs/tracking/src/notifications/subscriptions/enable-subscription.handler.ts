import { InjectQueue } from '@nestjs/bullmq';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Queue } from 'bullmq';
import { Clock, QUEUES, boundedQueueCall } from '@app/infrastructure';
import { deliverJob } from '../delivery/notifications.processor.js';
import { type Subscription } from './subscription.js';
import { EnableSubscriptionCommand } from './enable-subscription.command.js';
import { publicView, SubscriptionStore } from './subscription-store.js';

@CommandHandler(EnableSubscriptionCommand)
export class EnableSubscriptionHandler implements ICommandHandler<EnableSubscriptionCommand> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
  ) {}

  async execute({ id }: EnableSubscriptionCommand): Promise<Subscription> {
    const record = await this.store.enable(id, this.clock.now());
    const job = deliverJob(id);
    await boundedQueueCall(this.queue.add(job.name, job.data, job.opts)).catch(() => undefined);
    return publicView(record);
  }
}
