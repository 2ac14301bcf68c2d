import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Queue } from 'bullmq';
import { Metrics, QUEUES } from '@app/infrastructure';
import { CountIngestionsQuery } from '../../ingestion/index.js';
import { CountPendingDeliveriesQuery } from '../../notifications/index.js';
import { GetProjectionStatusQuery } from '../../read-models/index.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Reads the gauges that describe the whole installation (projection lag, queue depths, pending deliveries, failed ingestions) just before a scrape. */
@Injectable()
export class MetricsCollector {
  private readonly logger = new Logger(MetricsCollector.name);
  private readonly queues: Queue[];

  constructor(
    private readonly metrics: Metrics,
    private readonly queryBus: QueryBus,
    @InjectQueue(QUEUES.ingest) ingest: Queue,
    @InjectQueue(QUEUES.projections) projections: Queue,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    @InjectQueue(QUEUES.watchlists) watchlists: Queue,
  ) {
    this.queues = [ingest, projections, notifications, watchlists];
  }

  /** The metrics text, with fresh gauges; a gauge that cannot be read keeps its last value. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    await Promise.all([
      this.readProjections(),
      this.readQueues(),
      this.readDeliveries(),
      this.readFailedIngestions(),
    ]).catch((error: Error) => this.logger.warn(`Some gauges could not be read: ${error.message}`));
    return { contentType: this.metrics.registry.contentType, body: await this.metrics.registry.metrics() };
  }

  private async readProjections(): Promise<void> {
    for (const status of await this.queryBus.execute(new GetProjectionStatusQuery())) {
      this.metrics.projectionLagEvents.set({ projection: status.name }, status.lagEvents);
      this.metrics.projectionLagSeconds.set({ projection: status.name }, status.lagSeconds);
    }
  }

  private async readQueues(): Promise<void> {
    for (const queue of this.queues) {
      const counts = await queue.getJobCounts(...STATES);
      for (const state of STATES) this.metrics.queueJobs.set({ queue: queue.name, state }, counts[state] ?? 0);
    }
  }

  private async readFailedIngestions(): Promise<void> {
    this.metrics.failedIngestions.set(await this.queryBus.execute(new CountIngestionsQuery('failed')));
  }

  private async readDeliveries(): Promise<void> {
    this.metrics.pendingDeliveries.set(await this.queryBus.execute(new CountPendingDeliveriesQuery()));
  }
}
