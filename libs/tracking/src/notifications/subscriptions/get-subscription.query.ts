import { Query } from '@nestjs/cqrs';
import type { Subscription } from './subscription.js';

export class GetSubscriptionQuery extends Query<Subscription> {
  constructor(readonly id: string) {
    super();
  }
}
