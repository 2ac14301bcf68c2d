import 'reflect-metadata';
import type { NextFunction, Request, Response } from 'express';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { isDomainError } from '@app/domain';
import { Logger } from 'nestjs-pino';
import {
  API_KEY_COOKIE,
  APP_CONFIG,
  type AppConfig,
  authenticate,
  BodyNotAnObjectError,
  DomainErrorFilter,
  findApiKey,
  keyBeforeBody,
  statusOf,
  TextWithoutNulPipe,
  QueryGivenOncePipe,
  Metrics,
  requestDurations,
  sendsBody,
  SnapshotRateLimit,
  START_QUIETLY,
  UnsupportedContentEncodingError,
  UnsupportedMediaTypeError,
} from '@app/infrastructure';
import { isSnapshotContentEncoding } from '@app/tracking/ingestion';
import { ApiModule } from './api.module.js';

/** The parts a browser reads page by page: a key given to one of their pages is kept for the rest. */
const BROWSER_AREAS = ['/ui', '/docs'];

/**
 * Clients that cannot send headers (feed readers, EventSource, a browser) pass their key as ?api_key=.
 * It becomes the X-API-Key header before routing, so no route sees it among its query parameters; on
 * the web pages and the API description a valid key is also kept in a cookie (HttpOnly, SameSite=Strict, Secure
 * behind https), so that links between pages and the pages' own scripts and styles keep working.
 */
const apiKeyFromQuery =
  (config: AppConfig) =>
  (request: Request, response: Response, next: NextFunction): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const key = url.searchParams.get('api_key');
    if (key !== null) {
      url.searchParams.delete('api_key');
      request.url = `${url.pathname}${url.search}`;
      request.headers['x-api-key'] ??= key;
      const inArea = BROWSER_AREAS.some((path) => url.pathname === path || url.pathname.startsWith(`${path}/`));
      // Only a key of this api: a mistyped one, or one in a link from another site, must not replace a working cookie.
      if (inArea && findApiKey(config.apiKeys, key)) {
        // For every area, not only this one: the web pages link the API description.
        const secure = request.secure || config.publicBaseUrl.startsWith('https:');
        response.setHeader(
          'set-cookie',
          BROWSER_AREAS.map(
            (area) =>
              `${API_KEY_COOKIE}=${encodeURIComponent(key)}; Path=${area}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
          ),
        );
      }
    }
    next();
  };

/**
 * The API description is served outside Nest's routing, where the key guard does not run: with
 * API_KEYS set it needs a key as every route but /health does (it names every route, admin ones too).
 */
const docsNeedKey =
  (config: AppConfig) =>
  (request: Request, response: Response, next: NextFunction): void => {
    if (config.apiKeys.length === 0) return next();
    try {
      authenticate(request, config.apiKeys);
      next();
    } catch (error) {
      if (!isDomainError(error)) return next(error);
      const statusCode = statusOf(error);
      if (error.kind === 'unauthenticated') response.setHeader('www-authenticate', 'Bearer realm="trialwatch"');
      response.status(statusCode).json({ statusCode, error: error.toJSON() });
    }
  };

/**
 * A snapshot's Content-Encoding (gzip, deflate, br, zstd) is undone by the pipeline, not by the body
 * parser, which would refuse a body that is not what the header says with zlib's words and keep nothing:
 * the header is set apart for the controller, so such a body is kept, rejected, as received, with an
 * error naming the problem. Any other encoding is still refused unread (415).
 */
const snapshotEncodingApart = (request: Request, response: Response, next: NextFunction): void => {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && isSnapshotContentEncoding(encoding)) {
    response.locals['contentEncoding'] = encoding;
    delete request.headers['content-encoding'];
  }
  next();
};

/**
 * A body the JSON parser left unread (sent as another Content-Type, as `curl -d` sends one) would reach
 * its route as no body at all: a PATCH would answer 200 having changed nothing. It is refused instead,
 * as is JSON that is not an object (`null`, `"x"`, `[…]`): every JSON route takes an object.
 */
const jsonBodiesOnly = (request: Request, _response: Response, next: NextFunction): void => {
  const body: unknown = request.body;
  if (body !== undefined && !Buffer.isBuffer(body)) {
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) return next();
    return next(
      new BodyNotAnObjectError(
        `The body must be a JSON object ({ … }); it was ${body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`}`,
      ),
    );
  }
  if (body !== undefined || !sendsBody(request) || !['POST', 'PUT', 'PATCH'].includes(request.method)) return next();
  const contentType = request.headers['content-type'] ?? null;
  next(
    new UnsupportedMediaTypeError(
      `The body must be JSON, sent with Content-Type: application/json; it was sent as ${contentType ?? 'no Content-Type'}`,
      { contentType },
    ),
  );
};

/**
 * The body parsers' own refusals of a body they cannot read, in trialwatch's codes and words: JSON in
 * another charset than UTF-8 (`charset=latin1`), or a Content-Encoding no parser undoes (`compress`).
 */
const bodyParserRefusals = (error: unknown, request: Request, _response: Response, next: NextFunction): void => {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'charset.unsupported') {
    const contentType = request.headers['content-type'] ?? null;
    const charset = String((error as { charset?: unknown }).charset).toLowerCase();
    return next(
      new UnsupportedMediaTypeError(
        `The body must be JSON in UTF-8, sent with Content-Type: application/json (charset=utf-8 or none); it was sent in charset ${charset}`,
        { contentType, charset },
      ),
    );
  }
  if (type === 'encoding.unsupported') {
    const contentEncoding = request.headers['content-encoding'] ?? null;
    return next(
      new UnsupportedContentEncodingError(
        `The body must be sent as is or with Content-Encoding gzip, deflate, br or zstd; it was sent as ${contentEncoding}`,
        { contentEncoding },
      ),
    );
  }
  next(error);
};

/** Nothing the api answers is to be sniffed into another type. */
const noSniff = (_request: Request, response: Response, next: NextFunction): void => {
  response.setHeader('x-content-type-options', 'nosniff');
  next();
};

/** The configured api application, not yet listening (tests listen on port 0); a failed start is thrown. */
export const createApiApp = async (overrides: Partial<AppConfig> = {}): Promise<INestApplication> => {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(overrides), {
    bodyParser: false,
    ...START_QUIETLY,
  });
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // First, so the request-duration histogram covers every other middleware too.
  app.use(requestDurations(app.get(Metrics)));
  app.use(noSniff);
  app.use(apiKeyFromQuery(config));
  // The rate limit comes before the body parser: a refused upload is never read.
  app.use('/snapshots', app.get(SnapshotRateLimit).middleware);
  // So is the key check: a body sent without a valid key is never read.
  app.use(keyBeforeBody(app, config.apiKeys));
  // Snapshots arrive in any format; the pipeline reads the raw bytes itself.
  app.use('/snapshots', snapshotEncodingApart);
  app.use('/snapshots', express.raw({ type: () => true, limit: config.maxSnapshotBytes }));
  // Not strict, so that JSON which is not an object is told as such rather than as not JSON at all.
  app.use(express.json({ limit: '1mb', strict: false }));
  app.use(jsonBodiesOnly);
  app.use(bodyParserRefusals);
  app.useGlobalPipes(
    new TextWithoutNulPipe(),
    new QueryGivenOncePipe(),
    new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }),
  );
  app.useGlobalFilters(new DomainErrorFilter());
  app.enableShutdownHooks();
  if (config.apiKeys.length === 0) {
    app
      .get(Logger)
      .warn(
        config.apiOpen
          ? `API_KEYS is not set and API_OPEN=true: every endpoint is open to anyone who can reach ${config.host}:${config.port}`
          : `API_KEYS is not set: the api listens on ${config.host} only; set API_KEYS to serve other interfaces`,
      );
  }

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('trialwatch')
      .setDescription('What changed in a clinical trial, when, and who should hear about it.')
      .setVersion('1')
      .build(),
  );
  app.use('/docs', docsNeedKey(config));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
  return app;
};
