import { CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { Clock, OutboundPolicy } from '@app/infrastructure';
import { WEBHOOK_URLS } from '../delivery/webhook-sender.js';
import { type Subscription, validateFilter } from './subscription.js';
import { UpdateSubscriptionCommand } from './update-subscription.command.js';
import { publicView, SubscriptionStore } from './subscription-store.js';
import { checkName, checkWatchlists } from './subscription-rules.js';

@CommandHandler(UpdateSubscriptionCommand)
export class UpdateSubscriptionHandler implements ICommandHandler<UpdateSubscriptionCommand> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly policy: OutboundPolicy,
    private readonly clock: Clock,
    private readonly queryBus: QueryBus,
  ) {}

  async execute({ id, changes }: UpdateSubscriptionCommand): Promise<Subscription> {
    await this.store.get(id, this.clock.now());
    // Any URL given is checked, an empty one too (refused, as when creating): not taken for no change.
    const url = changes.url != null ? (await this.policy.check(changes.url, WEBHOOK_URLS)).href : undefined;
    const name = changes.name === undefined ? undefined : checkName(changes.name);
    const filter = changes.filter ? await checkWatchlists(this.queryBus, validateFilter(changes.filter)) : undefined;
    const record = await this.store.update(
      id,
      {
        name,
        filter,
        url,
      },
      this.clock.now(),
    );
    return publicView(record);
  }
}
