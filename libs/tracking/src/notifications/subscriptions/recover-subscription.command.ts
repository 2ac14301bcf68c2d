import { Command } from '@nestjs/cqrs';
import type { Subscription } from './subscription.js';

export interface RecoveredSubscription {
  /** The deliveries abandoned at or after `since`, now pending again with a fresh retry schedule. */
  recovered: number;
  since: string;
  /** The subscription, active again. */
  subscription: Subscription;
}

/** Re-queues what a subscription abandoned since a time (an ISO 8601 date or time) and enables it. */
export class RecoverSubscriptionCommand extends Command<RecoveredSubscription> {
  constructor(
    readonly id: string,
    readonly since: string | undefined,
  ) {
    super();
  }
}
