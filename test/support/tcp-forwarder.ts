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
 * A loopback TCP forwarder to a server (PostgreSQL, say), opened on a port chosen beforehand: a test
 * points a process at the port before anything listens there, then opens it, as a server that starts
 * after its clients.
 */
export class TcpForwarder {
  accepted = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      this.accepted += 1;
      const upstream = connect(this.target.port, this.target.host);
      tieTogether(client, upstream, this.sockets);
      client.pipe(upstream);
      upstream.pipe(client);
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
