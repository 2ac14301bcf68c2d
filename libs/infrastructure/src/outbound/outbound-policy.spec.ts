import { OutboundAllowList } from './allow-list.js';
import { type HostResolver, type ResolvedAddress, systemResolver } from './host-resolver.js';
import { OutboundPolicy, redactPageUrl, redactUrl, RefusedAddressError } from './outbound-policy.js';

/** Answers from a table, as a DNS server would; opens no connection. */
const tableResolver = (table: Record<string, string[]>): HostResolver => ({
  async resolve(hostname) {
    if (/^[\d.]+$/.test(hostname) || hostname.includes(':')) {
      return [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }];
    }
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`${hostname} not found`), { code: 'ENOTFOUND' });
    return addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  },
});

const PURPOSE = { label: 'Webhook URLs', errorCode: 'subscription.unsafe-url' };
const resolver = tableResolver({
  'public.example': ['93.184.215.14'],
  'metadata.example': ['169.254.169.254'],
  'mixed.example': ['93.184.215.14', '10.0.0.7'],
  'hooks.internal': ['10.1.1.1'],
  'v6.example': ['2606:4700:4700::1111'],
  'mapped.example': ['::ffff:127.0.0.1'],
});
const allow = (entries: string[]) => OutboundAllowList.parse(entries).allowList;
const strict = new OutboundPolicy(allow([]), resolver);
const lenient = new OutboundPolicy(allow(['127.0.0.0/8', 'hooks.internal']), resolver);

const lookup = (policy: OutboundPolicy, protocol: 'http:' | 'https:', hostname: string, all = true) =>
  new Promise<{ error: Error | null; addresses: unknown }>((resolve) =>
    policy.lookupFor(protocol)(hostname, { all }, (error, addresses) => resolve({ error, addresses })),
  );

describe('the outbound policy', () => {
  it.each([
    'https://10.0.0.5/hook',
    'https://172.16.3.4/hook',
    'https://192.168.1.20/hook',
    'https://127.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://metadata.example/latest/meta-data',
    'https://mixed.example/hook',
    'https://mapped.example/hook',
    'https://[::1]/hook',
    'https://[fe80::1]/hook',
    'https://[fd00::1]/hook',
    'https://[fec0::1]/hook',
    'https://[::ffff:10.0.0.1]/hook',
    'https://[::127.0.0.1]/hook',
    'https://0.0.0.0/hook',
    'https://0x7f.1/hook',
    'https://2130706433/hook',
    'https://100.100.100.200/hook',
    'https://192.0.2.1/hook',
  ])('refuses %s without an allow-list', async (url) => {
    await expect(strict.check(url, PURPOSE)).rejects.toMatchObject({ code: 'subscription.unsafe-url' });
  });

  it('refuses localhost as the system resolver answers it (from /etc/hosts, no connection made)', async () => {
    const system = new OutboundPolicy(allow([]), systemResolver);
    await expect(system.check('https://localhost/hook', PURPOSE)).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1), which is not a public address \(loopback\)/,
    );
  });

  it('names the refused address and the setting that would admit it', async () => {
    await expect(strict.check('https://metadata.example/x', PURPOSE)).rejects.toThrow(
      /metadata.example resolves to 169.254.169.254, which is not a public address \(linkLocal\); add it to OUTBOUND_ALLOWED_HOSTS/,
    );
  });

  it('requires https, refuses other schemes, credentials, unresolvable hosts', async () => {
    await expect(strict.check('http://public.example/hook', PURPOSE)).rejects.toThrow(/must use https/);
    await expect(strict.check('ftp://public.example/', PURPOSE)).rejects.toThrow(/must be https/);
    await expect(strict.check('file:///etc/passwd', PURPOSE)).rejects.toThrow(/must be https/);
    await expect(strict.check('https://user:secret@public.example/', PURPOSE)).rejects.toThrow(/credentials/);
    await expect(strict.check('not a url', PURPOSE)).rejects.toThrow(/is not a URL/);
    await expect(strict.check('https://nowhere.example/', PURPOSE)).rejects.toThrow(
      /Cannot resolve nowhere.example: ENOTFOUND/,
    );
  });

  it('accepts public https hosts, IPv4 and IPv6', async () => {
    await expect(strict.check('https://public.example/hook', PURPOSE)).resolves.toBeInstanceOf(URL);
    await expect(strict.check('https://v6.example/hook', PURPOSE)).resolves.toBeInstanceOf(URL);
    await expect(strict.check('https://93.184.215.14/hook', PURPOSE)).resolves.toBeInstanceOf(URL);
  });

  it('lets the allow-list admit ranges and named hosts, over http too', async () => {
    await expect(lenient.check('http://127.0.0.1:8080/hook', PURPOSE)).resolves.toBeInstanceOf(URL);
    await expect(lenient.check('http://hooks.internal/hook', PURPOSE)).resolves.toBeInstanceOf(URL);
    expect(lenient.mayConnect('https:', 'hooks.internal', '10.1.1.1')).toBe(true);
    expect(lenient.mayConnect('https:', 'elsewhere', '10.1.1.1')).toBe(false);
    await expect(lenient.check('https://192.168.1.1/hook', PURPOSE)).rejects.toThrow(/OUTBOUND_ALLOWED_HOSTS/);
    await expect(lenient.check('http://public.example/hook', PURPOSE)).rejects.toThrow(/must use https/);
  });

  it('refuses inside the connection when the name resolves to a refused address', async () => {
    const refused = await lookup(strict, 'https:', 'metadata.example');
    expect(refused.error).toBeInstanceOf(RefusedAddressError);
    expect(refused.error?.message).toMatch(/may not reach \(169.254.169.254\)/);
    const http = await lookup(strict, 'http:', 'public.example');
    expect(http.error).toBeInstanceOf(RefusedAddressError);
  });

  it('passes on only the allowed addresses of a mixed answer, in both lookup shapes', async () => {
    expect((await lookup(strict, 'https:', 'mixed.example')).addresses).toEqual([
      { address: '93.184.215.14', family: 4 },
    ]);
    const single = await new Promise<unknown[]>((resolve) =>
      strict.lookupFor('https:')('mixed.example', {}, (_error, address, family) => resolve([address, family])),
    );
    expect(single).toEqual(['93.184.215.14', 4]);
  });

  it('checks IP literals before connecting, since no lookup runs for them', () => {
    expect(() => strict.assertLiteralAllowed(new URL('https://127.0.0.1/'))).toThrow(RefusedAddressError);
    expect(() => strict.assertLiteralAllowed(new URL('https://[::ffff:7f00:1]/'))).toThrow(RefusedAddressError);
    expect(() => strict.assertLiteralAllowed(new URL('https://93.184.215.14/'))).not.toThrow();
    expect(() => lenient.assertLiteralAllowed(new URL('http://127.0.0.1:9/'))).not.toThrow();
  });

  it('lists allow-list entries it cannot read', () => {
    expect(OutboundAllowList.parse(['10.0.0.0/33', 'bad host!', 'ok.internal', '::1']).problems).toEqual([
      '"10.0.0.0/33" is not a valid CIDR range',
      '"bad host!" is not a host name, an IP address or a CIDR range',
    ]);
  });

  it('shows only the scheme, host and port of a URL it shows or logs: credentials, path and query string become …', () => {
    expect(redactUrl('https://user:pw@hooks.example/in?token=abc#x')).toBe('https://hooks.example/…');
    expect(redactUrl('https://hooks.example:8443/in')).toBe('https://hooks.example:8443/…');
    expect(redactUrl('https://hooks.example/?token=abc')).toBe('https://hooks.example/…');
    expect(redactUrl('https://hooks.example/')).toBe('https://hooks.example/');
    expect(redactUrl('http://[::1]:9/hook')).toBe('http://[::1]:9/…');
  });

  it('hides the secret that receivers such as Slack, Discord, Teams and Zapier carry in the path', () => {
    // Strings only: nothing is sent to these hosts.
    const secrets = {
      'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX': 'XXXXXXXXXXXXXXXXXXXXXXXX',
      'https://discord.com/api/webhooks/123456789012345678/abcDEF-ghiJKL_mnoPQR': 'abcDEF-ghiJKL_mnoPQR',
      'https://contoso.webhook.office.com/webhookb2/0aa1-4f/IncomingWebhook/9c2e7d1f/ab12-cd34':
        'IncomingWebhook/9c2e7d1f',
      'https://hooks.zapier.com/hooks/catch/123/abc/': 'catch/123/abc',
      // A token in the first segment, as some services put it.
      'https://webhook.example/5f0c9a3e-7b1d-4c2a-9e8f-1a2b3c4d5e6f': '5f0c9a3e',
    };
    for (const [url, secret] of Object.entries(secrets)) {
      expect(redactUrl(url)).toBe(`${new URL(url).origin}/…`);
      expect(redactUrl(url)).not.toContain(secret);
    }
  });

  it("keeps a registry page's path, which tells one page of a host from another, and drops its credentials and query string", () => {
    expect(redactPageUrl('https://user:pw@registry.example/study/NCT01234567?key=abc#x')).toBe(
      'https://registry.example/study/NCT01234567?[redacted]',
    );
    expect(redactPageUrl('https://registry.example/study/NCT01234567')).toBe(
      'https://registry.example/study/NCT01234567',
    );
  });

  it('keeps no more than the host of text that is not a URL', () => {
    expect(redactUrl('not a url')).toBe('not a url');
    expect(redactUrl('hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX')).toBe('hooks.slack.com/…');
    expect(redactUrl('https://user:pw@hooks exa mple/in?token=abc')).toBe('https://hooks exa mple/…');
  });
});
