import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Queue } from 'bullmq';
import { Metrics, QUEUES } from '@app/infrastructure';
import { CountIngestionsQuery } from '../../ingestion/index.js';
import { CountPendingDeliveriesQuery } from '../../notifications/index.js';
import { GetProjectionStatusQuery } from '../../read-models/index.js';
import { LivenessProbe } from '../liveness/liveness.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * Reads the gauges that describe the whole installation (projection lag, the oldest open transaction
 * and how long it has held projections, queue depths, pending deliveries, failed ingestions) just before a scrape.
 */
@Injectable()
export class MetricsCollector {
  private readonly logger = new Logger(MetricsCollector.name);
  private readonly queues: Queue[];

  constructor(
    private readonly metrics: Metrics,
    private readonly queryBus: QueryBus,
    private readonly liveness: LivenessProbe,
    @InjectQueue(QUEUES.ingest) ingest: Queue,
    @InjectQueue(QUEUES.projections) projections: Queue,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    @InjectQueue(QUEUES.watchlists) watchlists: Queue,
  ) {
    this.queues = [ingest, projections, notifications, watchlists];
  }

  /** The metrics text, with fresh gauges; a gauge that cannot be read keeps its last value. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const reads = [
      this.readProjections(),
      this.readLiveness(),
      this.readQueues(),
      this.readDeliveries(),
      this.readFailedIngestions(),
    ];
    for (const result of await Promise.allSettled(reads)) {
      if (result.status === 'rejected') {
        this.logger.warn(`Some gauges could not be read: ${(result.reason as Error).message}`);
      }
    }
    return { contentType: this.metrics.registry.contentType, body: await this.metrics.registry.metrics() };
  }

  private async readProjections(): Promise<void> {
    for (const status of await this.queryBus.execute(new GetProjectionStatusQuery())) {
      this.metrics.projectionLagEvents.set({ projection: status.name }, status.lagEvents);
      this.metrics.projectionLagSeconds.set({ projection: status.name }, status.lagSeconds);
    }
  }

  private async readLiveness(): Promise<void> {
    const { oldestTransaction, projectionsHeldSeconds } = await this.liveness.read();
    this.metrics.oldestTransactionSeconds.reset();
    if (oldestTransaction) {
      this.metrics.oldestTransactionSeconds.set(
        { pid: String(oldestTransaction.pid), application_name: oldestTransaction.applicationName ?? '' },
        oldestTransaction.ageSeconds,
      );
    }
    this.metrics.projectionsHeldSeconds.set(projectionsHeldSeconds);
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
