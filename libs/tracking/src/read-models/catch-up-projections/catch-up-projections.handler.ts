import { setTimeout as sleep } from 'node:timers/promises';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Checkpoint, compareCheckpoints, EventStore } from '@app/infrastructure';
import type { Projection } from '../projections/projection.js';
import { ProjectionRegistry } from '../projections/projection-registry.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { CatchUpProjectionsCommand } from './catch-up-projections.command.js';

/**
 * How long a catch-up waits for events committed before it was asked that readers may not pass yet. A
 * transaction of another database on the server that ends while a read looks holds that one read back
 * (`READ_HORIZON`), and the next read passes it; a write transaction of this database still open holds
 * readers until it ends, and the catch-up then stops where they stop, as before.
 */
const COMMITTED_WAIT_MS = 2_000;
const RETRY_MS = 10;

@CommandHandler(CatchUpProjectionsCommand)
export class CatchUpProjectionsHandler implements ICommandHandler<CatchUpProjectionsCommand> {
  constructor(
    private readonly registry: ProjectionRegistry,
    private readonly runner: ProjectionRunner,
    private readonly eventStore: EventStore,
  ) {}

  /** Applies every event committed before it was asked, unless a transaction still open holds readers back. */
  async execute({ name }: CatchUpProjectionsCommand): Promise<Record<string, number | null>> {
    const committed = await this.eventStore.lastCommitted();
    const deadline = Date.now() + COMMITTED_WAIT_MS;
    const applied: Record<string, number | null> = {};
    for (const projection of name ? [this.registry.byName(name)] : this.registry.all()) {
      applied[projection.name] = await this.catchUpTo(projection, committed, deadline);
    }
    return applied;
  }

  private async catchUpTo(projection: Projection, committed: Checkpoint | null, deadline: number) {
    let total = await this.runner.catchUp(projection);
    while (committed && Date.now() < deadline) {
      const { checkpoint } = await this.runner.checkpointOf(projection.name);
      if (compareCheckpoints(checkpoint, committed) >= 0) break;
      await sleep(RETRY_MS);
      const more = await this.runner.catchUp(projection);
      if (more !== null) total = (total ?? 0) + more;
    }
    return total;
  }
}
