import { Command } from '@nestjs/cqrs';

/** Delivers an event again (delivered or abandoned), now. */
export class RedeliverCommand extends Command<{ eventId: string; status: 'pending' }> {
  constructor(
    readonly subscriptionId: string,
    readonly eventId: string,
  ) {
    super();
  }
}
