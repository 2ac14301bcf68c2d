import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signWebhook } from './webhook-sender.js';

describe('signWebhook', () => {
  it('signs exactly as the Standard Webhooks library does, and its verify accepts the signature', () => {
    for (let index = 0; index < 20; index += 1) {
      const secret = `whsec_${randomBytes(24 + index).toString('base64')}`;
      // Within the library's five-minute tolerance, so that its verify takes them.
      const at = new Date(Date.now() - index * 7_000);
      const body = JSON.stringify({ type: 'trial.registered', data: { n: index, text: 'é✓'.repeat(index) } });
      const id = `msg-${index}`;
      const timestamp = Math.floor(at.getTime() / 1000).toString();
      const signature = signWebhook(secret, id, timestamp, body);
      expect(signature).toBe(new Webhook(secret).sign(id, at, body));
      const headers = { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    }
  });

  it('gives a signature another secret does not verify', () => {
    const at = new Date();
    const timestamp = Math.floor(at.getTime() / 1000).toString();
    const signature = signWebhook(`whsec_${randomBytes(32).toString('base64')}`, 'msg', timestamp, '{}');
    const other = new Webhook(`whsec_${randomBytes(32).toString('base64')}`);
    expect(() =>
      other.verify('{}', { 'webhook-id': 'msg', 'webhook-timestamp': timestamp, 'webhook-signature': signature }),
    ).toThrow();
  });
});
