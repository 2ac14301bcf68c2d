import { Command } from '@nestjs/cqrs';
import type { Subscription } from './subscription.js';
import type { SubscriptionInput } from './subscription-input.js';

export class UpdateSubscriptionCommand extends Command<Subscription> {
  constructor(
    readonly id: string,
    readonly changes: Partial<SubscriptionInput>,
  ) {
    super();
  }
}
