import { CachingResolver } from './caching-resolver.js';
import type { HostResolver, ResolvedAddress } from './host-resolver.js';

/** A resolver that counts its questions and answers from `answer`, one call at a time or held until released. */
const countingResolver = (answer: (hostname: string, call: number) => ResolvedAddress[] | Error) => {
  const calls: string[] = [];
  const resolver: HostResolver = {
    async resolve(hostname) {
      calls.push(hostname);
      await new Promise((resolve) => setImmediate(resolve));
      const result = answer(hostname, calls.length);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { resolver, calls };
};

const at = (address: string, ttlSeconds?: number): ResolvedAddress[] => [{ address, family: 4, ttlSeconds }];

describe('CachingResolver', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('reuses a host’s answer for its maximum age, then asks again', async () => {
    const { resolver, calls } = countingResolver((_, call) => at(`203.0.113.${call}`));
    const cached = new CachingResolver(resolver, 30_000, clock);
    expect(await cached.resolve('hooks.example')).toEqual(at('203.0.113.1'));
    now += 29_999;
    expect(await cached.resolve('HOOKS.example')).toEqual(at('203.0.113.1'));
    expect(calls).toEqual(['hooks.example']);
    now += 1;
    expect(await cached.resolve('hooks.example')).toEqual(at('203.0.113.2'));
    expect(calls).toHaveLength(2);
  });

  it('keeps an answer no longer than its own TTL, and never one whose TTL is 0', async () => {
    const { resolver, calls } = countingResolver((hostname) =>
      hostname === 'short.example' ? at('203.0.113.7', 5) : at('203.0.113.8', 0),
    );
    const cached = new CachingResolver(resolver, 30_000, clock);
    await cached.resolve('short.example');
    now += 4_999;
    await cached.resolve('short.example');
    expect(calls).toEqual(['short.example']);
    now += 1;
    await cached.resolve('short.example');
    expect(calls).toEqual(['short.example', 'short.example']);

    await cached.resolve('rebinding.example');
    await cached.resolve('rebinding.example');
    expect(calls.filter((host) => host === 'rebinding.example')).toHaveLength(2);
  });

  it('asks once for look-ups of one host that overlap', async () => {
    const { resolver, calls } = countingResolver(() => at('203.0.113.9'));
    const cached = new CachingResolver(resolver, 30_000, clock);
    const answers = await Promise.all(Array.from({ length: 50 }, () => cached.resolve('hooks.example')));
    expect(calls).toEqual(['hooks.example']);
    expect(new Set(answers.map((answer) => answer[0]!.address))).toEqual(new Set(['203.0.113.9']));
  });

  it('does not keep a failure: the overlapping look-ups share it, the next one asks again', async () => {
    const { resolver, calls } = countingResolver((_, call) =>
      call === 1 ? Object.assign(new Error('timeout'), { code: 'ETIMEOUT' }) : at('203.0.113.10'),
    );
    const cached = new CachingResolver(resolver, 30_000, clock);
    const first = await Promise.allSettled([cached.resolve('hooks.example'), cached.resolve('hooks.example')]);
    expect(first.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await cached.resolve('hooks.example')).toEqual(at('203.0.113.10'));
    expect(calls).toHaveLength(2);
  });

  it('asks again once told to forget a host', async () => {
    const { resolver, calls } = countingResolver((_, call) => at(`203.0.113.${call}`));
    const cached = new CachingResolver(resolver, 30_000, clock);
    await cached.resolve('hooks.example');
    cached.forget('Hooks.Example');
    expect(await cached.resolve('hooks.example')).toEqual(at('203.0.113.2'));
    expect(calls).toHaveLength(2);
  });

  it('does not keep an answer that was still out when told to forget the host', async () => {
    const { resolver, calls } = countingResolver((_, call) => at(`203.0.113.${call}`));
    const cached = new CachingResolver(resolver, 30_000, clock);
    const out = cached.resolve('hooks.example');
    cached.forget('hooks.example');
    expect(await out).toEqual(at('203.0.113.1'));
    expect(await cached.resolve('hooks.example')).toEqual(at('203.0.113.2'));
    expect(calls).toHaveLength(2);
  });

  it('keeps nothing with a maximum age of 0', async () => {
    const { resolver, calls } = countingResolver(() => at('203.0.113.11', 300));
    const cached = new CachingResolver(resolver, 0, clock);
    await cached.resolve('hooks.example');
    await cached.resolve('hooks.example');
    expect(calls).toHaveLength(2);
  });

  it('keeps the answers of at most 10,000 hosts, dropping the oldest', async () => {
    const { resolver, calls } = countingResolver(() => at('203.0.113.12'));
    const cached = new CachingResolver(resolver, 30_000, clock);
    for (let host = 0; host <= 10_000; host += 1) await cached.resolve(`h${host}.example`);
    await cached.resolve('h10000.example');
    await cached.resolve('h1.example');
    expect(calls).toHaveLength(10_001);
    await cached.resolve('h0.example');
    expect(calls).toHaveLength(10_002);
  });
});
