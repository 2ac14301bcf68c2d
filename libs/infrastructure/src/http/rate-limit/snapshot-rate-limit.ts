import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/app-config.js';
import { type RedisClient, RedisConnections } from '../../queue/redis-connections.js';
import { presentedKey } from '../auth/api-key.guard.js';
import { findApiKey } from '../auth/api-keys.js';

/**
 * The limit on POST /snapshots (SNAPSHOT_RATE_LIMIT_PER_MINUTE per client and minute), counted in Redis
 * so that every api process shares it. It runs before the body is read: a refused client's upload is
 * never buffered. A client is its API key, else its address (behind a proxy, per TRUST_PROXY). While
 * Redis is unreachable each process counts on its own, so the limit still holds per process.
 */
@Injectable()
export class SnapshotRateLimit {
  private readonly logger = new Logger(SnapshotRateLimit.name);
  private readonly redis: RedisClient | null;
  private readonly limiter: RateLimiterRedis | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    connections: RedisConnections,
  ) {
    const points = config.snapshotRateLimitPerMinute;
    if (points <= 0) {
      this.redis = null;
      this.limiter = null;
      return;
    }
    // Fail fast to the in-process count rather than hold a request while Redis is away. Each count
    // is one key, so it works on a Redis Cluster as on one server. The factory closes it at shutdown.
    this.redis = connections.create({ maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    this.redis.on('error', () => undefined);
    this.limiter = new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `${config.redisPrefix}:rate-limit:snapshots`,
      points,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
    });
  }

  /** Express middleware for POST /snapshots, mounted ahead of the body parser. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (!this.limiter || request.method !== 'POST') return next();
    this.limiter.consume(this.clientOf(request)).then(
      () => next(),
      (rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) {
          this.logger.warn(`Rate limit not checked: ${(rejection as Error)?.message ?? String(rejection)}`);
          return next();
        }
        const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        const limit = this.config.snapshotRateLimitPerMinute;
        // The body is not read: close the connection rather than drain an upload that was refused.
        response.setHeader('connection', 'close');
        response.setHeader('retry-after', String(retryAfterSeconds));
        response.status(429).json({
          statusCode: 429,
          error: {
            code: 'request.rate-limited',
            message: `Too many snapshots: at most ${limit} a minute per client; retry in ${retryAfterSeconds} s`,
            details: { retryAfterSeconds },
          },
        });
      },
    );
  };

  private clientOf(request: Request): string {
    const presented = presentedKey(request, { allowCookie: false });
    const key = presented ? findApiKey(this.config.apiKeys, presented) : null;
    return key ? `key:${key.name}` : `ip:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
  }
}
