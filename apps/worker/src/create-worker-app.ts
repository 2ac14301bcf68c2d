import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { type AppConfig, START_QUIETLY } from '@app/infrastructure';
import { WorkerModule } from './worker.module.js';

/** The queue workers: ingestion, projections, housekeeping. On SIGTERM, jobs in flight finish first; a failed start is thrown. */
export const createWorkerApp = async (overrides: Partial<AppConfig> = {}): Promise<INestApplicationContext> => {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(overrides), START_QUIETLY);
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.enableShutdownHooks();
  await app.init();
  return app;
};
