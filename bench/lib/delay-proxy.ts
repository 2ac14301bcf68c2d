/**
 * A TCP proxy on loopback that holds every chunk for a while in each direction, so that a measure can
 * see what round trips to PostgreSQL cost when the database is across a network rather than on the
 * same machine. Run it in a process of its own and point the benchmark's database server through it:
 *
 *   node dist/bench/lib/delay-proxy.js 6543 127.0.0.1:5432 1 &
 *   TEST_DATABASE_SERVER_URL=postgres://postgres@127.0.0.1:6543/postgres node dist/bench/measure.js ...
 *
 * With 1 ms each way a round trip costs about 2 ms more (Node's timers are no finer than a
 * millisecond). Chunks keep their order; a side that ends is ended on the other once its chunks are out.
 */
import { connect, createServer, type Socket } from 'node:net';

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
  from.on('error', () => to.destroy());
};

export const startDelayProxy = (listenPort: number, target: { host: string; port: number }, delayMs: number) =>
  new Promise<{ close(): Promise<void> }>((resolve, reject) => {
    const open = new Set<Socket>();
    const server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        socket.setNoDelay(true);
        open.add(socket);
        socket.once('close', () => open.delete(socket));
      }
      forwardLate(client, upstream, delayMs);
      forwardLate(upstream, client, delayMs);
    });
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () =>
      resolve({
        close: () =>
          new Promise<void>((closed) => {
            for (const socket of open) socket.destroy();
            server.close(() => closed());
          }),
      }),
    );
  });

if (import.meta.url === `file://${process.argv[1]}`) {
  const [listenPort, target, delayMs] = process.argv.slice(2);
  const [host, port] = (target ?? '').split(':');
  if (!listenPort || !host || !port || !delayMs) {
    process.stderr.write('usage: node dist/bench/lib/delay-proxy.js <listen port> <host:port> <delay ms each way>\n');
    process.exit(2);
  }
  await startDelayProxy(Number(listenPort), { host, port: Number(port) }, Number(delayMs));
  process.stdout.write(`delaying 127.0.0.1:${listenPort} -> ${target} by ${delayMs} ms each way\n`);
}
