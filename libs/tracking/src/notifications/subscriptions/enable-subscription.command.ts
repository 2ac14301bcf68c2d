import { Command } from '@nestjs/cqrs';
import type { Subscription } from './subscription.js';

export class EnableSubscriptionCommand extends Command<Subscription> {
  constructor(readonly id: string) {
    super();
  }
}
