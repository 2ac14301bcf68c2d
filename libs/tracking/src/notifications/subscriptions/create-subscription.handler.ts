import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock, OutboundPolicy } from '@app/infrastructure';
import { WEBHOOK_URLS } from '../delivery/webhook-sender.js';
import { type SubscriptionWithSecret, validateFilter } from './subscription.js';
import { CreateSubscriptionCommand } from './create-subscription.command.js';
import { publicView, SubscriptionStore } from './subscription-store.js';
import { newSecret, checkName } from './subscription-rules.js';

@CommandHandler(CreateSubscriptionCommand)
export class CreateSubscriptionHandler implements ICommandHandler<CreateSubscriptionCommand> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly policy: OutboundPolicy,
    private readonly clock: Clock,
  ) {}

  async execute({ input }: CreateSubscriptionCommand): Promise<SubscriptionWithSecret> {
    const url = await this.policy.check(input.url, WEBHOOK_URLS);
    const secret = newSecret();
    const record = await this.store.insert(
      {
        id: randomUUID(),
        name: checkName(input.name),
        filter: validateFilter(input.filter ?? {}),
        url: url.href,
        secret,
      },
      this.clock.now(),
    );
    return { ...publicView(record), secret };
  }
}
