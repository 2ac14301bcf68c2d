import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DomainError } from '@app/domain';

export class UnsafeWebhookUrlError extends DomainError {
  readonly code = 'subscription.unsafe-url';
  readonly kind = 'invalid' as const;
}

/** Address ranges a webhook must not reach unless the allow-list admits them. */
const RESTRICTED_RANGES = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'carrierGradeNat',
  'private',
  'reserved',
  'uniqueLocal',
  'ipv4Mapped',
  'rfc6145',
  'rfc6052',
  '6to4',
  'teredo',
  'benchmarking',
  'amt',
  'as112',
  'as112v6',
  'deprecated',
  'orchid2',
  'droneRemoteIdProtocolEntityTags',
]);

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Which webhook URLs trialwatch may call. Outside the allow-list (hostnames and CIDR ranges from
 * WEBHOOK_ALLOWED_HOSTS) a URL must be https and reach only public addresses: no private, loopback or
 * link-local ones, checked again on every delivery so that a DNS change cannot point a hook inward.
 */
export class WebhookUrlPolicy {
  private readonly hostnames: Set<string>;
  private readonly ranges: Cidr[];

  constructor(allowedHosts: string[]) {
    this.hostnames = new Set(
      allowedHosts.filter((entry) => !entry.includes('/') && !isIP(entry)).map((h) => h.toLowerCase()),
    );
    this.ranges = allowedHosts
      .filter((entry) => entry.includes('/') || isIP(entry))
      .map((entry) =>
        entry.includes('/') ? ipaddr.parseCIDR(entry) : ([ipaddr.parse(entry), isIP(entry) === 4 ? 32 : 128] as Cidr),
      );
  }

  /** The parsed URL, or an error naming what is wrong with it. Resolves the host to check its addresses. */
  async check(rawUrl: string): Promise<URL> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new UnsafeWebhookUrlError(`"${rawUrl}" is not a URL`, { url: rawUrl });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new UnsafeWebhookUrlError(`Webhook URLs must be https, not ${url.protocol}`, { url: rawUrl });
    }
    if (url.username || url.password) {
      throw new UnsafeWebhookUrlError('Webhook URLs may not carry credentials; verify the signature instead', {
        url: rawUrl,
      });
    }
    const host = this.hostOf(url);
    const addresses = isIP(host) ? [host] : (await this.resolve(host)).map((entry) => entry.address);
    const allowListed =
      this.hostnames.has(host) || (addresses.length > 0 && addresses.every((address) => this.inAllowedRange(address)));
    if (url.protocol === 'http:' && !allowListed) {
      throw new UnsafeWebhookUrlError(`Webhook URLs must use https (${host} is not in WEBHOOK_ALLOWED_HOSTS)`, {
        url: rawUrl,
      });
    }
    const refused = addresses.find((address) => !this.mayReach(host, address));
    if (refused) {
      throw new UnsafeWebhookUrlError(
        `${host} resolves to ${refused}, a private, loopback or link-local address; add it to WEBHOOK_ALLOWED_HOSTS to allow it`,
        { url: rawUrl, address: refused },
      );
    }
    return url;
  }

  /** Whether a connection to `address` (resolved from `host`) is allowed. */
  mayReach(host: string, address: string): boolean {
    if (this.hostnames.has(host.toLowerCase()) || this.inAllowedRange(address)) return true;
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
      parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    return !RESTRICTED_RANGES.has(parsed.range());
  }

  /** A `lookup` for node:http(s) that refuses addresses the policy does not allow, at connection time. */
  readonly lookup = (
    hostname: string,
    options: { all?: boolean; family?: number },
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, []);
      const allowed = addresses.filter((entry) => this.mayReach(hostname, entry.address));
      if (allowed.length === 0) {
        const refused = Object.assign(
          new Error(
            `${hostname} resolves only to addresses webhooks may not reach (${addresses.map((a) => a.address).join(', ')})`,
          ),
          {
            code: 'EWEBHOOKADDRESS',
          },
        );
        return callback(refused, []);
      }
      if (options.all) return callback(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };

  private hostOf(url: URL): string {
    return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  }

  private inAllowedRange(address: string): boolean {
    const parsed = ipaddr.parse(address);
    return this.ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
  }

  private resolve(host: string): Promise<LookupAddress[]> {
    return new Promise((resolve, reject) =>
      dnsLookup(host, { all: true }, (error, addresses) =>
        error
          ? reject(new UnsafeWebhookUrlError(`Cannot resolve ${host}: ${error.code ?? error.message}`, { host }))
          : resolve(addresses),
      ),
    );
  }
}
