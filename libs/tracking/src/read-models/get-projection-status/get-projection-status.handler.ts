import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Clock, EventStore } from '@app/infrastructure';
import { GetProjectionStatusQuery, type ProjectionStatus } from './get-projection-status.query.js';
import { ProjectionRegistry } from '../projections/projection-registry.js';
import { ProjectionRunner } from '../projections/projection-runner.js';

@QueryHandler(GetProjectionStatusQuery)
export class GetProjectionStatusHandler implements IQueryHandler<GetProjectionStatusQuery> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly registry: ProjectionRegistry,
    private readonly runner: ProjectionRunner,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<ProjectionStatus[]> {
    const now = this.clock.now().getTime();
    return Promise.all(
      this.registry.names().map(async (name) => {
        const { checkpoint, updatedAt } = await this.runner.checkpointOf(name);
        const lag = await this.eventStore.lagBehind(checkpoint);
        return {
          name,
          checkpoint,
          lagEvents: lag.events,
          lagSeconds: lag.oldestUnreadRecordedAt ? Math.max(0, (now - lag.oldestUnreadRecordedAt.getTime()) / 1000) : 0,
          updatedAt: updatedAt?.toISOString() ?? null,
        };
      }),
    );
  }
}
