import { FakeCtgovServer } from '../../../test/support/fake-ctgov/index.js';
import { type CtgovClientOptions, CtgovHistoryClient, CtgovHistoryUnavailableError } from './index.js';

const NCT_ID = 'NCT00973089';

const isHistoryOf =
  (nctId: string) =>
  (url: URL): boolean =>
    url.pathname === `/api/int/studies/${nctId}/history`;

describe('CtgovHistoryClient against a fake ClinicalTrials.gov', () => {
  let fake: FakeCtgovServer;

  beforeEach(async () => {
    fake = await FakeCtgovServer.start();
  });

  afterEach(async () => {
    await fake.stop();
  });

  const historyClient = (options: Partial<CtgovClientOptions> = {}): CtgovHistoryClient =>
    new CtgovHistoryClient({
      baseUrl: fake.baseUrl,
      requestsPerSecond: 50,
      timeoutMs: 10_000,
      maxRetries: 3,
      backoffBaseMs: 10,
      ...options,
    });

  const recruiting = FakeCtgovServer.studyFromFixture(NCT_ID, { overallStatus: 'RECRUITING', enrollmentCount: 40 });
  const moreParticipants = FakeCtgovServer.studyFromFixture(NCT_ID, {
    overallStatus: 'RECRUITING',
    enrollmentCount: 60,
  });
  const withdrawn = FakeCtgovServer.studyFromFixture(NCT_ID);

  it('lists the versions oldest first, each with its date, status and changed modules', async () => {
    fake.setHistory(NCT_ID, [
      { date: '2009-09-06', study: recruiting },
      { date: '2012-03-01', study: moreParticipants },
      { date: '2015-08-18', study: withdrawn },
    ]);

    const versions = await historyClient().versions(NCT_ID);

    expect(versions.map(({ version, date, status }) => ({ version, date, status }))).toEqual([
      { version: 0, date: '2009-09-06', status: 'RECRUITING' },
      { version: 1, date: '2012-03-01', status: 'RECRUITING' },
      { version: 2, date: '2015-08-18', status: 'WITHDRAWN' },
    ]);
    expect(versions[0]!.moduleLabels).toContain('Identification');
    expect(versions[1]!.moduleLabels).toEqual(['Design']);
    expect(versions[2]!.moduleLabels).toEqual(['Status', 'Design']);
  });

  it('sorts versions that arrive out of order, and reads a missing status or label list as none', async () => {
    const changes = [
      { version: 2, date: '2015-08-18', status: 'WITHDRAWN', moduleLabels: ['Study Status'] },
      { version: 0, date: '2009-09-06', moduleLabels: ['Study Identification'] },
      { version: 1, date: '2012-03-01', status: null },
    ];
    fake.injectFaults([{ kind: 'body', body: JSON.stringify({ changes }) }], isHistoryOf(NCT_ID));

    await expect(historyClient().versions(NCT_ID)).resolves.toEqual([
      { version: 0, date: '2009-09-06', status: null, moduleLabels: ['Study Identification'] },
      { version: 1, date: '2012-03-01', status: null, moduleLabels: [] },
      { version: 2, date: '2015-08-18', status: 'WITHDRAWN', moduleLabels: ['Study Status'] },
    ]);
  });

  it('fetches one version of the record', async () => {
    fake.setHistory(NCT_ID, [
      { date: '2009-09-06', study: recruiting },
      { date: '2012-03-01', study: moreParticipants },
    ]);

    const version = await historyClient().version(NCT_ID, 1);

    expect(version).toEqual({ studyVersion: 1, study: moreParticipants });
  });

  it('reports a 404 on the list as the history being unavailable', async () => {
    fake.setHistory(NCT_ID, [{ date: '2009-09-06', study: recruiting }]);
    fake.setHistoryUnavailable(NCT_ID);
    const client = historyClient();

    await expect(client.versions(NCT_ID)).rejects.toMatchObject({
      constructor: CtgovHistoryUnavailableError,
      code: 'ctgov.history-unavailable',
      kind: 'unavailable',
      message: expect.stringMatching(
        new RegExp(
          `^The undocumented history endpoint GET ${fake.baseUrl}/api/int/studies/${NCT_ID}/history answered 404`,
        ),
      ),
    });
    expect(client.stats).toEqual({ requests: 1, retries: 0 });
  });

  it('reports any other final refusal as the history being unavailable', async () => {
    fake.injectFaults([{ kind: 'status', status: 410 }], isHistoryOf(NCT_ID));

    await expect(historyClient().versions(NCT_ID)).rejects.toMatchObject({
      constructor: CtgovHistoryUnavailableError,
      message: expect.stringMatching(/answered HTTP 410 for the list of versions \(injected fault: HTTP 410\)$/),
    });
  });

  it.each([
    [
      'a changed shape',
      '{"items":[]}',
      /unexpected shape: expected \{ changes: \[\.\.\.\] \}, got an object with keys \[items\]/,
    ],
    [
      'a change without a version',
      '{"changes":[{"date":"2009-09-06"}]}',
      /unexpected shape: changes\[0\] has version undefined/,
    ],
    ['a body that is not JSON', '<html></html>', /unexpected shape: the body is not JSON/],
  ])('reports %s as the history being unavailable', async (_, body, message) => {
    fake.injectFaults([{ kind: 'body', body }], isHistoryOf(NCT_ID));

    await expect(historyClient().versions(NCT_ID)).rejects.toMatchObject({
      constructor: CtgovHistoryUnavailableError,
      message: expect.stringMatching(message),
    });
  });

  it('reports a version document of another shape as the history being unavailable', async () => {
    fake.injectFaults([{ kind: 'body', body: '{"version":1,"document":{}}' }], (url) =>
      url.pathname.endsWith('/history/1'),
    );

    await expect(historyClient().version(NCT_ID, 1)).rejects.toMatchObject({
      constructor: CtgovHistoryUnavailableError,
      message: expect.stringMatching(/unexpected shape: expected \{ studyVersion, study \}/),
    });
  });

  it('is as polite as the API client: it retries a 503', async () => {
    fake.setHistory(NCT_ID, [{ date: '2009-09-06', study: recruiting }]);
    fake.injectFaults([{ kind: 'status', status: 503 }], isHistoryOf(NCT_ID));
    const client = historyClient();

    await expect(client.versions(NCT_ID)).resolves.toHaveLength(1);
    expect(client.stats).toEqual({ requests: 2, retries: 1 });
  });
});
