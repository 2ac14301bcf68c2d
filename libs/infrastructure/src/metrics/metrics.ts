import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * This process's Prometheus metrics. The api serves them at /metrics, the worker on
 * WORKER_METRICS_PORT: each process counts what it does; gauges read PostgreSQL and Redis at scrape.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly snapshotsReceived = new Counter({
    name: 'trialwatch_snapshots_received_total',
    help: 'Snapshots received through POST /snapshots, by whether they were queued or rejected',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  readonly ingestions = new Counter({
    name: 'trialwatch_ingestions_total',
    help: 'Ingestions processed, by outcome (appended, learned, unchanged, stale, rejected, failed)',
    labelNames: ['status'],
    registers: [this.registry],
  });

  readonly failedIngestions = new Gauge({
    name: 'trialwatch_ingestions_failed',
    help: 'Ingestions now failed (attempts used up or undecidable in a bulk load), waiting for POST /ingestions/:id/retry',
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'trialwatch_events_appended_total',
    help: 'Domain events appended to the event store, by type',
    labelNames: ['type'],
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: 'trialwatch_webhook_attempts_total',
    help: 'Webhook delivery attempts, by result (delivered, failed, abandoned)',
    labelNames: ['result'],
    registers: [this.registry],
  });

  readonly webhookLatency = new Histogram({
    name: 'trialwatch_webhook_attempt_seconds',
    help: 'Duration of webhook delivery attempts',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly projectionLagEvents = new Gauge({
    name: 'trialwatch_projection_lag_events',
    help: 'Events in the store a projection has not applied yet',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  readonly projectionLagSeconds = new Gauge({
    name: 'trialwatch_projection_lag_seconds',
    help: 'Age of the oldest event a projection has not applied yet',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  readonly oldestTransactionSeconds = new Gauge({
    name: 'trialwatch_oldest_transaction_seconds',
    help: 'Age of the oldest open write transaction on the PostgreSQL server (absent when none): it holds every reader of the global order back',
    labelNames: ['pid', 'application_name'],
    registers: [this.registry],
  });

  readonly projectionFactsCache = new Counter({
    name: 'trialwatch_projection_facts_cache_total',
    help: 'Trials a projection had to fold (current state, change feed), by whether what it folds from was kept in memory (hit) or read from the event store (miss)',
    labelNames: ['projection', 'result'],
    registers: [this.registry],
  });

  readonly projectionsHeldSeconds = new Gauge({
    name: 'trialwatch_projections_held_seconds',
    help: 'How long committed events have waited, unreadable, behind an open transaction (0 when none)',
    registers: [this.registry],
  });

  readonly queueJobs = new Gauge({
    name: 'trialwatch_queue_jobs',
    help: 'BullMQ jobs by queue and state',
    labelNames: ['queue', 'state'],
    registers: [this.registry],
  });

  readonly pendingDeliveries = new Gauge({
    name: 'trialwatch_webhook_deliveries_pending',
    help: 'Webhook deliveries waiting (first attempt or retry)',
    registers: [this.registry],
  });

  /**
   * How long the api took over each request, from the first middleware until the response's last byte
   * was handed to the socket. Labelled by the route's template (`/trials/:nctId/history`), never by
   * the raw URL; requests no route matched share the label `unmatched`. Buckets start at half a
   * millisecond, so the tail of fast reads is visible.
   */
  readonly httpRequestDuration = new Histogram({
    name: 'trialwatch_http_request_duration_seconds',
    help: 'Duration of HTTP requests served by the api, by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'trialwatch_' });
  }
}
