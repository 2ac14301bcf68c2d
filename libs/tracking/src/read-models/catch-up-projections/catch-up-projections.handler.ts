import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProjectionRegistry } from '../projections/projection-registry.js';
import { HELD_READ_WAIT_MS, ProjectionRunner } from '../projections/projection-runner.js';
import { CatchUpProjectionsCommand } from './catch-up-projections.command.js';

@CommandHandler(CatchUpProjectionsCommand)
export class CatchUpProjectionsHandler implements ICommandHandler<CatchUpProjectionsCommand> {
  constructor(
    private readonly registry: ProjectionRegistry,
    private readonly runner: ProjectionRunner,
  ) {}

  /**
   * Applies every event committed before it was asked, waiting up to `HELD_READ_WAIT_MS` in all for a read
   * held back: a transaction of another database on the server that ends while a read looks holds that
   * one read back (`READ_HORIZON`), and the next read passes it; a write transaction of this database
   * still open holds readers until it ends, and the catch-up then stops where they stop.
   */
  async execute({ name }: CatchUpProjectionsCommand): Promise<Record<string, number | null>> {
    const deadline = performance.now() + HELD_READ_WAIT_MS;
    const applied: Record<string, number | null> = {};
    for (const projection of name ? [this.registry.byName(name)] : this.registry.all()) {
      applied[projection.name] = await this.runner.catchUpCommitted([projection], deadline);
    }
    return applied;
  }
}
