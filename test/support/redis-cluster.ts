import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './app-processes.js';
import { eventually } from './test-environment.js';

const run = promisify(execFile);

/** Whether nothing listens on a loopback port right now. */
const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Starting a node failed because it could not have its ports (another process took one meanwhile). */
class NodeExited extends Error {}

/** How many times a cluster is started on fresh ports when a node could not bind its own. */
const START_ATTEMPTS = 3;

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
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await RedisCluster.startOn(await RedisCluster.choosePorts(masters));
      } catch (error) {
        if (!(error instanceof NodeExited) || attempt === START_ATTEMPTS) throw error;
      }
    }
  }

  private static async choosePorts(masters: number): Promise<number[]> {
    const ports: number[] = [];
    while (ports.length < masters) {
      const port = await freePort();
      // A node also listens on port + 10000 (the cluster bus): it must be free and below 65536.
      if (port < 55_000 && !ports.includes(port) && (await portIsFree(port + 10_000))) ports.push(port);
    }
    return ports;
  }

  private static async startOn(ports: number[]): Promise<RedisCluster> {
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
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    this.nodes.set(port, node);
    let output = '';
    node.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
    // A node that cannot bind its port or its bus port exits at once: say why instead of waiting.
    const exited = new Promise<never>((_, reject) =>
      node.once('exit', (code) =>
        reject(new NodeExited(`redis-server on port ${port} exited with ${code}: ${output.trim().split('\n').at(-1)}`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([eventually(async () => (await this.cli(port, 'ping')) === 'PONG', 10_000, 50), exited]);
  }

  private async cli(port: number, ...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
    return stdout.trim();
  }
}
