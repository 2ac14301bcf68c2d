import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { newSecret } from '../subscriptions/subscription-rules.js';
import { signWebhook } from './webhook-signature.js';

const at = new Date('2026-01-15T10:00:00.750Z');

describe('webhook signatures', () => {
  it('are the ones the standardwebhooks library gives, for any secret, message id, time and body', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ maxLength: 80 }),
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.uint8Array({ maxLength: 10_000 }),
        (key, messageId, when, body) => {
          const secret = `whsec_${Buffer.from(key).toString('base64')}`;
          expect(signWebhook(secret, messageId, when, body)).toBe(new Webhook(secret).sign(messageId, when, body));
        },
      ),
    );
  });

  it('verify with the library for a secret trialwatch issues, with or without its whsec_ prefix', () => {
    const secret = newSecret();
    const body = Buffer.from('{"type":"trial.registered","data":{"sequence":1,"site":"Hôpitaux de Paris"}}');
    const headers = (signature: string) => ({
      'webhook-id': 'event-1.subscription-1',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': signature,
    });
    const now = new Date();
    for (const spelled of [secret, secret.slice('whsec_'.length)])
      expect(
        new Webhook(secret).verify(body, headers(signWebhook(spelled, 'event-1.subscription-1', now, body))),
      ).toEqual({ type: 'trial.registered', data: { sequence: 1, site: 'Hôpitaux de Paris' } });
  });

  it('differ for another secret or an altered body', () => {
    const secret = newSecret();
    const body = Buffer.from('{"type":"trial.registered"}');
    const signature = signWebhook(secret, 'm', at, body);
    expect(signature).not.toBe(signWebhook(newSecret(), 'm', at, body));
    expect(signature).not.toBe(signWebhook(secret, 'm', at, Buffer.from('{"type":"trial.registered" }')));
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });
});
