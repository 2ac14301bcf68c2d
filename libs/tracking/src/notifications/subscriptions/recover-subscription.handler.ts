import { InjectQueue } from '@nestjs/bullmq';
import { isInstant } from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Queue } from 'bullmq';
import { Clock, QUEUES, boundedQueueCall } from '@app/infrastructure';
import { deliverJob } from '../delivery/notifications.processor.js';
import { InvalidSubscriptionError } from './subscription.js';
import { RecoverSubscriptionCommand, type RecoveredSubscription } from './recover-subscription.command.js';
import { publicView, SubscriptionStore } from './subscription-store.js';

/** `since` as a time, or a clear error naming what is wrong with it. */
export const parseSince = (since: string | undefined): Date => {
  const text = since?.trim();
  if (!text) {
    throw new InvalidSubscriptionError(
      'since is required: the ISO 8601 time from which to recover abandoned deliveries',
    );
  }
  const at = isInstant(text) ? new Date(text) : null;
  if (!at) {
    throw new InvalidSubscriptionError(
      `since must be an ISO 8601 date or time such as 2026-01-15T10:00:00Z, got "${text}"`,
      { since: text },
    );
  }
  return at;
};

@CommandHandler(RecoverSubscriptionCommand)
export class RecoverSubscriptionHandler implements ICommandHandler<RecoverSubscriptionCommand> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
  ) {}

  async execute({ id, since }: RecoverSubscriptionCommand): Promise<RecoveredSubscription> {
    const from = parseSince(since);
    const { subscription, recovered } = await this.store.recover(id, from, this.clock.now());
    const job = deliverJob(id);
    await boundedQueueCall(this.queue.add(job.name, job.data, job.opts)).catch(() => undefined);
    return { recovered, since: from.toISOString(), subscription: publicView(subscription) };
  }
}
