import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookUrlPolicy } from './webhook-url-policy.js';

export interface WebhookResponse {
  statusCode: number | null;
  latencyMs: number;
  /** Why the attempt failed (network error, timeout, refused address, non-2xx), or null on success. */
  error: string | null;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/** Posts one signed payload with a hard timeout; never throws, always reports what happened. */
export const postWebhook = (
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; policy: WebhookUrlPolicy },
): Promise<WebhookResponse> =>
  new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusCode, latencyMs: Math.round(performance.now() - started), error });
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body).toString(),
          ...headers,
        },
        lookup: options.policy.lookup as never,
      },
      (response) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) response.destroy();
        });
        const status = response.statusCode ?? null;
        const outcome = status !== null && status >= 200 && status < 300 ? null : `receiver answered HTTP ${status}`;
        response.on('end', () => finish(status, outcome));
        response.on('error', () => finish(status, outcome ?? 'the response was cut off'));
        response.on('close', () =>
          finish(status, response.complete ? outcome : (outcome ?? 'the response was cut off')),
        );
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish(null, `no response within ${options.timeoutMs} ms`);
    }, options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish(null, error.code ? `${error.code}: ${error.message}` : error.message),
    );
    request.end(body);
  });
