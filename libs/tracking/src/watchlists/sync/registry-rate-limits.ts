import { Inject, Injectable } from '@nestjs/common';
import { type RequestTurns, SharedTurns } from '@app/ctgov-client';
import { APP_CONFIG, type AppConfig, type RedisClient, RedisConnections } from '@app/infrastructure';

/** The key of ClinicalTrials.gov's limit, whichever of its addresses a request goes to. */
export const CTGOV_SITE = 'clinicaltrials.gov';

/**
 * One CTGOV_REQUESTS_PER_SECOND limit per site for the whole installation: every process with the same
 * Redis and REDIS_PREFIX (workers, the CLI, the api) takes its turns from one counter in Redis. The API
 * client, the history client and registry pages on ClinicalTrials.gov (or on CTGOV_BASE_URL's origin)
 * share the site's limit; other page origins get one limit each. Each limit is one key, so it works on
 * a Redis Cluster (REDIS_CLUSTER_NODES) as on one server.
 */
@Injectable()
export class RegistryRateLimits {
  private redis: RedisClient | null = null;
  private readonly sites = new Map<string, RequestTurns>();
  private readonly registryOrigin: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connections: RedisConnections,
  ) {
    this.registryOrigin = new URL(config.ctgov.baseUrl).origin;
  }

  /** The site a URL belongs to, for its limit. */
  siteOf(url: URL): string {
    const host = url.hostname.toLowerCase();
    if (url.origin === this.registryOrigin || host === CTGOV_SITE || host.endsWith(`.${CTGOV_SITE}`)) return CTGOV_SITE;
    return url.origin;
  }

  /** The turns of a site (CTGOV_SITE or an origin); Redis is reached on the first turn taken. */
  turnsFor(site: string): RequestTurns {
    return { take: () => this.shared(site).take() };
  }

  private shared(site: string): RequestTurns {
    let turns = this.sites.get(site);
    if (!turns) {
      turns = new SharedTurns({
        storeClient: this.connection(),
        key: `${this.config.redisPrefix}:outbound-rate:${site}`,
        requestsPerSecond: this.config.ctgov.requestsPerSecond,
        maxRequestMs: this.config.ctgov.timeoutMs,
      });
      this.sites.set(site, turns);
    }
    return turns;
  }

  /** Opened on first use: a process that never calls a registry never connects for it. The factory closes it. */
  private connection(): RedisClient {
    if (!this.redis) {
      // A command fails after one reconnect attempt while Redis is away, and the limit falls back to this process.
      this.redis = this.connections.create({ maxRetriesPerRequest: 1 });
      this.redis.on('error', () => undefined);
    }
    return this.redis;
  }
}
