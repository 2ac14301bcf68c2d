import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
  /** How long the answer may be reused, when the resolver says (DNS records carry it; getaddrinfo does not). */
  ttlSeconds?: number;
}

/** Turns a host name into the addresses a connection would go to. */
export interface HostResolver {
  resolve(hostname: string): Promise<ResolvedAddress[]>;
  /** Drops any answer kept for the host, so the next look-up asks again (a request to it failed). */
  forget?(hostname: string): void;
}

const literal = (hostname: string): ResolvedAddress[] | null => {
  const family = isIP(hostname);
  return family === 0 ? null : [{ address: hostname, family: family as 4 | 6 }];
};

/** The operating system's resolver (getaddrinfo: /etc/hosts, then DNS), as Node's own connections use. */
export const systemResolver: HostResolver = {
  async resolve(hostname) {
    const known = literal(hostname);
    if (known) return known;
    const addresses = await dns.lookup(hostname, { all: true, order: 'verbatim' });
    return addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
  },
};

/**
 * Asks the given DNS servers (`host` or `host:port`) for A and AAAA records, bypassing /etc/hosts and
 * the system's search domains: user-given URLs then resolve as the public DNS has them, not as
 * the installation's internal DNS does.
 */
export const dnsServersResolver = (servers: readonly string[], timeoutMs = 5_000): HostResolver => {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 2 });
  resolver.setServers([...servers]);
  return {
    async resolve(hostname) {
      const known = literal(hostname);
      if (known) return known;
      const [v4, v6] = await Promise.allSettled([
        resolver.resolve4(hostname, { ttl: true }),
        resolver.resolve6(hostname, { ttl: true }),
      ]);
      const addresses: ResolvedAddress[] = [
        ...(v4.status === 'fulfilled'
          ? v4.value.map(({ address, ttl }) => ({ address, family: 4 as const, ttlSeconds: ttl }))
          : []),
        ...(v6.status === 'fulfilled'
          ? v6.value.map(({ address, ttl }) => ({ address, family: 6 as const, ttlSeconds: ttl }))
          : []),
      ];
      if (addresses.length === 0) {
        const failure = v4.status === 'rejected' ? v4.reason : v6.status === 'rejected' ? v6.reason : null;
        throw Object.assign(
          new Error(`${hostname} has no address (${(failure as Error | null)?.message ?? 'no records'})`),
          {
            code: (failure as NodeJS.ErrnoException | null)?.code ?? 'ENOTFOUND',
          },
        );
      }
      return addresses;
    },
  };
};
