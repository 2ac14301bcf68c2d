import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Redis that redis-memory-server builds when the system has none (it downloads this release's source once). */
export const BUILT_REDIS_VERSION = '7.4.3';

export interface PrivateRedisOptions {
  /** Where a Redis built from source is kept for later runs. */
  buildDir: string;
  /** Shown instead of `buildDir` in progress lines. */
  displayBuildDir?: string;
  log: (line: string) => void;
  /** Where to look for an installed redis-server; the PATH (and /usr/sbin, /usr/local/bin) when not given. */
  searchPath?: string;
}

export interface PrivateRedis {
  url: string;
  port: number;
  version: string;
  /** The redis-server that runs: the system's, or the one built from source. */
  binary: string;
  stop(): Promise<void>;
}

interface RedisMemoryServerInstance {
  getPort(): Promise<number>;
  stop(): Promise<boolean>;
}
interface RedisMemoryServerClass {
  create(options: Record<string, unknown>): Promise<RedisMemoryServerInstance>;
}
interface RedisBinaryClass {
  getPath(options: Record<string, unknown>): Promise<string>;
}

/** The first executable redis-server on the search path. */
export const findRedisServer = async (searchPath?: string): Promise<string | undefined> => {
  const folders = (searchPath ?? [process.env.PATH ?? '', '/usr/sbin', '/usr/local/bin'].join(delimiter))
    .split(delimiter)
    .filter(Boolean);
  for (const folder of folders) {
    const candidate = join(folder, 'redis-server');
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    ) {
      return candidate;
    }
  }
  return undefined;
};

const versionOf = async (binary: string): Promise<string> => {
  const { stdout } = await run(binary, ['--version']);
  return /v=(\S+)/.exec(stdout)?.[1] ?? 'unknown';
};

/**
 * Starts a Redis of this process's own on a free loopback port, in memory only (no RDB, no AOF), through
 * redis-memory-server: the system's redis-server when one is installed, else one that redis-memory-server builds
 * from Redis's source (it needs make and a C compiler, and downloads the source once into `buildDir`).
 * It stops with `stop()`, and with this process if that dies first.
 */
export const startPrivateRedis = async (options: PrivateRedisOptions): Promise<PrivateRedis> => {
  const { buildDir, log } = options;
  const shownBuildDir = options.displayBuildDir ?? buildDir;
  const module = (await import('redis-memory-server')) as unknown as {
    RedisMemoryServer: RedisMemoryServerClass;
    RedisBinary: RedisBinaryClass;
  };
  const systemBinary = await findRedisServer(options.searchPath);
  const binaryOptions = systemBinary
    ? { systemBinary }
    : { version: BUILT_REDIS_VERSION, downloadDir: buildDir, systemBinary: '' };
  if (!systemBinary) {
    log(
      `Redis: no redis-server installed; building Redis ${BUILT_REDIS_VERSION} with redis-memory-server. This needs make ` +
        `and a C compiler, downloads Redis's source once and keeps the build in ${shownBuildDir} (a few minutes, the first time only)`,
    );
  }
  const binary = await module.RedisBinary.getPath(binaryOptions);
  const server = await module.RedisMemoryServer.create({
    binary: binaryOptions,
    instance: { ip: '127.0.0.1' },
    // Its own process group: Ctrl-C in a terminal reaches the apps using it first, and they stop before it does.
    spawn: { detached: true },
  });
  const port = await server.getPort();
  const version = await versionOf(binary);
  log(
    `Redis ${version} (${systemBinary ? binary : 'built from source'}) ready on 127.0.0.1:${port}, in memory: its data goes when it stops`,
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    version,
    binary,
    async stop() {
      await server.stop();
    },
  };
};
