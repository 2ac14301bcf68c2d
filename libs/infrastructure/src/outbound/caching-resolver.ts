import type { HostResolver, ResolvedAddress } from './host-resolver.js';

/** Hosts whose answers are kept at most; past that, the oldest answer is dropped. */
const MAX_HOSTS = 10_000;

interface Kept {
  addresses: ResolvedAddress[];
  /** On the `now` clock, in ms. */
  expiresAt: number;
}

/**
 * Reuses each host's answer for up to `maxAgeMs`, or for the answer's own TTL when that is shorter (a
 * TTL of 0 is never reused), and lets concurrent look-ups of one host share one question. A failure is
 * not kept, and an answer is dropped when a request to the host fails (the host may have moved). A
 * fan-out to many subscriptions of one receiver then asks the resolver once, not once per delivery and
 * again per connection; the policy still judges the addresses at every use, so the check before a
 * request and the connection it opens judge the same answer.
 */
export class CachingResolver implements HostResolver {
  private readonly kept = new Map<string, Kept>();
  private readonly asking = new Map<string, Promise<ResolvedAddress[]>>();

  constructor(
    private readonly resolver: HostResolver,
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const host = hostname.toLowerCase();
    const kept = this.kept.get(host);
    if (kept && kept.expiresAt > this.now()) return kept.addresses;
    if (kept) this.kept.delete(host);
    const pending = this.asking.get(host);
    if (pending) return pending;
    // A question forgotten while it was out (a request to the host failed meanwhile) is not kept.
    const current = () => this.asking.get(host) === asked;
    const asked: Promise<ResolvedAddress[]> = this.resolver
      .resolve(host)
      .then((addresses) => {
        if (current()) this.keep(host, addresses);
        return addresses;
      })
      .finally(() => {
        if (current()) this.asking.delete(host);
      });
    this.asking.set(host, asked);
    return asked;
  }

  forget(hostname: string): void {
    const host = hostname.toLowerCase();
    this.kept.delete(host);
    this.asking.delete(host);
  }

  private keep(host: string, addresses: ResolvedAddress[]): void {
    const ttls = addresses.flatMap((entry) => (entry.ttlSeconds === undefined ? [] : [entry.ttlSeconds * 1000]));
    const ageMs = Math.min(this.maxAgeMs, ...ttls);
    if (ageMs <= 0) return;
    if (this.kept.size >= MAX_HOSTS) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(host, { addresses, expiresAt: this.now() + ageMs });
  }
}
