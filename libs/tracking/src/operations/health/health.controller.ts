import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, HttpStatus, Inject, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig, presentsReadKey, Public, QUEUES } from '@app/infrastructure';
import { PostgresHealth } from './postgres-health.js';
import { GetProjectionStatusQuery } from '../../read-models/index.js';
import { LivenessProbe } from '../liveness/liveness.js';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  ]);

/**
 * `GET /health`. Open without a key, so that load balancers can probe it; with API_KEYS set, only a
 * request with a key sees the details (lag, the oldest open transaction), others get the status alone.
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly postgres: PostgresHealth,
    private readonly liveness: LivenessProbe,
    private readonly queryBus: QueryBus,
    @InjectQueue(QUEUES.ingest) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * 200 when every check is up (or degraded), else 503 with the same body, in Terminus's shape
   * (`{ status, info, error, details }`): which check is down, and why, is what a 503 is read for.
   */
  @Get()
  @HealthCheck()
  async check(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const detailed = presentsReadKey(request, this.config.apiKeys);
    let result: object;
    try {
      result = await this.checkAll();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      result = error.getResponse() as object;
    }
    return detailed ? result : { status: (result as { status: string }).status };
  }

  private checkAll() {
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
          return worst > this.config.healthDegradedAfterSeconds ? indicator.degraded({ lag }) : indicator.up({ lag });
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
      async () => {
        // Readers of the global order stop below the oldest open write transaction: name it.
        const indicator = this.indicators.check('transactions');
        try {
          const liveness = await withTimeout(this.liveness.read(), 2000);
          return liveness.projectionsHeldSeconds > this.config.healthDegradedAfterSeconds
            ? indicator.degraded({ ...liveness })
            : indicator.up({ ...liveness });
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
    ]);
  }
}
