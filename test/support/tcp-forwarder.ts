import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * Keeps a proxied pair in `open` while both are: either side's end or error closes the other. Errors
 * are the pair's ordinary end here, not the test's failure.
 */
export const tieTogether = (client: Socket, upstream: Socket, open: Set<Socket>): void => {
  for (const socket of [client, upstream]) {
    open.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      open.delete(socket);
      client.destroy();
      upstream.destroy();
    });
  }
};

/**
 * Writes what `from` receives to `to` `delayMs` later, in order; once `from` ends and everything held
 * is written, ends `to`. Both sockets must allow half-open connections, so that neither closes while
 * chunks are still held for it.
 */
const forwardLate = (from: Socket, to: Socket, delayMs: number): void => {
  const held: { chunk: Buffer; dueAt: number }[] = [];
  let ended = false;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const now = performance.now();
    while (held.length > 0 && held[0]!.dueAt <= now) to.write(held.shift()!.chunk);
    if (held.length > 0) timer = setTimeout(flush, held[0]!.dueAt - now);
    else if (ended) to.end();
  };
  from.on('data', (chunk: Buffer) => {
    held.push({ chunk, dueAt: performance.now() + delayMs });
    timer ??= setTimeout(flush, delayMs);
  });
  from.on('end', () => {
    ended = true;
    timer ??= setTimeout(flush, 0);
  });
};

/**
 * A loopback TCP forwarder to a server (PostgreSQL, say), opened on a port chosen beforehand: a test
 * points a process at the port before anything listens there, then opens it, as a server that starts
 * after its clients. With `delayMs`, every chunk waits that long in each direction, as on a network
 * (Node's timers are no finer than a millisecond).
 */
export class TcpForwarder {
  accepted = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
    private readonly delayMs = 0,
  ) {}

  async open(): Promise<void> {
    const delayed = this.delayMs > 0;
    const server = createServer({ allowHalfOpen: delayed }, (client) => {
      this.accepted += 1;
      const upstream = connect({ port: this.target.port, host: this.target.host, allowHalfOpen: delayed });
      tieTogether(client, upstream, this.sockets);
      if (delayed) {
        for (const socket of [client, upstream]) socket.setNoDelay(true);
        forwardLate(client, upstream, this.delayMs);
        forwardLate(upstream, client, this.delayMs);
      } else {
        client.pipe(upstream);
        upstream.pipe(client);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A PostgreSQL URL with its host and port swapped for a loopback port of the test's choosing. */
export const databaseUrlThrough = (databaseUrl: string, port: number): string => {
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
};

const DEFAULT_PORTS: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379 };

/** A forwarder on `port` to the server a `postgres://` or `redis://` URL names, not yet open. */
export const forwarderTo = (serverUrl: string, port: number): TcpForwarder => {
  const server = new URL(serverUrl);
  return new TcpForwarder(port, {
    host: server.hostname,
    port: Number(server.port) || DEFAULT_PORTS[server.protocol]!,
  });
};
