import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProjectionRegistry } from '../projections/projection-registry.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { CatchUpProjectionsCommand } from './catch-up-projections.command.js';

@CommandHandler(CatchUpProjectionsCommand)
export class CatchUpProjectionsHandler implements ICommandHandler<CatchUpProjectionsCommand> {
  constructor(
    private readonly registry: ProjectionRegistry,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute({ name }: CatchUpProjectionsCommand): Promise<Record<string, number | null>> {
    const applied: Record<string, number | null> = {};
    for (const projection of name ? [this.registry.byName(name)] : this.registry.all()) {
      applied[projection.name] = await this.runner.catchUp(projection);
    }
    return applied;
  }
}
