import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';

/**
 * Keeps the worker's BullMQ job schedulers in place. They live in Redis, so a Redis that restarts
 * without persistence (or is flushed) forgets them; re-declaring them regularly (an idempotent
 * upsert) brings them back without a restart of the worker.
 */
@Injectable()
export class JobSchedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobSchedules.name);
  private readonly declarations: { name: string; declare: () => Promise<void> }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private declaring: Promise<void> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Registers schedulers to keep (call from onModuleInit). */
  keep(name: string, declare: () => Promise<void>): void {
    this.declarations.push({ name, declare });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.declareAll();
    this.timer = setInterval(() => void this.declareAll(), this.config.schedulerRefreshMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async declareAll(): Promise<void> {
    // While Redis is away a declaration waits for it; the next ones must not pile up behind it.
    if (this.declaring) return this.declaring;
    this.declaring = (async () => {
      for (const { name, declare } of this.declarations) {
        await declare().catch((error: Error) =>
          this.logger.warn(`Could not declare the ${name} schedules (retrying later): ${error.message}`),
        );
      }
    })().finally(() => (this.declaring = null));
    return this.declaring;
  }
}
