import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health/health.controller.js';
import { PostgresHealth } from './health/postgres-health.js';
import { LivenessProbe } from './liveness/liveness.js';
import { MetricsCollector } from './metrics/metrics-collector.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { WorkerMetricsServer } from './metrics/worker-metrics-server.js';

/**
 * Health and Prometheus metrics over the api's HTTP. With API_KEYS set, `/metrics` needs a key like
 * every read; `/health` answers without one, with its details only to a request with a key.
 */
@Module({
  imports: [TerminusModule],
  controllers: [HealthController, MetricsController],
  providers: [MetricsCollector, PostgresHealth, LivenessProbe],
})
export class OperationsHttpModule {}

/** The worker's own metrics endpoint (WORKER_METRICS_PORT). */
@Module({ providers: [MetricsCollector, LivenessProbe, WorkerMetricsServer] })
export class OperationsWorkerModule {}
