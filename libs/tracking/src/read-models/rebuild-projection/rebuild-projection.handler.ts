import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProjectionRebuilder, type RebuildReport } from '../projections/projection-rebuilder.js';
import { ProjectionRegistry } from '../projections/projection-registry.js';
import { RebuildProjectionCommand } from './rebuild-projection.command.js';

@CommandHandler(RebuildProjectionCommand)
export class RebuildProjectionHandler implements ICommandHandler<RebuildProjectionCommand> {
  constructor(
    private readonly registry: ProjectionRegistry,
    private readonly rebuilder: ProjectionRebuilder,
  ) {}

  async execute({ name }: RebuildProjectionCommand): Promise<RebuildReport[]> {
    const projections = name ? [this.registry.byName(name)] : this.registry.all();
    const reports: RebuildReport[] = [];
    for (const projection of projections) reports.push(await this.rebuilder.rebuild(projection));
    return reports;
  }
}
