import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { Cluster, type ClusterNode, Redis, type RedisOptions } from 'ioredis';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { redisOptionsFromUrl } from './redis-connection.js';

/** A connection to the configured Redis: one server, or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** Settings of one client: ioredis options that apply to every node. */
export type RedisClientOptions = Pick<RedisOptions, 'maxRetriesPerRequest' | 'enableOfflineQueue' | 'lazyConnect'>;

const clusterNode = (nodeUrl: string): ClusterNode => {
  const url = new URL(nodeUrl);
  return { host: url.hostname, port: Number(url.port) };
};

/**
 * Every Redis connection of the application comes from here: with REDIS_CLUSTER_NODES set, ioredis
 * `Cluster` connections to those nodes; otherwise plain connections to REDIS_URL. It also names the
 * key prefix of each BullMQ queue: on a cluster every key of one queue must hash to one slot, so a
 * queue's prefix is a hash tag of its own (`{trialwatch:ingest}`), which spreads the queues over the
 * masters; a REDIS_PREFIX that already holds a hash tag keeps every queue in that one slot.
 * Two apis and three workers on a three-master cluster: `test/redis-cluster.e2e-spec.ts`; a master
 * restarted empty under them: `test/faults/redis-cluster.fault-spec.ts`.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnections.name);
  private readonly clients: RedisClient[] = [];
  private bullConnection: Cluster | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get clusterMode(): boolean {
    return this.config.redisClusterNodes.length > 0;
  }

  /** A new client, closed when the application shuts down. */
  create(options: RedisClientOptions = {}): RedisClient {
    const client = this.clusterMode ? this.createCluster(options) : new Redis({ ...this.nodeOptions(), ...options });
    this.clients.push(client);
    return client;
  }

  /**
   * BullMQ's connection for every queue and worker. One server: connection options (each queue and
   * worker opens its own). A cluster: one shared `Cluster` (BullMQ accepts only an instance for a
   * cluster); workers duplicate it for their blocking reads. Either way commands wait for Redis
   * while it is away (`maxRetriesPerRequest: null`), as BullMQ's workers need.
   */
  forBullMq(): ConnectionOptions {
    if (!this.clusterMode) return redisOptionsFromUrl(this.config.redisUrl);
    this.bullConnection ??= this.create({ maxRetriesPerRequest: null }) as Cluster;
    return this.bullConnection as unknown as ConnectionOptions;
  }

  /** The BullMQ key prefix of a queue (see the class comment). */
  queuePrefix(queueName: string): string {
    const prefix = this.config.redisPrefix;
    if (!this.clusterMode || /\{[^}]+\}/.test(prefix)) return prefix;
    return `{${prefix}:${queueName}}`;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.clients.map((client) =>
        client.quit().then(
          () => undefined,
          () => client.disconnect(),
        ),
      ),
    ).catch((error: Error) => this.logger.warn(`Redis connections closed uncleanly: ${error.message}`));
  }

  /** Options every node shares: credentials and TLS from the first cluster node URL that has them, else REDIS_URL. */
  private nodeOptions(): RedisOptions {
    if (!this.clusterMode) return redisOptionsFromUrl(this.config.redisUrl) as RedisOptions;
    const withCredentials =
      this.config.redisClusterNodes.find((node) => new URL(node).password) ?? this.config.redisClusterNodes[0]!;
    const { host: _host, port: _port, db: _db, ...shared } = redisOptionsFromUrl(withCredentials) as RedisOptions;
    return shared;
  }

  private createCluster(options: RedisClientOptions): Cluster {
    const { enableOfflineQueue, lazyConnect, ...perNode } = options;
    return new Cluster(this.config.redisClusterNodes.map(clusterNode), {
      redisOptions: { ...this.nodeOptions(), ...perNode },
      enableOfflineQueue: enableOfflineQueue ?? true,
      lazyConnect: lazyConnect ?? false,
      // Keep trying while the cluster, or a master of it, is away (restarts, fail-overs). A master that
      // restarts keeps its slots, so no MOVED reply would ever send ioredis back to it: reconnect to a
      // lost node by itself, and re-read the slot map regularly. No ready check: a client whose ready
      // check ran while a master was down stayed in it after the master was back (the fault suite's
      // cluster scenario), and BullMQ's blocking reads with it.
      clusterRetryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
      clusterNodeRetryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
      slotsRefreshInterval: 5_000,
      enableReadyCheck: false,
      retryDelayOnClusterDown: 300,
      retryDelayOnFailover: 200,
      retryDelayOnTryAgain: 200,
      slotsRefreshTimeout: 2_000,
    });
  }
}

/** The one Redis connection factory, for every module of the application. */
@Global()
@Module({ providers: [RedisConnections], exports: [RedisConnections] })
export class RedisModule {}
