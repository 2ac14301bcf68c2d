import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { Public, QUEUES } from '@app/infrastructure';
import { PostgresHealth } from './postgres-health.js';
import { GetProjectionStatusQuery } from '../../read-models/index.js';

/** Projection lag beyond which the service reports itself degraded (still serving, but behind). */
const DEGRADED_LAG_SECONDS = 60;

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  ]);

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly postgres: PostgresHealth,
    private readonly queryBus: QueryBus,
    @InjectQueue(QUEUES.ingest) private readonly queue: Queue,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      async () => {
        const indicator = this.indicators.check('postgres');
        try {
          await withTimeout(this.postgres.ping(), 2000);
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
      async () => {
        const indicator = this.indicators.check('redis');
        try {
          const waiting = await withTimeout(this.queue.count(), 2000);
          return indicator.up({ ingestJobsWaiting: waiting });
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
      async () => {
        const indicator = this.indicators.check('projections');
        try {
          const statuses = await withTimeout(this.queryBus.execute(new GetProjectionStatusQuery()), 2000);
          const lag = Object.fromEntries(
            statuses.map((status) => [status.name, { events: status.lagEvents, seconds: status.lagSeconds }]),
          );
          const worst = Math.max(0, ...statuses.map((status) => status.lagSeconds));
          return worst > DEGRADED_LAG_SECONDS ? indicator.degraded({ lag }) : indicator.up({ lag });
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
    ]);
  }
}
