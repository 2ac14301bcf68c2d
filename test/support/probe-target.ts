import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP service standing in for something internal (a metadata service, an admin port):
 * it records every request it receives and answers with a secret that must never leak.
 */
export class ProbeTarget {
  readonly requests: { method: string; url: string }[] = [];
  static readonly SECRET = 'internal-secret-7f3a9c: this answer must never be readable through trialwatch';

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(
    host = '127.0.0.1',
    port = 0,
    respond?: (request: IncomingMessage, response: ServerResponse) => void,
  ): Promise<ProbeTarget> {
    let target: ProbeTarget | null = null;
    const server = createServer((request, response) => {
      target?.requests.push({ method: request.method ?? 'GET', url: request.url ?? '/' });
      if (respond) return respond(request, response);
      response.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${ProbeTarget.SECRET}</body></html>`);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    target = new ProbeTarget(server, host, (server.address() as AddressInfo).port);
    return target;
  }

  url(path = '/', host = this.host): string {
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
