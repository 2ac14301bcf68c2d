import { InjectQueue } from '@nestjs/bullmq';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Queue } from 'bullmq';
import { Clock, Database, QUEUES, boundedQueueCall } from '@app/infrastructure';
import { deliverJob } from '../delivery/notifications.processor.js';
import { RedeliverCommand } from './redeliver.command.js';
import { DeliveryNotFoundError } from './subscription-rules.js';

@CommandHandler(RedeliverCommand)
export class RedeliverHandler implements ICommandHandler<RedeliverCommand> {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
  ) {}

  async execute({ subscriptionId, eventId }: RedeliverCommand): Promise<{ eventId: string; status: 'pending' }> {
    const updated = await this.database.execute(
      // A fresh retry schedule: an abandoned delivery sent again gets every retry a new one gets.
      `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, abandoned_at = NULL, restarts = restarts + 1
       WHERE subscription_id = $1 AND event_id = $2`,
      [subscriptionId, eventId, this.clock.now()],
    );
    if (updated === 0) {
      throw new DeliveryNotFoundError(`Subscription ${subscriptionId} has no delivery of event ${eventId}`, {
        subscriptionId,
        eventId,
      });
    }
    const job = deliverJob(subscriptionId);
    await boundedQueueCall(this.queue.add(job.name, job.data, job.opts)).catch(() => undefined);
    return { eventId, status: 'pending' };
  }
}
