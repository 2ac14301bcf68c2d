import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Answer } from './answer.js';
import { FaultInjector, type Fault } from './faults.js';
import { route, type Registry } from './routes.js';
import { ServedPages } from './served-pages.js';
import { studyFromFixture, syntheticStudies } from './study-builders.js';
import { nctIdOf, type StudyDocument } from './study-document.js';
import { StudyHistories, type HistoryVersion } from './study-history.js';
import { StudyStore } from './study-store.js';

export interface ReceivedRequest {
  url: URL;
  /** Date.now() when the request arrived. */
  at: number;
  /** The status the fake answered with; 0 while it has not answered, and for good when it never did (drop, or the client gave up). */
  status: number;
}

/** A fake ClinicalTrials.gov (API v2, the undocumented history API, plain pages) on 127.0.0.1, for tests. */
export class FakeCtgovServer {
  /** Every request received, in order of arrival. */
  readonly requests: ReceivedRequest[] = [];
  /** A copy of a fixture in test/fixtures/ctgov-api-v2 with the given changes applied. */
  static readonly studyFromFixture = studyFromFixture;
  private readonly registry: Registry = {
    studies: new StudyStore(),
    histories: new StudyHistories(),
    pages: new ServedPages(),
    version: { apiVersion: '2.0.5', dataTimestamp: '2026-01-15T09:00:05' },
  };
  private readonly faults = new FaultInjector();
  private readonly server: Server = createServer((request, response) => this.handle(request, response));
  private origin = '';

  private constructor() {}

  static async start(): Promise<FakeCtgovServer> {
    const fake = new FakeCtgovServer();
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', resolve);
    });
    fake.origin = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** e.g. http://127.0.0.1:40123, to use as the client's baseUrl. */
  get baseUrl(): string {
    return this.origin;
  }

  async stop(): Promise<void> {
    this.faults.cancelPending();
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
    this.server.closeAllConnections();
    await closed;
  }

  putStudy(document: StudyDocument): void {
    this.registry.studies.put(document);
  }

  removeStudy(nctId: string): void {
    this.registry.studies.remove(nctId);
  }

  /** Copies of one fixture numbered NCT90000001, NCT90000002, ... (or from `firstNumber`); returns their IDs. */
  putSyntheticStudies(count: number, options: { firstNumber?: number; condition?: string } = {}): string[] {
    return syntheticStudies(count, options).map((study) => {
      this.registry.studies.put(study);
      return nctIdOf(study);
    });
  }

  setDataTimestamp(value: string): void {
    this.registry.version.dataTimestamp = value;
  }

  /** The old ID redirects (301) to the current one, and is no longer found by filter.ids. */
  alias(oldNctId: string, currentNctId: string): void {
    this.registry.studies.alias(oldNctId, currentNctId);
  }

  setHistory(nctId: string, versions: HistoryVersion[]): void {
    this.registry.histories.set(nctId, versions);
  }

  setHistoryUnavailable(nctId: string): void {
    this.registry.histories.setUnavailable(nctId);
  }

  servePage(path: string, html: string): void {
    this.registry.pages.serve(path, html);
  }

  /** The next requests that `match` (default: any) get these faults, one each and in order; later ones are normal. */
  injectFaults(faults: Fault[], match?: (url: URL) => boolean): void {
    this.faults.inject(faults, match);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.baseUrl);
    const received: ReceivedRequest = { url, at: Date.now(), status: 0 };
    this.requests.push(received);
    const reply = ({ status, body, headers = {} }: Answer): void => {
      if (response.destroyed) return;
      received.status = status;
      response.writeHead(status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        ...headers,
      });
      response.end(body);
    };
    this.faults.handle(url, request, response, reply, () => route(this.registry, request.method, url));
  }
}
