import { createServer, connect, type Server, type Socket } from 'node:net';
import type { DataSource } from 'typeorm';
import { tieTogether } from '../../../../test/support/tcp-forwarder.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../test/support/test-environment.js';
import { createDataSource } from './data-source.js';
import { Database } from './database.js';
import { ensureDatabase } from './ensure-database.js';

/** What PostgreSQL sends a connection that `pg_terminate_backend` or a shutdown ends: FATAL 57P01. */
const terminatingConnection = (): Buffer => {
  const fields = Buffer.concat([
    ...[
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', '57P01'],
      ['M', 'terminating connection due to administrator command'],
    ].map(([field, value]) => Buffer.from(`${field}${value}\0`)),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
};

/**
 * A loopback proxy to PostgreSQL that can end a connection the way a restart sometimes does: the server's
 * last message of the opening (ReadyForQuery) and its FATAL error in one packet.
 */
class ConnectionCuttingProxy {
  endNextAsItOpens = false;
  endedAsTheyOpened = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<ConnectionCuttingProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new ConnectionCuttingProxy(server, (server.address() as { port: number }).port);
    server.on('connection', (client) => proxy.forward(client, connect(target.port, target.host)));
    return proxy;
  }

  private forward(client: Socket, upstream: Socket): void {
    tieTogether(client, upstream, this.sockets);
    client.pipe(upstream);
    const endAsItOpens = this.endNextAsItOpens;
    this.endNextAsItOpens = false;
    if (!endAsItOpens) {
      upstream.pipe(client);
      return;
    }
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // Each server message: a type byte, then an int32 length that counts itself and the body.
      let complete = 0;
      while (pending.length - complete >= 5) {
        const end = complete + 1 + pending.readInt32BE(complete + 1);
        if (end > pending.length) break;
        const type = String.fromCharCode(pending[complete]!);
        complete = end;
        if (type === 'Z') {
          client.end(Buffer.concat([pending.subarray(0, complete), terminatingConnection()]));
          upstream.destroy();
          this.endedAsTheyOpened += 1;
          return;
        }
      }
      client.write(pending.subarray(0, complete));
      pending = pending.subarray(complete);
    });
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('a connection PostgreSQL ends as it opens', () => {
  let environment: TestEnvironment;
  let proxy: ConnectionCuttingProxy;
  let dataSource: DataSource;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    await ensureDatabase(environment.databaseUrl);
    const url = new URL(environment.databaseUrl);
    proxy = await ConnectionCuttingProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    dataSource = createDataSource({ databaseUrl: url.toString(), poolSize: 2 });
    await dataSource.initialize();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await proxy?.stop();
    await environment?.teardown();
  });

  it('fails the query that wanted it as unavailable, keeps the process up, and the next query gets a working connection', async () => {
    const database = new Database(dataSource);
    // The pool's idle connection stays busy here, so that the query below needs a new one.
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    try {
      proxy.endNextAsItOpens = true;
      await expect(database.query('SELECT 1 AS one')).rejects.toMatchObject({
        code: 'database.unavailable',
        message: 'The database (PostgreSQL) is unavailable; try again shortly',
        cause: expect.objectContaining({ message: expect.stringMatching(/terminating connection|not queryable/) }),
      });
      expect(proxy.endedAsTheyOpened).toBe(1);
      // Had the error been emitted with no listener, the process would have ended before this line.
      expect(await database.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await holder.release();
    }
  });
});
