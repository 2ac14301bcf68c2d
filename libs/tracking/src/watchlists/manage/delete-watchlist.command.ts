import { Command } from '@nestjs/cqrs';

export class DeleteWatchlistCommand extends Command<void> {
  constructor(readonly idOrName: string) {
    super();
  }
}
