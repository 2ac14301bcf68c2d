import 'reflect-metadata';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig, DomainErrorFilter } from '@app/infrastructure';
import { ApiModule } from './api.module.js';

/** The configured api application, not yet listening (tests listen on port 0). */
export const createApiApp = async (overrides: Partial<AppConfig> = {}): Promise<INestApplication> => {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(overrides), {
    bodyParser: false,
    bufferLogs: true,
  });
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // Snapshots arrive in any format; the pipeline reads the raw bytes itself.
  app.use('/snapshots', express.raw({ type: () => true, limit: config.maxSnapshotBytes }));
  app.use(express.json({ limit: '1mb' }));
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
  app.useGlobalFilters(new DomainErrorFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('trialwatch')
      .setDescription('What changed in a clinical trial, when, and who should hear about it.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
};
