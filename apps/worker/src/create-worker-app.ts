import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@app/infrastructure';
import { WorkerModule } from './worker.module.js';

/** The queue workers: ingestion, projections, housekeeping. On SIGTERM, jobs in flight finish first. */
export const createWorkerApp = async (overrides: Partial<AppConfig> = {}): Promise<INestApplicationContext> => {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(overrides), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  return app;
};
