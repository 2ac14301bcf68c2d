import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, findApiKey, presentedKey } from '@app/infrastructure';
import { MetricsCollector } from './metrics-collector.js';

/** The worker has no HTTP api: it serves its metrics on WORKER_METRICS_PORT (0 turns this off), behind the api's keys. */
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
      if (!this.authorized(request)) {
        response.writeHead(401, { 'www-authenticate': 'Bearer' }).end('An API key is required');
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

  /** With API_KEYS set, a scrape needs a key of any scope (`Authorization: Bearer` or `X-API-Key`), as on the api. */
  private authorized(request: IncomingMessage): boolean {
    if (this.config.apiKeys.length === 0) return true;
    const presented = presentedKey(request, { allowCookie: false });
    return presented !== null && findApiKey(this.config.apiKeys, presented) !== null;
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
