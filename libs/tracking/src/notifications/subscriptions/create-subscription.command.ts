import { Command } from '@nestjs/cqrs';
import type { SubscriptionWithSecret } from './subscription.js';
import type { SubscriptionInput } from './subscription-input.js';

export class CreateSubscriptionCommand extends Command<SubscriptionWithSecret> {
  constructor(readonly input: SubscriptionInput) {
    super();
  }
}
