import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];

/**
 * What kind of address `address` is, in ipaddr.js's range names ('unicast' for a public one), with
 * 'non-global' for the IPv6 space outside 2000::/3 that ipaddr.js calls unicast (IPv4-compatible
 * `::a.b.c.d`, the old site-local range and the rest of the unassigned space).
 */
export const addressRange = (address: string): string => {
  const parsed = ipaddr.parse(address);
  const range = parsed.range();
  if (parsed.kind() === 'ipv6' && range === 'unicast' && !(parsed as ipaddr.IPv6).match(IPV6_GLOBAL_UNICAST)) {
    return 'non-global';
  }
  return range;
};

/**
 * Whether an address is public unicast: IPv4 outside loopback, private, link-local, carrier-grade NAT,
 * multicast, broadcast, documentation, benchmarking and reserved ranges; IPv6 within global unicast
 * (2000::/3) outside its special ranges. IPv4-mapped, IPv4-compatible, NAT64, 6to4 and Teredo forms are
 * refused whatever address they embed: a public service is reached by its own address.
 */
export const isPublicUnicast = (address: string): boolean => isIP(address) !== 0 && addressRange(address) === 'unicast';
