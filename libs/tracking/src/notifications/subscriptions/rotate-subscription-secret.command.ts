import { Command } from '@nestjs/cqrs';
import type { SubscriptionWithSecret } from './subscription.js';

/** Issues a new signing secret; the old one keeps signing beside it for a grace period. */
export class RotateSubscriptionSecretCommand extends Command<SubscriptionWithSecret> {
  constructor(readonly id: string) {
    super();
  }
}
