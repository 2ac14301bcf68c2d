import { TestDnsServer } from '../../test/support/test-dns-server.js';
import { WebhookReceiver } from '../../test/support/webhook-receiver.js';

const NAME = 'receiver.test';

/**
 * A webhook receiver on loopback that subscriptions name by host, as users name theirs. The name is
 * answered by a DNS server on loopback (`OUTBOUND_DNS_SERVERS`) with a TTL of 5 minutes, so the api's
 * and the worker's look-ups of it go to a resolver over the network, as they would in service.
 */
export class NamedReceiver {
  private constructor(
    readonly receiver: WebhookReceiver,
    private readonly dns: TestDnsServer,
  ) {}

  static async start(): Promise<NamedReceiver> {
    const dns = await TestDnsServer.start({ [NAME]: ['127.0.0.1'] }, { ttlSeconds: 300 });
    return new NamedReceiver(await WebhookReceiver.start(), dns);
  }

  /** The settings the apps need to reach it: its DNS server, and plain http to loopback allowed. */
  get settings(): Record<string, string> {
    return { OUTBOUND_DNS_SERVERS: this.dns.address, OUTBOUND_ALLOWED_HOSTS: '127.0.0.0/8' };
  }

  get url(): string {
    return this.receiver.url.replace('127.0.0.1', NAME);
  }

  /** How many times the apps asked DNS for the receiver's name. */
  get dnsQuestions(): number {
    return this.dns.count(NAME);
  }

  async stop(): Promise<void> {
    await this.receiver.stop();
    await this.dns.stop();
  }
}
