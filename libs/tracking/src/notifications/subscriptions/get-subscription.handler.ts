import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/infrastructure';
import { type Subscription } from './subscription.js';
import { GetSubscriptionQuery } from './get-subscription.query.js';
import { publicView, SubscriptionStore } from './subscription-store.js';

@QueryHandler(GetSubscriptionQuery)
export class GetSubscriptionHandler implements IQueryHandler<GetSubscriptionQuery> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly clock: Clock,
  ) {}

  async execute({ id }: GetSubscriptionQuery): Promise<Subscription> {
    return publicView(await this.store.get(id, this.clock.now()));
  }
}
