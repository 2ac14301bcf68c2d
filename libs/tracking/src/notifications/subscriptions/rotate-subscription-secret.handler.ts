import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@app/infrastructure';
import { type SubscriptionWithSecret } from './subscription.js';
import { RotateSubscriptionSecretCommand } from './rotate-subscription-secret.command.js';
import { publicView, SubscriptionStore } from './subscription-store.js';
import { ROTATION_GRACE_MS, newSecret } from './subscription-rules.js';

@CommandHandler(RotateSubscriptionSecretCommand)
export class RotateSubscriptionSecretHandler implements ICommandHandler<RotateSubscriptionSecretCommand> {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly clock: Clock,
  ) {}

  async execute({ id }: RotateSubscriptionSecretCommand): Promise<SubscriptionWithSecret> {
    const now = this.clock.now();
    const secret = newSecret();
    const record = await this.store.rotateSecret(id, secret, new Date(now.getTime() + ROTATION_GRACE_MS), now);
    return { ...publicView(record), secret };
  }
}
