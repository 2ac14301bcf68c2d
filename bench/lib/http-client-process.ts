import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The client: node:http over one keep-alive connection, warm-up first, then (on `go`) the timed requests. */
const CLIENT_SCRIPT = `
  const http = require('node:http');
  const lines = require('node:readline').createInterface({ input: process.stdin });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (url) => new Promise((resolve, reject) => {
    http.get(url, { agent }, (response) => {
      let bytes = 0;
      response.on('data', (chunk) => (bytes += chunk.length));
      response.on('end', () => resolve({ status: response.statusCode, bytes }));
      response.on('error', reject);
    }).on('error', reject);
  });
  const send = async (baseUrl, paths, expectedStatus) => {
    const durations = [];
    let bytes = 0;
    for (const path of paths) {
      const sent = performance.now();
      const response = await get(baseUrl + path);
      durations.push(performance.now() - sent);
      bytes += response.bytes;
      if (response.status !== expectedStatus) throw new Error(path + ': HTTP ' + response.status);
    }
    return { durations, bytes };
  };
  let request;
  lines.on('line', async (line) => {
    try {
      if (!request) {
        request = JSON.parse(line);
        await send(request.baseUrl, request.warmUp, request.expectedStatus);
        process.stdout.write('warm\\n');
      } else {
        const result = await send(request.baseUrl, request.timed, request.expectedStatus);
        process.stdout.write(JSON.stringify(result) + '\\n');
        agent.destroy();
        lines.close();
      }
    } catch (error) {
      process.stderr.write(String(error) + '\\n');
      process.exit(1);
    }
  });`;

export interface ClientTimings {
  /** ms per request, from sending it to the body's last byte. */
  durations: number[];
  bytes: number;
}

/**
 * Requests sent one after another by a Node.js process of its own (node:http, one keep-alive
 * connection), each timed from sending to the body's last byte: a client whose timings hold no pauses
 * of the benchmark's process (its garbage collections, its other work), as a user's client would not.
 * It sends `warmUp` untimed first, then waits for `beforeTimed` (to read the server's counters, say)
 * before the timed requests.
 */
export const requestFromOwnProcess = async (
  baseUrl: string,
  { warmUp, timed, expectedStatus = 200 }: { warmUp: string[]; timed: string[]; expectedStatus?: number },
  beforeTimed: () => Promise<void> = async () => undefined,
): Promise<ClientTimings> => {
  const child = spawn(process.execPath, ['-e', CLIENT_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async (): Promise<string> => {
      const line = await lines.next();
      if (line.done) throw new Error(`the HTTP client process exited with ${await exited}`);
      return line.value;
    };
    child.stdin.write(`${JSON.stringify({ baseUrl, warmUp, timed, expectedStatus })}\n`);
    if ((await next()) !== 'warm') throw new Error('the HTTP client process did not warm up');
    await beforeTimed();
    child.stdin.write('go\n');
    return JSON.parse(await next()) as ClientTimings;
  } finally {
    child.stdin.end();
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
};
