import type { INestApplicationContext } from '@nestjs/common';
import { type AppProcess, startApi, startWorker } from '../../test/support/app-processes.js';
import { createTestEnvironment, type TestEnvironment } from '../../test/support/test-environment.js';
import { createBenchContext } from './bench-context.js';

/** A fresh database and Redis prefix for one benchmark run, with the use cases in this process. */
export class BenchEnvironment {
  private constructor(
    readonly environment: TestEnvironment,
    readonly context: INestApplicationContext,
  ) {}

  readonly processes: AppProcess[] = [];

  static async create(settings: Record<string, string> = {}): Promise<BenchEnvironment> {
    const environment = await createTestEnvironment(
      { logLevel: 'warn', projectionBatchSize: Number(settings.PROJECTION_BATCH_SIZE ?? 1000) },
      { purpose: 'bench' },
    );
    Object.assign(environment.env, { PROJECTION_WAKE_INTERVAL_MS: '1000', LOG_LEVEL: 'warn' }, settings);
    const context = await createBenchContext(environment.config);
    return new BenchEnvironment(environment, context);
  }

  get env(): Record<string, string> {
    return this.environment.env;
  }

  async startWorker(extra: Record<string, string> = {}): Promise<AppProcess> {
    const worker = await startWorker({ ...this.env, ...extra });
    this.processes.push(worker);
    return worker;
  }

  async startApi(extra: Record<string, string> = {}): Promise<{ api: AppProcess; baseUrl: string }> {
    const started = await startApi({ ...this.env, ...extra });
    this.processes.push(started.api);
    return started;
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((process) => process.stop()));
    await this.context.close();
    await this.environment.teardown();
  }
}
