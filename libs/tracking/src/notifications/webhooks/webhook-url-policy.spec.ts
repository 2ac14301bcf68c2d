import { WebhookUrlPolicy } from './webhook-url-policy.js';

describe('which webhook URLs may be called', () => {
  const strict = new WebhookUrlPolicy([]);
  const loopbackAllowed = new WebhookUrlPolicy(['127.0.0.0/8', 'hooks.internal']);

  it.each([
    'https://10.0.0.5/hook',
    'https://172.16.3.4/hook',
    'https://192.168.1.20/hook',
    'https://127.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://[fe80::1]/hook',
    'https://[fd00::1]/hook',
    'https://[::ffff:10.0.0.1]/hook',
    'https://0.0.0.0/hook',
    'https://localhost/hook',
  ])('refuses %s without an allow-list', async (url) => {
    await expect(strict.check(url)).rejects.toMatchObject({ code: 'subscription.unsafe-url' });
  });

  it('requires https, refuses other schemes and credentials', async () => {
    await expect(strict.check('http://93.184.215.14/hook')).rejects.toThrow(/must use https/);
    await expect(strict.check('ftp://93.184.215.14/')).rejects.toThrow(/must be https/);
    await expect(strict.check('https://user:secret@93.184.215.14/')).rejects.toThrow(/credentials/);
    await expect(strict.check('not a url')).rejects.toThrow(/is not a URL/);
  });

  it('accepts public https addresses', async () => {
    await expect(strict.check('https://93.184.215.14/hook')).resolves.toBeInstanceOf(URL);
    expect(strict.mayReach('example.org', '93.184.215.14')).toBe(true);
  });

  it('lets the allow-list admit loopback and named hosts, over http too', async () => {
    await expect(loopbackAllowed.check('http://127.0.0.1:8080/hook')).resolves.toBeInstanceOf(URL);
    expect(loopbackAllowed.mayReach('hooks.internal', '10.1.1.1')).toBe(true);
    expect(loopbackAllowed.mayReach('elsewhere', '10.1.1.1')).toBe(false);
    await expect(loopbackAllowed.check('https://192.168.1.1/hook')).rejects.toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });

  it('refuses at connection time a name that resolves to a forbidden address', async () => {
    const resolved = await new Promise<{ error: NodeJS.ErrnoException | null }>((resolve) =>
      strict.lookup('localhost', {}, (error) => resolve({ error })),
    );
    expect(resolved.error?.message).toMatch(/resolves only to addresses webhooks may not reach/);
  });
});
