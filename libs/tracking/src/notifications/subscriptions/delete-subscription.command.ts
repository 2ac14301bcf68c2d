import { Command } from '@nestjs/cqrs';

export class DeleteSubscriptionCommand extends Command<void> {
  constructor(readonly id: string) {
    super();
  }
}
