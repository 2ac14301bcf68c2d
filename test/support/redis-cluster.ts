import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './app-processes.js';
import { eventually } from './test-environment.js';

const run = promisify(execFile);

/**
 * A Redis Cluster of three masters (no replicas) on loopback ports, each node a `redis-server
 * --cluster-enabled yes` of its own in a temporary folder, joined with `redis-cli --cluster create`.
 * Nothing is persisted but the cluster configuration: a restarted node comes back with its slots and
 * without its keys.
 */
export class RedisCluster {
  private readonly nodes = new Map<number, ChildProcess>();

  private constructor(
    readonly ports: number[],
    private readonly folder: string,
  ) {}

  static async start(masters = 3): Promise<RedisCluster> {
    const ports: number[] = [];
    while (ports.length < masters) {
      const port = await freePort();
      // A node also listens on port + 10000 (the cluster bus): it must be free and below 65536.
      if (port < 55_000 && !ports.includes(port)) ports.push(port);
    }
    const cluster = new RedisCluster(ports, mkdtempSync(join(tmpdir(), 'trialwatch-redis-cluster-')));
    try {
      await Promise.all(ports.map((port) => cluster.startNode(port)));
      await run('redis-cli', [
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await cluster.waitUntilHealthy();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** `host:port,…` for REDIS_CLUSTER_NODES. */
  get nodesSetting(): string {
    return this.ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  /** Waits until every node reports `cluster_state:ok` (every slot served). */
  async waitUntilHealthy(timeoutMs = 30_000): Promise<void> {
    await eventually(
      async () => {
        const states = await Promise.all(
          this.ports.map(async (port) => (await this.cli(port, 'cluster', 'info')).includes('cluster_state:ok')),
        );
        return states.every(Boolean);
      },
      timeoutMs,
      100,
    );
  }

  /** Every key matching a pattern, with the port of the master that holds it. */
  async keys(pattern: string): Promise<{ port: number; key: string }[]> {
    const perNode = await Promise.all(
      this.ports.map(async (port) =>
        (await this.cli(port, '--scan', '--pattern', pattern))
          .split('\n')
          .filter(Boolean)
          .map((key) => ({ port, key })),
      ),
    );
    return perNode.flat();
  }

  /** Stops one master without saving (its keys are lost). */
  async stopNode(port: number): Promise<void> {
    const node = this.nodes.get(port);
    const exited = node && node.exitCode === null ? new Promise((resolve) => node.once('exit', resolve)) : null;
    await this.cli(port, 'shutdown', 'nosave').catch(() => undefined);
    await exited;
    this.nodes.delete(port);
  }

  /** Starts a stopped master again: it rejoins the cluster with the slots it had. */
  async restartNode(port: number): Promise<void> {
    await this.startNode(port);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.nodes.keys()].map((port) => this.stopNode(port)));
    rmSync(this.folder, { recursive: true, force: true });
  }

  private async startNode(port: number): Promise<void> {
    const node = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '2000',
        '--dir',
        this.folder,
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    this.nodes.set(port, node);
    await eventually(async () => (await this.cli(port, 'ping')) === 'PONG', 10_000, 50);
  }

  private async cli(port: number, ...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
    return stdout.trim();
  }
}
