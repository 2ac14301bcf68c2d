import { parseNctId } from '@app/domain';
import {
  type CtgovClientOptions,
  type CtgovClientStats,
  CtgovHttp,
  describeShape,
  isRecord,
  parseJsonBody,
  serverMessage,
} from './ctgov-http.js';
import { CtgovHistoryUnavailableError, CtgovInvalidQueryError } from './errors.js';

export interface StudyHistoryEntry {
  /** From 0, the version first posted. */
  version: number;
  date: string;
  /** The overall status as of this version, when the endpoint says. */
  status: string | null;
  /** Which parts of the record this version changed, as the site labels them. */
  moduleLabels: string[];
}

export interface StudyHistoryVersion {
  studyVersion: number;
  study: Record<string, unknown>;
}

/**
 * The site's undocumented record-history API (what its "History of Changes" tab reads). It may change
 * or disappear without notice, so callers keep it off by default and treat CtgovHistoryUnavailableError
 * as "no history from the registry", never as a failed run.
 */
export class CtgovHistoryClient {
  private readonly http: CtgovHttp;

  /** Pass a CtgovHttp instead of options to share its rate limit (and stats) with other adapters. */
  constructor(options: CtgovClientOptions | CtgovHttp) {
    this.http = options instanceof CtgovHttp ? options : new CtgovHttp(options);
  }

  get stats(): CtgovClientStats {
    return { ...this.http.stats };
  }

  /** Every version of a study, oldest first. */
  async versions(nctId: string): Promise<StudyHistoryEntry[]> {
    const url = this.http.url(`/api/int/studies/${parseNctId(nctId)}/history`);
    const body = await this.getJson(url, 'for the list of versions');
    if (!isRecord(body) || !Array.isArray(body.changes)) {
      throw unexpectedShape(url, `expected { changes: [...] }, got ${describeShape(body)}`);
    }
    return body.changes.map((change, index) => historyEntry(url, change, index)).sort((a, b) => a.version - b.version);
  }

  /** One version of a study, as the registry showed it then. */
  async version(nctId: string, version: number): Promise<StudyHistoryVersion> {
    if (!Number.isInteger(version) || version < 0) {
      throw new CtgovInvalidQueryError(`A study version is a whole number from 0, got ${version}`, { version });
    }
    const url = this.http.url(`/api/int/studies/${parseNctId(nctId)}/history/${version}`);
    const body = await this.getJson(url, `for version ${version}`);
    if (!isRecord(body) || typeof body.studyVersion !== 'number' || !isRecord(body.study)) {
      throw unexpectedShape(url, `expected { studyVersion, study }, got ${describeShape(body)}`);
    }
    if (body.studyVersion !== version) {
      throw unexpectedShape(url, `asked for version ${version}, it answered with version ${body.studyVersion}`);
    }
    return { studyVersion: body.studyVersion, study: body.study };
  }

  /** Any final refusal counts as the endpoint being unavailable; only a temporary failure is a CtgovRequestError. */
  private async getJson(url: URL, what: string): Promise<unknown> {
    const response = await this.http.get(url);
    if (response.status === 404) {
      throw new CtgovHistoryUnavailableError(
        url.href,
        `answered 404 ${what}: the endpoint may have been removed or moved, or it does not know this study`,
      );
    }
    if (response.status < 200 || response.status >= 300) {
      const refusal = serverMessage(response.body);
      throw new CtgovHistoryUnavailableError(
        url.href,
        `answered HTTP ${response.status} ${what}${refusal ? ` (${refusal})` : ''}`,
      );
    }
    return parseJsonBody(response, (problem) => unexpectedShape(url, problem));
  }
}

const unexpectedShape = (url: URL, problem: string): CtgovHistoryUnavailableError =>
  new CtgovHistoryUnavailableError(url.href, `returned an unexpected shape: ${problem}`);

const historyEntry = (url: URL, change: unknown, index: number): StudyHistoryEntry => {
  const invalid = (problem: string) => unexpectedShape(url, `changes[${index}] ${problem}`);
  if (!isRecord(change)) throw invalid(`is ${describeShape(change)}`);
  const { version, date, status, moduleLabels } = change;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw invalid(`has version ${JSON.stringify(version)}, not a whole number from 0`);
  }
  if (typeof date !== 'string') throw invalid(`has date ${JSON.stringify(date)}, not a string`);
  if (status !== undefined && status !== null && typeof status !== 'string') {
    throw invalid(`has status ${JSON.stringify(status)}, not a string`);
  }
  if (
    moduleLabels !== undefined &&
    (!Array.isArray(moduleLabels) || !moduleLabels.every((label) => typeof label === 'string'))
  ) {
    throw invalid(`has moduleLabels ${JSON.stringify(moduleLabels)}, not a list of strings`);
  }
  return { version, date, status: status ?? null, moduleLabels: (moduleLabels as string[] | undefined) ?? [] };
};
