import { Command } from '@nestjs/cqrs';
import type { RebuildReport } from '../projections/projection-rebuilder.js';

/** Rebuilds one read model (or all, when no name is given) from the event store, beside the live one. */
export class RebuildProjectionCommand extends Command<RebuildReport[]> {
  constructor(readonly name?: string) {
    super();
  }
}
