import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/infrastructure';
import { type Subscription } from './subscription.js';
import { ListSubscriptionsQuery } from './list-subscriptions.query.js';
import { publicView, SubscriptionStore } from './subscription-store.js';

@QueryHandler(ListSubscriptionsQuery)
export class ListSubscriptionsHandler implements IQueryHandler<ListSubscriptionsQuery> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<Subscription[]> {
    return (await this.store.list(this.clock.now())).map(publicView);
  }
}
