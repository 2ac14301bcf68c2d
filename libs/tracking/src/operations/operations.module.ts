import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health/health.controller.js';
import { PostgresHealth } from './health/postgres-health.js';
import { MetricsCollector } from './metrics/metrics-collector.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { WorkerMetricsServer } from './metrics/worker-metrics-server.js';

/** Health and Prometheus metrics over the api's HTTP (open without a key). */
@Module({
  imports: [TerminusModule],
  controllers: [HealthController, MetricsController],
  providers: [MetricsCollector, PostgresHealth],
})
export class OperationsHttpModule {}

/** The worker's own metrics endpoint (WORKER_METRICS_PORT). */
@Module({ providers: [MetricsCollector, WorkerMetricsServer] })
export class OperationsWorkerModule {}
