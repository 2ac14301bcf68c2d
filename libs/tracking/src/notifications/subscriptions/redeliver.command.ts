import { Command } from '@nestjs/cqrs';

/** Delivers an event again (delivered or abandoned), now, with a fresh retry schedule (once its subscription is active). */
export class RedeliverCommand extends Command<{ eventId: string; status: 'pending' }> {
  constructor(
    readonly subscriptionId: string,
    readonly eventId: string,
  ) {
    super();
  }
}
