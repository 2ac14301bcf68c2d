import type { Server } from 'node:http';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** How long the shutdown waits for long requests (live streams) to end before the server closes. */
const DRAIN_MS = 3000;

/**
 * Lets long-lived requests end when the process is asked to stop. Nest closes an application in
 * this order: module-destroy hooks, before-shutdown hooks, the HTTP server (which waits for every
 * open request), then shutdown hooks (the database pool). So the signal is raised first, and the
 * server closes only once the live streams that were told have ended (or `DRAIN_MS` passed):
 * `?wait=true` requests answer early with what they have, streams end cleanly, and nothing keeps
 * the server from closing. Keep-alive connections that fall idle meanwhile (a request answered after
 * the server began to close) are closed as they do, rather than when their keep-alive times out.
 */
@Injectable()
export class ServerShutdown implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(ServerShutdown.name);
  private readonly controller = new AbortController();
  private readonly open = new Set<Promise<void>>();

  constructor(@Optional() private readonly adapterHost?: HttpAdapterHost) {}

  /** Aborted once the process is stopping. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get requested(): boolean {
    return this.controller.signal.aborted;
  }

  /** Counts a long request as open until `work` settles; the shutdown waits for it. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.open.add(settled);
    try {
      return await running;
    } finally {
      this.open.delete(settled);
    }
  }

  onModuleDestroy(): void {
    this.controller.abort();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.controller.abort();
    this.closeIdleConnectionsUntilClosed();
    if (this.open.size === 0) return;
    const count = this.open.size;
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      Promise.all([...this.open]).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), DRAIN_MS))),
    ]);
    clearTimeout(timer);
    if (!ended) this.logger.warn(`${this.open.size} of ${count} long requests still open after ${DRAIN_MS} ms`);
  }

  private closeIdleConnectionsUntilClosed(): void {
    const server = this.adapterHost?.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server || typeof server.closeIdleConnections !== 'function') return;
    const timer = setInterval(() => server.closeIdleConnections(), 50);
    timer.unref();
    server.once('close', () => clearInterval(timer));
  }
}
