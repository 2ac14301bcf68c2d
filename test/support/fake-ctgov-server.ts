import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFixture } from './fixtures.js';

type StudyDocument = Record<string, unknown>;

/**
 * What the fake does instead of answering normally, once per matching request:
 * - `status`: answer with this status (and Retry-After, when given) and a JSON `{ message }`;
 * - `delay`: answer normally, but only after `ms` (beyond a client's timeout, the client never sees it);
 * - `drop`: destroy the socket without any response;
 * - `body`: answer with this raw body (default status 200, JSON content type), e.g. a changed shape.
 */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' }
  | { kind: 'body'; body: string; status?: number; contentType?: string };

export interface ReceivedRequest {
  url: URL;
  /** Date.now() when the request arrived. */
  at: number;
  /** The status the fake answered with; 0 while it has not answered, and for good when it never did (drop, or the client gave up). */
  status: number;
}

export interface HistoryVersion {
  date: string;
  study: StudyDocument;
  /** Defaults to the overall status in `study`. */
  status?: string;
}

export interface FixtureChanges {
  nctId?: string;
  overallStatus?: string;
  lastUpdatePostDate?: string;
  lastUpdateSubmitDate?: string;
  enrollmentCount?: number;
  conditions?: string[];
  leadSponsor?: string;
}

interface QueuedFault {
  fault: Fault;
  match: (url: URL) => boolean;
}

const MAX_PAGE_SIZE = 1_000;
/** What API v2 uses when pageSize is absent or 0. */
const DEFAULT_PAGE_SIZE = 10;
const SYNTHETIC_FIXTURE = 'NCT00973089';
const STOPPED_STATUSES = new Set(['WITHDRAWN', 'TERMINATED', 'SUSPENDED']);

/** Reads a nested field of a loosely typed document, or undefined when any step is missing. */
const field = (document: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
    document,
  );

/** Sets a nested field, creating the objects on the way. */
const setField = (document: StudyDocument, path: string[], value: unknown): void => {
  let target = document;
  for (const key of path.slice(0, -1)) {
    if (!target[key] || typeof target[key] !== 'object') target[key] = {};
    target = target[key] as StudyDocument;
  }
  target[path[path.length - 1]!] = value;
};

const nctIdOf = (study: StudyDocument): string => {
  const nctId = field(study, 'protocolSection', 'identificationModule', 'nctId');
  if (typeof nctId !== 'string') throw new Error('a study document needs protocolSection.identificationModule.nctId');
  return nctId;
};

const textOf = (value: unknown): string => (typeof value === 'string' ? value.toLowerCase() : '');

const listParameter = (value: string | null): string[] | null =>
  value === null
    ? null
    : value
        .split(/[,|]/)
        .map((item) => item.trim())
        .filter(Boolean);

/** The part of filter.advanced the fake understands: AREA[LastUpdatePostDate]RANGE[from,to], MIN/MAX allowed. */
const LAST_UPDATE_POSTED_RANGE = /AREA\[LastUpdatePostDate\]RANGE\[\s*([^,\]]+?)\s*,\s*([^\]]+?)\s*\]/i;

const encodePageToken = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64url');

const decodePageToken = (token: string): number | null => {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
};

/** "sponsorCollaboratorsModule" -> "Sponsor Collaborators", close enough to the site's own module labels. */
const moduleLabel = (key: string): string =>
  key
    .replace(/Module$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^./, (first) => first.toUpperCase());

const modulesOf = (study: StudyDocument): Record<string, unknown> => {
  const protocol = field(study, 'protocolSection');
  return protocol && typeof protocol === 'object' ? (protocol as Record<string, unknown>) : study;
};

/** A fake ClinicalTrials.gov (API v2, the undocumented history API, plain pages) on 127.0.0.1, for tests. */
export class FakeCtgovServer {
  readonly requests: ReceivedRequest[] = [];
  private readonly studies = new Map<string, StudyDocument>();
  private readonly aliases = new Map<string, string>();
  private readonly histories = new Map<string, HistoryVersion[]>();
  private readonly historyUnavailable = new Set<string>();
  private readonly pages = new Map<string, string>();
  private readonly faults: QueuedFault[] = [];
  private readonly pendingAnswers = new Set<NodeJS.Timeout>();
  private readonly server: Server = createServer((request, response) => this.handle(request, response));
  private origin = '';
  private dataTimestamp = '2026-01-15T09:00:05';
  private static readonly fixtures = new Map<string, StudyDocument>();

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
    for (const timer of this.pendingAnswers) clearTimeout(timer);
    this.pendingAnswers.clear();
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
    this.server.closeAllConnections();
    await closed;
  }

  /** A copy of a fixture in test/fixtures/ctgov-api-v2 with the given changes applied. */
  static studyFromFixture(nctIdOfFixture: string, changes: FixtureChanges = {}): StudyDocument {
    let fixture = FakeCtgovServer.fixtures.get(nctIdOfFixture);
    if (!fixture) {
      fixture = JSON.parse(readFixture('ctgov-api-v2', `${nctIdOfFixture}.json`)) as StudyDocument;
      FakeCtgovServer.fixtures.set(nctIdOfFixture, fixture);
    }
    const study = structuredClone(fixture);
    const status = ['protocolSection', 'statusModule'];
    if (changes.nctId !== undefined) {
      setField(study, ['protocolSection', 'identificationModule', 'nctId'], changes.nctId);
    }
    if (changes.overallStatus !== undefined) {
      setField(study, [...status, 'overallStatus'], changes.overallStatus);
      if (!STOPPED_STATUSES.has(changes.overallStatus)) {
        delete (field(study, ...status) as StudyDocument).whyStopped;
      }
    }
    if (changes.lastUpdatePostDate !== undefined) {
      setField(study, [...status, 'lastUpdatePostDateStruct'], { date: changes.lastUpdatePostDate, type: 'ACTUAL' });
    }
    if (changes.lastUpdateSubmitDate !== undefined) {
      setField(study, [...status, 'lastUpdateSubmitDate'], changes.lastUpdateSubmitDate);
    }
    if (changes.enrollmentCount !== undefined) {
      setField(study, ['protocolSection', 'designModule', 'enrollmentInfo', 'count'], changes.enrollmentCount);
    }
    if (changes.conditions !== undefined) {
      setField(study, ['protocolSection', 'conditionsModule', 'conditions'], [...changes.conditions]);
    }
    if (changes.leadSponsor !== undefined) {
      setField(study, ['protocolSection', 'sponsorCollaboratorsModule', 'leadSponsor', 'name'], changes.leadSponsor);
    }
    return study;
  }

  putStudy(document: StudyDocument): void {
    this.studies.set(nctIdOf(document), structuredClone(document));
  }

  removeStudy(nctId: string): void {
    this.studies.delete(nctId);
  }

  /** Copies of one fixture numbered NCT90000001, NCT90000002, ... (or from `firstNumber`); returns their IDs. */
  putSyntheticStudies(count: number, options: { firstNumber?: number; condition?: string } = {}): string[] {
    const firstNumber = options.firstNumber ?? 90_000_001;
    const nctIds: string[] = [];
    for (let index = 0; index < count; index++) {
      const nctId = `NCT${String(firstNumber + index).padStart(8, '0')}`;
      this.putStudy(
        FakeCtgovServer.studyFromFixture(SYNTHETIC_FIXTURE, {
          nctId,
          ...(options.condition === undefined ? {} : { conditions: [options.condition] }),
        }),
      );
      nctIds.push(nctId);
    }
    return nctIds;
  }

  setDataTimestamp(value: string): void {
    this.dataTimestamp = value;
  }

  /** The old ID redirects (301) to the current one, and is no longer found by filter.ids. */
  alias(oldNctId: string, currentNctId: string): void {
    this.aliases.set(oldNctId, currentNctId);
  }

  setHistory(nctId: string, versions: HistoryVersion[]): void {
    this.histories.set(
      nctId,
      versions.map((version) => ({ ...version, study: structuredClone(version.study) })),
    );
    this.historyUnavailable.delete(nctId);
  }

  setHistoryUnavailable(nctId: string): void {
    this.historyUnavailable.add(nctId);
  }

  servePage(path: string, html: string): void {
    this.pages.set(path, html);
  }

  /** The next requests that `match` (default: any) get these faults, one each and in order; later ones are normal. */
  injectFaults(faults: Fault[], match: (url: URL) => boolean = () => true): void {
    this.faults.push(...faults.map((fault) => ({ fault, match })));
  }

  private takeFault(url: URL): Fault | undefined {
    const index = this.faults.findIndex((queued) => queued.match(url));
    return index === -1 ? undefined : this.faults.splice(index, 1)[0]!.fault;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.baseUrl);
    const received: ReceivedRequest = { url, at: Date.now(), status: 0 };
    this.requests.push(received);
    const reply = (status: number, body: string, headers: Record<string, string> = {}): void => {
      if (response.destroyed) return;
      received.status = status;
      response.writeHead(status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        ...headers,
      });
      response.end(body);
    };

    const fault = this.takeFault(url);
    switch (fault?.kind) {
      case 'drop':
        request.socket.destroy();
        return;
      case 'status':
        reply(
          fault.status,
          JSON.stringify({ message: `injected fault: HTTP ${fault.status}` }),
          fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter },
        );
        return;
      case 'body':
        reply(fault.status ?? 200, fault.body, { 'content-type': fault.contentType ?? 'application/json' });
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          this.pendingAnswers.delete(timer);
          this.route(request, url, reply);
        }, fault.ms);
        this.pendingAnswers.add(timer);
        response.once('close', () => {
          clearTimeout(timer);
          this.pendingAnswers.delete(timer);
        });
        return;
      }
      case undefined:
        this.route(request, url, reply);
    }
  }

  private route(
    request: IncomingMessage,
    url: URL,
    reply: (status: number, body: string, headers?: Record<string, string>) => void,
  ): void {
    const json = (status: number, body: unknown) => reply(status, JSON.stringify(body));
    const notFound = (message: string) => json(404, { message });
    if (request.method !== 'GET') {
      json(405, { message: `${request.method} is not allowed` });
      return;
    }

    const path = url.pathname;
    if (path === '/api/v2/version') {
      json(200, { apiVersion: '2.0.5', dataTimestamp: this.dataTimestamp });
      return;
    }
    if (path === '/api/v2/studies') {
      this.searchStudies(url.searchParams, json);
      return;
    }
    const single = /^\/api\/v2\/studies\/([^/]+)$/.exec(path);
    if (single) {
      const nctId = decodeURIComponent(single[1]!);
      const current = this.aliases.get(nctId);
      const study = this.studies.get(nctId);
      if (current !== undefined) reply(301, '', { location: `/api/v2/studies/${current}` });
      else if (study) json(200, study);
      else notFound(`Study not found: ${nctId}`);
      return;
    }
    const history = /^\/api\/int\/studies\/([^/]+)\/history(?:\/(\d+))?$/.exec(path);
    if (history) {
      const nctId = decodeURIComponent(history[1]!);
      const versions = this.historyUnavailable.has(nctId) ? undefined : this.histories.get(nctId);
      if (!versions) {
        notFound(`No history for ${nctId}`);
      } else if (history[2] === undefined) {
        json(200, { changes: this.historyChanges(versions) });
      } else {
        const version = Number(history[2]);
        const entry = versions[version];
        if (entry) json(200, { studyVersion: version, study: entry.study });
        else notFound(`${nctId} has no version ${version}`);
      }
      return;
    }
    const page = this.pages.get(path);
    if (page !== undefined) {
      reply(200, page, { 'content-type': 'text/html; charset=utf-8' });
      return;
    }
    notFound(`No route for ${path}`);
  }

  private searchStudies(parameters: URLSearchParams, json: (status: number, body: unknown) => void): void {
    const ids = listParameter(parameters.get('filter.ids'));
    const statuses = listParameter(parameters.get('filter.overallStatus'));
    const condition = parameters.get('query.cond')?.toLowerCase();
    const sponsor = parameters.get('query.spons')?.toLowerCase();
    const term = parameters.get('query.term')?.toLowerCase();
    const range = LAST_UPDATE_POSTED_RANGE.exec(parameters.get('filter.advanced') ?? '');
    const [from, to] = range ? [range[1]!.toUpperCase(), range[2]!.toUpperCase()] : ['MIN', 'MAX'];

    const matching = [...this.studies.entries()]
      .filter(([nctId]) => !this.aliases.has(nctId) && (ids === null || ids.includes(nctId)))
      .map(([, study]) => study)
      .filter((study) => {
        const protocol = field(study, 'protocolSection');
        const conditions = field(protocol, 'conditionsModule', 'conditions');
        const posted = field(protocol, 'statusModule', 'lastUpdatePostDateStruct', 'date');
        return (
          (statuses === null || statuses.includes(field(protocol, 'statusModule', 'overallStatus') as string)) &&
          (!condition ||
            (Array.isArray(conditions) && conditions.some((value) => textOf(value).includes(condition)))) &&
          (!sponsor ||
            textOf(field(protocol, 'sponsorCollaboratorsModule', 'leadSponsor', 'name')).includes(sponsor)) &&
          (!term || textOf(field(protocol, 'identificationModule', 'briefTitle')).includes(term)) &&
          (from === 'MIN' || (typeof posted === 'string' && posted >= from)) &&
          (to === 'MAX' || (typeof posted === 'string' && posted <= to))
        );
      })
      .sort((a, b) => nctIdOf(a).localeCompare(nctIdOf(b)));

    const requestedSize = Number(parameters.get('pageSize') ?? 0);
    if (!Number.isInteger(requestedSize) || requestedSize < 0) {
      json(400, { message: `pageSize: invalid value ${parameters.get('pageSize')}` });
      return;
    }
    const pageSize = requestedSize === 0 ? DEFAULT_PAGE_SIZE : Math.min(requestedSize, MAX_PAGE_SIZE);
    const token = parameters.get('pageToken');
    const offset = token === null ? 0 : decodePageToken(token);
    if (offset === null) {
      json(400, { message: `pageToken: invalid token ${token}` });
      return;
    }
    const end = offset + pageSize;
    json(200, {
      ...(token === null && parameters.get('countTotal') === 'true' ? { totalCount: matching.length } : {}),
      studies: matching.slice(offset, end),
      ...(end < matching.length ? { nextPageToken: encodePageToken(end) } : {}),
    });
  }

  /** Version 0 changes every module; each later one the modules that differ from the version before. */
  private historyChanges(versions: HistoryVersion[]) {
    return versions.map((entry, version) => {
      const modules = modulesOf(entry.study);
      const previous = version === 0 ? {} : modulesOf(versions[version - 1]!.study);
      const changed = Object.keys(modules).filter(
        (key) => JSON.stringify(modules[key]) !== JSON.stringify(previous[key]),
      );
      const status = entry.status ?? field(modules, 'statusModule', 'overallStatus');
      return {
        version,
        date: entry.date,
        ...(typeof status === 'string' ? { status } : {}),
        moduleLabels: changed.map(moduleLabel),
      };
    });
  }
}
