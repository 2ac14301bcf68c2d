import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout this file belongs to (the nearest folder above it with a package.json), whether it runs
 * from source or from dist/: apps are started from this checkout's build, not from the working
 * directory's, so a benchmark run from another checkout's build measures that build's apps too.
 */
const checkoutRoot = (from: string): string => {
  for (let folder = dirname(from); ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${from}`);
  }
};
const ROOT = checkoutRoot(fileURLToPath(import.meta.url));

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** A built app (dist/) running as its own process, as it runs in production. */
export class AppProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  output = '';

  constructor(
    readonly name: 'api' | 'worker',
    private readonly env: Record<string, string>,
  ) {}

  /** Waits for the ready line; a loaded machine running several apps at once may need the whole minute. */
  async start(readyLine: RegExp, timeoutMs = 60_000): Promise<void> {
    const script = join(ROOT, 'dist', 'apps', this.name, 'src', 'main.js');
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, ...this.env, NODE_OPTIONS: process.env.APP_NODE_OPTIONS ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name} did not start in ${timeoutMs} ms:\n${this.output}`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (readyLine.test(this.output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited with ${code} before it was ready:\n${this.output}`));
      });
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Sends a signal and waits for the process to end. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill(signal);
    return this.exited;
  }
}

export const startApi = async (env: Record<string, string>): Promise<{ api: AppProcess; baseUrl: string }> => {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = new AppProcess('api', { ...env, PORT: String(port), PUBLIC_BASE_URL: baseUrl });
  await api.start(/api listening on/);
  return { api, baseUrl };
};

export const startWorker = async (env: Record<string, string>): Promise<AppProcess> => {
  const worker = new AppProcess('worker', env);
  await worker.start(/worker started/);
  return worker;
};

/** Runs a built script to completion (asynchronously: the test process may be serving its requests meanwhile). */
const runToEnd = (
  script: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ...env, NODE_OPTIONS: process.env.APP_NODE_OPTIONS ?? '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });

/** Runs the built CLI to completion. */
export const runCli = (
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  runToEnd(join(ROOT, 'bin', 'trialwatch.js'), args, env, input);

/** Runs a built app until it exits by itself: for a start that is to fail. */
export const runAppToExit = (
  name: 'api' | 'worker',
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  runToEnd(join(ROOT, 'dist', 'apps', name, 'src', 'main.js'), [], env);
