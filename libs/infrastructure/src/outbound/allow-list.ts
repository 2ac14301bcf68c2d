import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Hosts and address ranges an operator lets trialwatch reach although they are not public (an
 * in-house webhook receiver, a registry mirror on the local network), over plain http too.
 * Entries are host names (matched exactly, case-insensitive), IP addresses or CIDR ranges.
 */
export class OutboundAllowList {
  private constructor(
    private readonly hostnames: ReadonlySet<string>,
    private readonly ranges: readonly Cidr[],
  ) {}

  static readonly EMPTY = new OutboundAllowList(new Set(), []);

  /** The allow-list, and a line for each entry that is neither a host name, an address nor a CIDR range. */
  static parse(entries: readonly string[]): { allowList: OutboundAllowList; problems: string[] } {
    const hostnames = new Set<string>();
    const ranges: Cidr[] = [];
    const problems: string[] = [];
    for (const raw of entries.map((entry) => entry.trim()).filter(Boolean)) {
      const entry = raw.replace(/^\[(.*)\]$/, '$1');
      try {
        if (entry.includes('/')) ranges.push(ipaddr.parseCIDR(entry));
        else if (isIP(entry)) ranges.push([ipaddr.parse(entry), isIP(entry) === 4 ? 32 : 128]);
        else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry))
          hostnames.add(entry.toLowerCase());
        else problems.push(`"${raw}" is not a host name, an IP address or a CIDR range`);
      } catch {
        problems.push(`"${raw}" is not a valid CIDR range`);
      }
    }
    return { allowList: new OutboundAllowList(hostnames, ranges), problems };
  }

  admitsHost(hostname: string): boolean {
    return this.hostnames.has(hostname.toLowerCase());
  }

  admitsAddress(address: string): boolean {
    if (!isIP(address)) return false;
    const parsed = ipaddr.parse(address);
    return this.ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
  }
}
