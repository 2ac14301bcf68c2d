import type { OutboundHttp, OutboundPurpose } from '@app/infrastructure';

/** Webhook URLs under the outbound policy; refusals are `subscription.unsafe-url`. */
export const WEBHOOK_URLS: OutboundPurpose = { label: 'Webhook URLs', errorCode: 'subscription.unsafe-url' };

export interface WebhookResponse {
  statusCode: number | null;
  latencyMs: number;
  /** Why the attempt failed (network error, timeout, refused address, non-2xx), or null on success. */
  error: string | null;
  /** How long the receiver asked to be left alone (its `Retry-After`, in seconds or as a date), if it said. */
  retryAfterMs: number | null;
}

/** `Retry-After` in delay-seconds or as an HTTP date (RFC 9110 §10.2.3), in ms from `now`; null when absent or unreadable. */
export const parseRetryAfter = (value: string | null, now: Date): number | null => {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
};

/** Only the status matters; a receiver's longer answer is dropped unread. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** Posts one signed payload with a hard timeout; never throws, always reports what happened. Redirects are failures. */
export const postWebhook = async (
  http: OutboundHttp,
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<WebhookResponse> => {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  try {
    const response = await http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      timeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      oversize: 'truncate',
    });
    const ok = response.status >= 200 && response.status < 300;
    return {
      statusCode: response.status,
      latencyMs: latencyMs(),
      error: ok ? null : `receiver answered HTTP ${response.status}`,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), new Date()),
    };
  } catch (error) {
    return { statusCode: null, latencyMs: latencyMs(), error: (error as Error).message, retryAfterMs: null };
  }
};
