import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { Clock, OutboundPolicy } from '@app/infrastructure';
import { WEBHOOK_URLS } from '../delivery/webhook-sender.js';
import { type SubscriptionWithSecret, validateFilter } from './subscription.js';
import { CreateSubscriptionCommand } from './create-subscription.command.js';
import { publicView, SubscriptionStore } from './subscription-store.js';
import { newSecret, checkName, checkWatchlists } from './subscription-rules.js';

@CommandHandler(CreateSubscriptionCommand)
export class CreateSubscriptionHandler implements ICommandHandler<CreateSubscriptionCommand> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly policy: OutboundPolicy,
    private readonly clock: Clock,
    private readonly queryBus: QueryBus,
  ) {}

  async execute({ input }: CreateSubscriptionCommand): Promise<SubscriptionWithSecret> {
    const url = await this.policy.check(input.url, WEBHOOK_URLS);
    const secret = newSecret();
    const name = checkName(input.name);
    const filter = await checkWatchlists(this.queryBus, validateFilter(input.filter ?? {}));
    const record = await this.store.insert(
      {
        id: randomUUID(),
        name,
        filter,
        url: url.href,
        secret,
      },
      this.clock.now(),
    );
    return { ...publicView(record), secret };
  }
}
