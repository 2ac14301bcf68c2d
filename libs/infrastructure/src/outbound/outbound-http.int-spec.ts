import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProbeTarget } from '../../../../test/support/probe-target.js';
import { TestDnsServer } from '../../../../test/support/test-dns-server.js';
import type { AppConfig } from '../config/app-config.js';
import { OutboundAllowList } from './allow-list.js';
import type { HostResolver } from './host-resolver.js';
import { OutboundHttp, OutboundRequestError } from './outbound-http.js';
import { OutboundPolicy } from './outbound-policy.js';
import { outboundPolicyFrom } from './outbound.module.js';

const PURPOSE = { label: 'Page URLs', errorCode: 'watchlist.unsafe-url' };

/** A resolver whose answers for a name are served in turn: the first call gets the first answer. */
const changingResolver = (answers: Record<string, string[]>): HostResolver & { calls: string[] } => {
  const calls: string[] = [];
  return {
    calls,
    async resolve(hostname) {
      calls.push(hostname);
      if (/^[\d.]+$/.test(hostname)) return [{ address: hostname, family: 4 }];
      const queue = answers[hostname];
      if (!queue || queue.length === 0) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      const address = queue.length > 1 ? queue.shift()! : queue[0]!;
      return [{ address, family: 4 }];
    },
  };
};

const startServer = async (handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> => {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

const stopServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('outbound HTTP under the policy, against loopback servers', () => {
  let internal: ProbeTarget;

  beforeEach(async () => {
    internal = await ProbeTarget.start();
  });
  afterEach(async () => {
    await internal.stop();
  });

  it('refuses at connect time a name whose answer changed after the check (DNS rebinding)', async () => {
    const resolver = changingResolver({ 'rebind.test': ['127.0.0.2', '127.0.0.1'] });
    const policy = new OutboundPolicy(OutboundAllowList.parse(['127.0.0.2/32']).allowList, resolver);
    const http = new OutboundHttp(policy);
    try {
      const url = await policy.check(`http://rebind.test:${internal.port}/latest/meta-data`, PURPOSE);
      const error = await http.request(url, { timeoutMs: 2000, maxResponseBytes: 1024 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutboundRequestError);
      expect(error).toMatchObject({ reason: 'refused', retryable: false });
      expect((error as Error).message).toMatch(
        /rebind.test resolves only to addresses trialwatch may not reach \(127.0.0.1\)/,
      );
      expect(resolver.calls).toEqual(['rebind.test', 'rebind.test']);
      expect(internal.requests).toEqual([]);
    } finally {
      await http.close();
    }
  });

  it('refuses IP literals and loopback spellings without opening a connection', async () => {
    const policy = new OutboundPolicy(OutboundAllowList.EMPTY, changingResolver({}));
    const http = new OutboundHttp(policy);
    try {
      for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '0x7f.1', '2130706433', '127.1']) {
        const url = new URL(`https://${host}:${internal.port}/`);
        await expect(http.request(url, { timeoutMs: 2000, maxResponseBytes: 1024 })).rejects.toMatchObject({
          reason: 'refused',
        });
      }
      expect(internal.requests).toEqual([]);
    } finally {
      await http.close();
    }
  });

  it('returns a redirect without following it', async () => {
    const { server, url } = await startServer((_request, response) =>
      response.writeHead(302, { location: internal.url('/secret') }).end(),
    );
    const http = new OutboundHttp(
      new OutboundPolicy(OutboundAllowList.parse(['127.0.0.1']).allowList, changingResolver({})),
    );
    try {
      const response = await http.request(new URL(url), { timeoutMs: 2000, maxResponseBytes: 1024 });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(internal.url('/secret'));
      expect(internal.requests).toEqual([]);
    } finally {
      await http.close();
      await stopServer(server);
    }
  });

  it('caps the bytes of an answer: an error, or the start of it when asked to truncate', async () => {
    const megabyte = Buffer.alloc(1024 * 1024, 'a');
    const { server, url } = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      // No content-length: the cap must hold while streaming, not only on a declared size.
      for (let i = 0; i < 4; i += 1) response.write(megabyte);
      response.end();
    });
    const http = new OutboundHttp(
      new OutboundPolicy(OutboundAllowList.parse(['127.0.0.1']).allowList, changingResolver({})),
    );
    try {
      await expect(http.request(new URL(url), { timeoutMs: 5000, maxResponseBytes: 100_000 })).rejects.toMatchObject({
        reason: 'too-large',
        message: '127.0.0.1 answered with more than 100000 bytes',
      });
      const truncated = await http.request(new URL(url), {
        timeoutMs: 5000,
        maxResponseBytes: 100_000,
        oversize: 'truncate',
      });
      expect(truncated.status).toBe(200);
      expect(truncated.body.length).toBe(100_000);
    } finally {
      await http.close();
      await stopServer(server);
    }
  });

  it('caps the time of the whole exchange, body included', async () => {
    const { server, url } = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('a trickle that never ends');
    });
    const http = new OutboundHttp(
      new OutboundPolicy(OutboundAllowList.parse(['127.0.0.1']).allowList, changingResolver({})),
    );
    try {
      const started = Date.now();
      await expect(http.request(new URL(url), { timeoutMs: 300, maxResponseBytes: 1024 })).rejects.toMatchObject({
        reason: 'timeout',
        retryable: true,
      });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await http.close();
      await stopServer(server);
    }
  });
});

describe('outbound HTTP under the policy as configured, against a DNS server on loopback', () => {
  /**
   * A receiver on loopback named `hooks.test`, which a DNS server on loopback answers with `address`;
   * `send` checks and sends each URL path at it as a webhook delivery does, all at once, and gives the
   * statuses.
   */
  const withNamedReceiver = async (
    { address, ttlSeconds, dnsCacheMs }: { address: string; ttlSeconds: number; dnsCacheMs: number },
    test: (receiver: { dns: TestDnsServer; send: (paths: string[]) => Promise<number[]> }) => Promise<void>,
  ) => {
    const dns = await TestDnsServer.start({ 'hooks.test': [address] }, { ttlSeconds });
    const { server, url } = await startServer((_request, response) => response.end('ok'));
    const named = url.replace('127.0.0.1', 'hooks.test');
    const policy = outboundPolicyFrom({
      outbound: { allowedHosts: ['127.0.0.0/8'], dnsServers: [dns.address], dnsCacheMs },
    } as AppConfig);
    const http = new OutboundHttp(policy);
    const send = (paths: string[]) =>
      Promise.all(
        paths.map(async (path) => {
          const checked = await policy.check(`${named}${path}`, PURPOSE);
          const options = { method: 'POST' as const, body: '{}', timeoutMs: 5_000, maxResponseBytes: 1024 };
          return (await http.request(checked, options)).status;
        }),
      );
    try {
      await test({ dns, send });
    } finally {
      await http.close();
      await stopServer(server);
      await dns.stop();
    }
  };

  it('asks DNS once for a fan-out to one receiver name, and again once the answer’s TTL has passed', async () => {
    await withNamedReceiver({ address: '127.0.0.1', ttlSeconds: 1, dnsCacheMs: 30_000 }, async ({ dns, send }) => {
      const paths = Array.from({ length: 200 }, (_, index) => `/hooks?subscriber=${index}`);
      expect(await send(paths)).toEqual(paths.map(() => 200));
      expect(dns.count('hooks.test')).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await send(paths.slice(0, 10))).toEqual(paths.slice(0, 10).map(() => 200));
      expect(dns.count('hooks.test')).toBe(2);
    });
  });

  it('asks DNS again after a request to the host fails, so a receiver that moved is found', async () => {
    // 127.0.0.3: a loopback address nothing listens on, so the connection is refused.
    await withNamedReceiver({ address: '127.0.0.3', ttlSeconds: 300, dnsCacheMs: 30_000 }, async ({ dns, send }) => {
      await expect(send(['/hooks'])).rejects.toMatchObject({ reason: 'network' });
      dns.set('hooks.test', ['127.0.0.1']);
      expect(await send(['/hooks'])).toEqual([200]);
      expect(dns.count('hooks.test')).toBe(2);
    });
  });

  it('asks DNS for every check and connection when OUTBOUND_DNS_CACHE is 0s', async () => {
    await withNamedReceiver({ address: '127.0.0.1', ttlSeconds: 300, dnsCacheMs: 0 }, async ({ dns, send }) => {
      for (let request = 0; request < 3; request += 1) await send(['/hooks']);
      // Three checks, and the one connection (reused by the next two requests).
      expect(dns.count('hooks.test')).toBe(4);
    });
  });
});
