import { createServer, type Server } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/infrastructure';
import { MetricsCollector } from './metrics-collector.js';

/** The worker has no HTTP api: it serves its metrics on WORKER_METRICS_PORT (0 turns this off). */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server: Server | null = null;

  constructor(
    private readonly collector: MetricsCollector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.workerMetricsPort) return;
    this.server = createServer((request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.collector
        .scrape()
        .then(({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body))
        .catch((error: Error) => response.writeHead(500).end(error.message));
    });
    const listening = await new Promise<boolean>((resolve) => {
      this.server!.once('error', (error: Error) => {
        // Another worker on this host has the port: this one works on, without a metrics endpoint.
        this.logger.error(`No worker metrics endpoint on port ${this.config.workerMetricsPort}: ${error.message}`);
        this.server = null;
        resolve(false);
      });
      this.server!.listen(this.config.workerMetricsPort, this.config.workerMetricsHost, () => resolve(true));
    });
    if (listening)
      this.logger.log(`Worker metrics on ${this.config.workerMetricsHost}:${this.config.workerMetricsPort}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
