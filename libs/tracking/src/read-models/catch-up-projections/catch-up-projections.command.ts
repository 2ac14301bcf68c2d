import { Command } from '@nestjs/cqrs';

/**
 * Applies every event now in the store to one projection (or all), in this process: the CLI after a
 * bulk load. Returns the events applied per projection (null: another runner held it).
 */
export class CatchUpProjectionsCommand extends Command<Record<string, number | null>> {
  constructor(readonly name?: string) {
    super();
  }
}
