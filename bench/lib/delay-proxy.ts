/**
 * A TCP proxy on loopback that holds every chunk for a while in each direction, so that a measure can
 * see what round trips to PostgreSQL cost when the database is across a network rather than on the
 * same machine. Run it in a process of its own and point the benchmark's database server through it:
 *
 *   node dist/bench/lib/delay-proxy.js 6543 127.0.0.1:5432 1 &
 *   TEST_DATABASE_SERVER_URL=postgres://postgres@127.0.0.1:6543/postgres node dist/bench/measure.js ...
 *
 * With 1 ms each way a round trip costs about 2 ms more (Node's timers are no finer than a
 * millisecond). It is the tests' `TcpForwarder` with a delay.
 */
import { TcpForwarder } from '../../test/support/tcp-forwarder.js';

const [listenPort, target, delayMs] = process.argv.slice(2);
const [host, port] = (target ?? '').split(':');
if (!listenPort || !host || !port || !delayMs) {
  process.stderr.write('usage: node dist/bench/lib/delay-proxy.js <listen port> <host:port> <delay ms each way>\n');
  process.exit(2);
}
await new TcpForwarder(Number(listenPort), { host, port: Number(port) }, Number(delayMs)).open();
process.stdout.write(`delaying 127.0.0.1:${listenPort} -> ${target} by ${delayMs} ms each way\n`);
