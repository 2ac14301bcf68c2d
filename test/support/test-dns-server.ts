import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';

/**
 * A DNS server on loopback for the processes under test (OUTBOUND_DNS_SERVERS): it answers A queries
 * from a table, and a name given several addresses answers them in turn, one per query, keeping the
 * last: a resolver whose answer changes between a check and a connect. Its answers carry a TTL of 0
 * (nothing may be reused) unless started with another. Names it does not know get NXDOMAIN; it never
 * forwards a query anywhere.
 */
export class TestDnsServer {
  readonly queries: string[] = [];

  private constructor(
    private readonly socket: Socket,
    private readonly answers: Map<string, string[]>,
    private readonly ttlSeconds: number,
  ) {}

  static async start(table: Record<string, string[]>, { ttlSeconds = 0 } = {}): Promise<TestDnsServer> {
    const socket = createSocket('udp4');
    const server = new TestDnsServer(
      socket,
      new Map(Object.entries(table).map(([name, list]) => [name, [...list]])),
      ttlSeconds,
    );
    socket.on('message', (message, remote) => server.answer(message, remote.port, remote.address));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return server;
  }

  /** `127.0.0.1:<port>`, for OUTBOUND_DNS_SERVERS. */
  get address(): string {
    return `127.0.0.1:${(this.socket.address() as AddressInfo).port}`;
  }

  set(name: string, addresses: string[]): void {
    this.answers.set(name, [...addresses]);
  }

  /** How many A queries asked for `name`. */
  count(name: string): number {
    return this.queries.filter((query) => query === name).length;
  }

  private answer(message: Buffer, port: number, address: string): void {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    const known = this.answers.get(name);
    let answers: dnsPacket.Answer[] = [];
    if (question.type === 'A' && known) {
      this.queries.push(name);
      const next = known.length > 1 ? known.shift()! : known[0]!;
      answers = [{ type: 'A', name: question.name, ttl: this.ttlSeconds, data: next }];
    }
    const response = dnsPacket.encode({
      id: query.id,
      type: 'response',
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3),
      questions: query.questions,
      answers,
    });
    this.socket.send(response, port, address);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
