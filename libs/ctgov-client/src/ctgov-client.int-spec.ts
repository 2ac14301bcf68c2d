import { FakeCtgovServer, type ReceivedRequest } from '../../../test/support/fake-ctgov/index.js';
import {
  CtgovClient,
  type CtgovClientOptions,
  CtgovHttp,
  CtgovRequestError,
  CtgovStudyNotFoundError,
  CtgovUnexpectedResponseError,
  type StudyPage,
} from './index.js';

const collect = async (pages: AsyncGenerator<StudyPage>): Promise<StudyPage[]> => {
  const collected: StudyPage[] = [];
  for await (const page of pages) collected.push(page);
  return collected;
};

const nctIdsIn = (pages: StudyPage[]): string[] =>
  pages.flatMap((page) =>
    page.studies.map(
      (study) => (study.protocolSection as { identificationModule: { nctId: string } }).identificationModule.nctId,
    ),
  );

const isPath =
  (path: string) =>
  (url: URL): boolean =>
    url.pathname === path;

describe('CtgovClient against a fake ClinicalTrials.gov', () => {
  let fake: FakeCtgovServer;

  beforeEach(async () => {
    fake = await FakeCtgovServer.start();
  });

  afterEach(async () => {
    await fake.stop();
  });

  /** Fast by default: the rate limit and the backoff are tested on their own. */
  const clientFor = (options: Partial<CtgovClientOptions> = {}): CtgovClient =>
    new CtgovClient({
      baseUrl: fake.baseUrl,
      requestsPerSecond: 50,
      timeoutMs: 10_000,
      maxRetries: 3,
      backoffBaseMs: 10,
      ...options,
    });

  const requestsTo = (path: string): ReceivedRequest[] =>
    fake.requests.filter((request) => request.url.pathname === path);

  it("reports the API version and the registry's data timestamp", async () => {
    fake.setDataTimestamp('2026-02-01T09:00:05');
    await expect(clientFor().version()).resolves.toEqual({ apiVersion: '2.0.5', dataTimestamp: '2026-02-01T09:00:05' });
  });

  describe('studies', () => {
    it('follows nextPageToken until a search is complete, counting the total on the first page only', async () => {
      const synthetic = fake.putSyntheticStudies(2_500, { condition: 'Synthetic Paging Condition' });
      fake.putStudy(FakeCtgovServer.studyFromFixture('NCT02210780'));
      const client = clientFor();

      const pages = await collect(client.studies({ search: { 'query.cond': 'synthetic paging' } }));

      expect(pages.map((page) => page.studies.length)).toEqual([1_000, 1_000, 500]);
      expect(pages.map((page) => page.totalCount)).toEqual([2_500, undefined, undefined]);
      expect(pages[2]!.nextPageToken).toBeNull();
      const returned = nctIdsIn(pages);
      expect(new Set(returned).size).toBe(2_500);
      expect(returned.sort()).toEqual(synthetic);

      const requests = requestsTo('/api/v2/studies').map((request) => request.url.searchParams);
      expect(requests).toHaveLength(3);
      expect(Object.fromEntries(requests[0]!)).toEqual({
        format: 'json',
        'query.cond': 'synthetic paging',
        pageSize: '1000',
        countTotal: 'true',
      });
      expect(
        requests.slice(1).map((parameters) => [parameters.get('pageToken'), parameters.get('countTotal')]),
      ).toEqual([
        [pages[0]!.nextPageToken, null],
        [pages[1]!.nextPageToken, null],
      ]);
      expect(client.stats).toEqual({ requests: 3, retries: 0 });
    });

    it('fetches IDs in chunks of at most 100, and only those updated since a day when asked', async () => {
      const nctIds = fake.putSyntheticStudies(250);
      const updatedSince = nctIds.filter((_, index) => index % 10 === 3);
      for (const nctId of updatedSince) {
        fake.putStudy(FakeCtgovServer.studyFromFixture('NCT00973089', { nctId, lastUpdatePostDate: '2024-02-01' }));
      }
      fake.putStudy(
        FakeCtgovServer.studyFromFixture('NCT00973089', { nctId: 'NCT89999999', lastUpdatePostDate: '2024-03-01' }),
      );
      const client = clientFor();

      const everything = await collect(client.studies({ nctIds }));
      expect(nctIdsIn(everything)).toEqual(nctIds);
      const chunks = requestsTo('/api/v2/studies').map((request) => request.url.searchParams.get('filter.ids')!);
      expect(chunks.map((ids) => ids.split(',').length)).toEqual([100, 100, 50]);
      expect(chunks.join(',')).toBe(nctIds.join(','));

      const before = fake.requests.length;
      const recent = await collect(client.studies({ nctIds, lastUpdatePostedOnOrAfter: '2024-01-31' }));
      expect(nctIdsIn(recent)).toEqual(updatedSince);
      const filtered = fake.requests.slice(before).map((request) => request.url.searchParams);
      expect(filtered).toHaveLength(3);
      for (const parameters of filtered) {
        expect(parameters.get('filter.advanced')).toBe('AREA[LastUpdatePostDate]RANGE[2024-01-31,MAX]');
      }
    });

    it('gives up at once on a studies page answered with a 404', async () => {
      fake.putSyntheticStudies(3);
      fake.injectFaults([{ kind: 'status', status: 404 }], isPath('/api/v2/studies'));
      const client = clientFor();

      const failure = collect(client.studies({ search: { 'query.term': 'caries' } }));

      await expect(failure).rejects.toThrow(CtgovRequestError);
      await expect(failure).rejects.toMatchObject({
        code: 'ctgov.request-failed',
        kind: 'unavailable',
        details: { status: 404, attempts: 1 },
        message: expect.stringMatching(/after 1 attempt, not retried: HTTP 404/),
      });
      expect(requestsTo('/api/v2/studies')).toHaveLength(1);
      expect(client.stats).toEqual({ requests: 1, retries: 0 });
    });

    it('reports a page without studies, or one that is not JSON, as an unexpected response', async () => {
      fake.injectFaults(
        [
          { kind: 'body', body: '{"items":[]}' },
          { kind: 'body', body: '<html>Down for maintenance</html>', contentType: 'text/html' },
        ],
        isPath('/api/v2/studies'),
      );
      const client = clientFor();
      const query = { search: { 'query.cond': 'asthma' } };

      await expect(collect(client.studies(query))).rejects.toMatchObject({
        constructor: CtgovUnexpectedResponseError,
        code: 'ctgov.unexpected-response',
        kind: 'unavailable',
        message: expect.stringMatching(/studies array, got an object with keys \[items\]/),
      });
      await expect(collect(client.studies(query))).rejects.toMatchObject({
        constructor: CtgovUnexpectedResponseError,
        message: expect.stringMatching(/not JSON \(text\/html\)/),
      });
    });
  });

  describe('retries', () => {
    it('honours Retry-After on a 429 before trying again', async () => {
      fake.injectFaults([{ kind: 'status', status: 429, retryAfter: '1' }], isPath('/api/v2/version'));
      const client = clientFor();

      await expect(client.version()).resolves.toMatchObject({ apiVersion: '2.0.5' });

      const [limited, retried] = requestsTo('/api/v2/version');
      expect([limited!.status, retried!.status]).toEqual([429, 200]);
      // The backoff alone would be at most 10 ms: only Retry-After explains a second's wait.
      expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(950);
      expect(client.stats).toEqual({ requests: 2, retries: 1 });
    });

    it('retries 503 until it succeeds', async () => {
      fake.injectFaults(
        [
          { kind: 'status', status: 503 },
          { kind: 'status', status: 503 },
        ],
        isPath('/api/v2/version'),
      );
      const client = clientFor();

      await expect(client.version()).resolves.toMatchObject({ apiVersion: '2.0.5' });

      expect(requestsTo('/api/v2/version').map((request) => request.status)).toEqual([503, 503, 200]);
      expect(client.stats).toEqual({ requests: 3, retries: 2 });
    });

    it('retries an answer that comes later than the timeout', async () => {
      fake.injectFaults([{ kind: 'delay', ms: 10_000 }], isPath('/api/v2/version'));
      const client = clientFor({ timeoutMs: 1_000 });

      await expect(client.version()).resolves.toMatchObject({ apiVersion: '2.0.5' });

      expect(requestsTo('/api/v2/version').map((request) => request.status)).toEqual([0, 200]);
      expect(client.stats).toEqual({ requests: 2, retries: 1 });
    });

    it('retries a connection dropped without an answer', async () => {
      fake.putStudy(FakeCtgovServer.studyFromFixture('NCT06171568'));
      fake.injectFaults([{ kind: 'drop' }], isPath('/api/v2/studies/NCT06171568'));
      const client = clientFor();

      await expect(client.study('NCT06171568')).resolves.toMatchObject({ nctId: 'NCT06171568', redirectedFrom: null });

      expect(requestsTo('/api/v2/studies/NCT06171568').map((request) => request.status)).toEqual([0, 200]);
      expect(client.stats).toEqual({ requests: 2, retries: 1 });
    });

    it('gives up after the last retry, naming the URL, the status and the attempts', async () => {
      fake.injectFaults(
        Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 500 })),
        isPath('/api/v2/version'),
      );
      const client = clientFor({ maxRetries: 2 });

      const failure = client.version();

      await expect(failure).rejects.toThrow(CtgovRequestError);
      await expect(failure).rejects.toMatchObject({
        message: `GET ${fake.baseUrl}/api/v2/version failed after 3 attempts: HTTP 500 (injected fault: HTTP 500)`,
        details: { url: `${fake.baseUrl}/api/v2/version`, status: 500, attempts: 3, cause: 'injected fault: HTTP 500' },
      });
      expect(requestsTo('/api/v2/version')).toHaveLength(3);
      expect(client.stats).toEqual({ requests: 3, retries: 2 });
    });

    it('names the timeout when no attempt is answered in time', async () => {
      fake.injectFaults(
        [
          { kind: 'delay', ms: 10_000 },
          { kind: 'delay', ms: 10_000 },
        ],
        isPath('/api/v2/version'),
      );
      const client = clientFor({ timeoutMs: 500, maxRetries: 1 });

      await expect(client.version()).rejects.toMatchObject({
        message: `GET ${fake.baseUrl}/api/v2/version failed after 2 attempts: no response within 500 ms`,
        details: { status: null, attempts: 2, cause: 'no response within 500 ms' },
      });
    });

    it('names the network error when nothing answers at all', async () => {
      const gone = await FakeCtgovServer.start();
      await gone.stop();
      const client = new CtgovClient({
        baseUrl: gone.baseUrl,
        requestsPerSecond: 50,
        timeoutMs: 5_000,
        maxRetries: 1,
        backoffBaseMs: 10,
      });

      await expect(client.version()).rejects.toMatchObject({
        constructor: CtgovRequestError,
        message: expect.stringMatching(/failed after 2 attempts: ECONNREFUSED/),
        details: { status: null, attempts: 2 },
      });
    });
  });

  describe('politeness', () => {
    it('spaces requests to the configured rate', async () => {
      const client = clientFor({ requestsPerSecond: 2 });

      const started = Date.now();
      await Promise.all(Array.from({ length: 5 }, () => client.version()));

      const times = requestsTo('/api/v2/version').map((request) => request.at);
      expect(times).toHaveLength(5);
      // Five requests at two a second span four half-second gaps; unthrottled they would take milliseconds.
      // Counted from the first call, not the first arrival: on a loaded machine the first request can
      // arrive late while the later ones keep their slots.
      expect(times[4]! - started).toBeGreaterThanOrEqual(1_800);
    });

    it('puts retries under the same rate limit', async () => {
      fake.injectFaults(
        [
          { kind: 'status', status: 503 },
          { kind: 'status', status: 503 },
        ],
        isPath('/api/v2/version'),
      );
      const client = clientFor({ requestsPerSecond: 2 });

      await client.version();

      const times = requestsTo('/api/v2/version').map((request) => request.at);
      expect(times).toHaveLength(3);
      expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(800);
    });

    it('fetches other pages of the site with the same manners, asking for the content type given', async () => {
      fake.servePage('/study/NCT06171568', '<html><body>NCT06171568</body></html>');
      fake.injectFaults([{ kind: 'status', status: 503 }], isPath('/study/NCT06171568'));
      const http = new CtgovHttp({
        baseUrl: fake.baseUrl,
        requestsPerSecond: 50,
        timeoutMs: 10_000,
        maxRetries: 1,
        backoffBaseMs: 10,
      });

      const response = await http.get(http.url('/study/NCT06171568'), { accept: 'text/html' });

      expect(response).toMatchObject({ status: 200, body: '<html><body>NCT06171568</body></html>', attempts: 2 });
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(http.stats).toEqual({ requests: 2, retries: 1 });
    });

    it('shares one rate limit and one tally between adapters given the same CtgovHttp', async () => {
      const http = new CtgovHttp({ baseUrl: fake.baseUrl, requestsPerSecond: 50, timeoutMs: 10_000, maxRetries: 0 });
      const first = new CtgovClient(http);
      const second = new CtgovClient(http);

      await first.version();
      await second.version();

      expect(first.stats).toEqual({ requests: 2, retries: 0 });
      expect(second.stats).toEqual({ requests: 2, retries: 0 });
    });
  });

  describe('study', () => {
    it('follows an alias redirect to the current record and says where it came from', async () => {
      fake.putStudy(FakeCtgovServer.studyFromFixture('NCT06171568'));
      fake.alias('NCT01111111', 'NCT06171568');
      const client = clientFor();

      const study = await client.study('NCT01111111');

      expect(study).toMatchObject({ nctId: 'NCT06171568', redirectedFrom: 'NCT01111111' });
      expect(study.document).toMatchObject({ protocolSection: { identificationModule: { nctId: 'NCT06171568' } } });
      expect(requestsTo('/api/v2/studies/NCT01111111').map((request) => request.status)).toEqual([301]);
      expect(requestsTo('/api/v2/studies/NCT06171568').map((request) => request.status)).toEqual([200]);
      expect(nctIdsIn(await collect(client.studies({ nctIds: ['NCT01111111'] })))).toEqual([]);
    });

    it('answers a study under its canonical ID without a redirect', async () => {
      fake.putStudy(FakeCtgovServer.studyFromFixture('NCT02210780', { overallStatus: 'TERMINATED' }));

      const study = await clientFor().study(' nct02210780 ');

      expect(study).toMatchObject({ nctId: 'NCT02210780', redirectedFrom: null });
      expect(study.document).toMatchObject({ protocolSection: { statusModule: { overallStatus: 'TERMINATED' } } });
    });

    it('reports a study the registry does not know as not found, without retrying', async () => {
      fake.alias('NCT01111111', 'NCT02222222');
      const client = clientFor();

      await expect(client.study('NCT03333333')).rejects.toMatchObject({
        constructor: CtgovStudyNotFoundError,
        code: 'ctgov.study-not-found',
        kind: 'not-found',
        details: { nctId: 'NCT03333333', redirectedTo: null },
      });
      await expect(client.study('NCT01111111')).rejects.toMatchObject({
        constructor: CtgovStudyNotFoundError,
        details: { nctId: 'NCT01111111', redirectedTo: 'NCT02222222' },
      });
      expect(client.stats).toEqual({ requests: 3, retries: 0 });
    });

    it('refuses a redirect loop between aliases', async () => {
      fake.alias('NCT01111111', 'NCT02222222');
      fake.alias('NCT02222222', 'NCT01111111');

      await expect(clientFor().study('NCT01111111')).rejects.toMatchObject({
        constructor: CtgovUnexpectedResponseError,
        message: expect.stringMatching(/NCT01111111 -> NCT02222222 -> NCT01111111/),
      });
    });
  });
});
