import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/**
 * A Standard Webhooks v1 signature (`v1,` and the base64 of HMAC-SHA256 over `id.timestamp.body`, keyed
 * by the secret's base64-decoded bytes), the one `standardwebhooks`' `Webhook#sign` gives. It is computed
 * with Node's own HMAC: the library hashes in JavaScript (fast-sha256), which took about 8 % of the
 * worker's CPU in a fan-out of a registration's 6.6 KB webhook to 1,000 subscriptions. Receivers still
 * verify with the library; `webhook-signature.spec.ts` holds the two equal.
 */
export const signWebhook = (secret: string, messageId: string, at: Date, body: Uint8Array): string => {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  const signature = createHmac('sha256', key)
    .update(`${messageId}.${Math.floor(at.getTime() / 1000)}.`)
    .update(body)
    .digest('base64');
  return `v1,${signature}`;
};
