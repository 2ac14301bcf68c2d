import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeleteSubscriptionCommand } from './delete-subscription.command.js';
import { SubscriptionStore } from './subscription-store.js';

@CommandHandler(DeleteSubscriptionCommand)
export class DeleteSubscriptionHandler implements ICommandHandler<DeleteSubscriptionCommand> {
  constructor(private readonly store: SubscriptionStore) {}

  execute({ id }: DeleteSubscriptionCommand): Promise<void> {
    return this.store.delete(id);
  }
}
