import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  headers: IncomingHttpHeaders;
  /** The request's path and query, as the sender asked for it. */
  path: string;
  /** The body as it arrived, the bytes a signature covers. */
  bytes: Buffer;
  body: string;
  json: {
    type: string;
    timestamp: string;
    data: Record<string, unknown> & { eventId: string; nctId: string; streamVersion: number };
  };
  at: number;
  /** What the receiver answered. */
  status: number;
}

export type Answer = number | { status: number; headers?: Record<string, string> };

/** A real HTTP receiver on loopback that records every webhook and answers as the test decides. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /**
   * What to answer each request: a status, or a status with headers (e.g. `Retry-After`). May be async
   * (to answer late).
   */
  answer: (webhook: ReceivedWebhook) => Answer | Promise<Answer> = () => 200;
  private server: Server | null = null;
  private port = 0;

  static async start(port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.listen(port);
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/trialwatch`;
  }

  /** Listens again on the same port after `stop()` (the receiver coming back up). */
  async listen(port = this.port): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const bytes = Buffer.concat(chunks);
        const body = bytes.toString('utf8');
        const webhook: ReceivedWebhook = {
          id: String(request.headers['webhook-id']),
          timestamp: String(request.headers['webhook-timestamp']),
          signature: String(request.headers['webhook-signature']),
          headers: request.headers,
          path: request.url ?? '',
          bytes,
          body,
          json: JSON.parse(body),
          at: Date.now(),
          status: 0,
        };
        this.received.push(webhook);
        const answer = await this.answer(webhook);
        const { status, headers = {} } = typeof answer === 'number' ? { status: answer } : answer;
        webhook.status = status;
        response.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(status < 300 ? 'ok' : 'not now');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The webhooks the receiver accepted (2xx), in arrival order; a duplicate carries the same webhook-id. */
  accepted(): ReceivedWebhook[] {
    return this.received.filter((webhook) => webhook.status >= 200 && webhook.status < 300);
  }
}
