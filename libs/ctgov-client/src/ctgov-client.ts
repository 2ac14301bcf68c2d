import { isNctId, parseNctId } from '@app/domain';
import {
  type CtgovClientOptions,
  type CtgovClientStats,
  CtgovHttp,
  type CtgovResponse,
  describeShape,
  isRecord,
  parseJsonBody,
} from './ctgov-http.js';
import { CtgovIncompleteResultsError, CtgovStudyNotFoundError, CtgovUnexpectedResponseError } from './errors.js';
import { type StudyQuery, studySearchParameters } from './study-query.js';

export interface StudyPage {
  studies: Record<string, unknown>[];
  nextPageToken: string | null;
  /** Only on the first page of each request (one per chunk of IDs): the number of studies it matches. */
  totalCount?: number;
}

export interface CtgovDataVersion {
  apiVersion: string;
  dataTimestamp: string;
}

export interface CtgovStudy {
  nctId: string;
  /** The ID asked for, when the registry answered with the study under another (current) ID. */
  redirectedFrom: string | null;
  document: Record<string, unknown>;
}

/** A chain of aliases longer than this is a loop or a misconfiguration, not an alias. */
const MAX_REDIRECTS = 5;
const STUDY_LOCATION = /\/api\/v2\/studies\/([^/]+)\/?$/;

const isSuccess = (status: number): boolean => status >= 200 && status < 300;
const isRedirect = (status: number): boolean => [301, 302, 303, 307, 308].includes(status);

const nctIdOf = (document: Record<string, unknown>): unknown => {
  const protocol = document.protocolSection;
  const identification = isRecord(protocol) ? protocol.identificationModule : undefined;
  return isRecord(identification) ? identification.nctId : undefined;
};

/** ClinicalTrials.gov API v2 (https://clinicaltrials.gov/data-api/api), politely: see CtgovHttp. */
export class CtgovClient {
  private readonly http: CtgovHttp;

  /** Pass a CtgovHttp instead of options to share its rate limit (and stats) with other adapters. */
  constructor(options: CtgovClientOptions | CtgovHttp) {
    this.http = options instanceof CtgovHttp ? options : new CtgovHttp(options);
  }

  /** What the client did so far, for run records and tests. */
  get stats(): CtgovClientStats {
    return { ...this.http.stats };
  }

  async version(): Promise<CtgovDataVersion> {
    const response = await this.getSuccess(this.http.url('/api/v2/version'));
    const body = this.json(response);
    if (!isRecord(body) || typeof body.apiVersion !== 'string' || typeof body.dataTimestamp !== 'string') {
      throw new CtgovUnexpectedResponseError(
        response.url.href,
        `expected { apiVersion, dataTimestamp } as strings, got ${describeShape(body)}`,
      );
    }
    return { apiVersion: body.apiVersion, dataTimestamp: body.dataTimestamp };
  }

  /**
   * Pages of study documents for IDs and/or a search, following nextPageToken until there is none. A
   * request whose pages held fewer studies than the total its first page announced ends, after its last
   * page, in a CtgovIncompleteResultsError: what came is yielded, what did not is not taken for absent.
   */
  async *studies(query: StudyQuery): AsyncGenerator<StudyPage> {
    for (const parameters of studySearchParameters(query)) {
      let pageToken: string | null = null;
      let first: { url: string; totalCount?: number } | null = null;
      let received = 0;
      do {
        const url = this.http.url(
          '/api/v2/studies',
          pageToken === null ? { ...parameters, countTotal: 'true' } : { ...parameters, pageToken },
        );
        const page = this.studyPage(await this.getSuccess(url));
        if (page.nextPageToken !== null && page.nextPageToken === pageToken) {
          throw new CtgovUnexpectedResponseError(url.href, 'the page points to itself as the next page');
        }
        first ??= { url: url.href, totalCount: page.totalCount };
        received += page.studies.length;
        yield page;
        pageToken = page.nextPageToken;
      } while (pageToken !== null);
      if (first?.totalCount !== undefined && received < first.totalCount) {
        throw new CtgovIncompleteResultsError(first.url, first.totalCount, received);
      }
    }
  }

  /**
   * Which of these IDs the registry has under that ID, asking for their NCT IDs only (one small request
   * per 100 IDs): an ID missing here is an alias, or a study the registry does not (or no longer) have.
   */
  async presentIds(nctIds: string[]): Promise<Set<string>> {
    const present = new Set<string>();
    if (nctIds.length === 0) return present;
    for await (const page of this.studies({ nctIds, fields: ['NCTId'] })) {
      for (const study of page.studies) {
        const nctId = nctIdOf(study);
        if (typeof nctId === 'string') present.add(nctId.toUpperCase());
      }
    }
    return present;
  }

  /** One study, following alias redirects (an old NCT ID merged into a current one) and reporting them. */
  async study(nctId: string): Promise<CtgovStudy> {
    const requested = parseNctId(nctId);
    const visited = [requested];
    for (;;) {
      const current = visited[visited.length - 1]!;
      const response = await this.http.get(this.http.url(`/api/v2/studies/${current}`, { format: 'json' }));
      if (response.status === 404) {
        throw new CtgovStudyNotFoundError(requested, current === requested ? null : current);
      }
      if (isRedirect(response.status)) {
        const target = this.redirectTarget(response);
        if (visited.includes(target) || visited.length > MAX_REDIRECTS) {
          throw new CtgovUnexpectedResponseError(
            response.url.href,
            `the aliases redirect in a loop or too far: ${[...visited, target].join(' -> ')}`,
          );
        }
        visited.push(target);
        continue;
      }
      if (!isSuccess(response.status)) throw this.http.rejected(response);

      const document = this.json(response);
      const documentNctId = isRecord(document) ? nctIdOf(document) : undefined;
      if (!isRecord(document) || typeof documentNctId !== 'string') {
        throw new CtgovUnexpectedResponseError(
          response.url.href,
          `expected a study document with protocolSection.identificationModule.nctId, got ${describeShape(document)}`,
        );
      }
      return { nctId: documentNctId, redirectedFrom: documentNctId === requested ? null : requested, document };
    }
  }

  private async getSuccess(url: URL): Promise<CtgovResponse> {
    const response = await this.http.get(url);
    if (!isSuccess(response.status)) throw this.http.rejected(response);
    return response;
  }

  private json(response: CtgovResponse): unknown {
    return parseJsonBody(response, (problem) => new CtgovUnexpectedResponseError(response.url.href, problem));
  }

  private studyPage(response: CtgovResponse): StudyPage {
    const body = this.json(response);
    const unexpected = (problem: string) => new CtgovUnexpectedResponseError(response.url.href, problem);
    if (!isRecord(body) || !Array.isArray(body.studies)) {
      throw unexpected(`expected a studies page with a studies array, got ${describeShape(body)}`);
    }
    const notADocument = body.studies.findIndex((study) => !isRecord(study));
    if (notADocument !== -1) {
      throw unexpected(
        `studies[${notADocument}] is ${describeShape(body.studies[notADocument])}, not a study document`,
      );
    }
    const { nextPageToken, totalCount } = body;
    if (
      nextPageToken !== undefined &&
      nextPageToken !== null &&
      (typeof nextPageToken !== 'string' || !nextPageToken)
    ) {
      throw unexpected(`nextPageToken is ${JSON.stringify(nextPageToken)}, not a token`);
    }
    if (totalCount !== undefined && (typeof totalCount !== 'number' || !Number.isInteger(totalCount))) {
      throw unexpected(`totalCount is ${JSON.stringify(totalCount)}, not a count`);
    }
    return {
      studies: body.studies as Record<string, unknown>[],
      nextPageToken: (nextPageToken as string | undefined | null) ?? null,
      ...(totalCount === undefined ? {} : { totalCount }),
    };
  }

  private redirectTarget(response: CtgovResponse): string {
    const location = response.headers.get('location');
    const path = location ? new URL(location, response.url).pathname : '';
    const alias = STUDY_LOCATION.exec(path)?.[1];
    const target = alias === undefined ? undefined : decodeURIComponent(alias).trim().toUpperCase();
    if (target === undefined || !isNctId(target)) {
      throw new CtgovUnexpectedResponseError(
        response.url.href,
        `HTTP ${response.status} to ${location ?? 'nowhere (no Location header)'}, which is not a study`,
      );
    }
    return target;
  }
}
