import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import * as cheerio from 'cheerio';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { createWorkerApp } from '../../../../../apps/worker/src/create-worker-app.js';
import { factsOf, type TrialSnapshot } from '@app/domain';
import { EventStore } from '@app/infrastructure';
import { parseSnapshots } from '@app/registry-formats';
import { apiV2Study } from '../../../../../test/support/render-api-v2.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures');

/** The trial page over HTTP, from records ingested through the API and projected by the worker. */
describe('trial page', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let worker: INestApplicationContext;
  let baseUrl: string;

  const post = async (file: string) => {
    const response = await fetch(`${baseUrl}/snapshots?wait=true`, { method: 'POST', body: readFileSync(file) });
    return (await response.json()) as { status: string };
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    await app.listen(0, '127.0.0.1');
    worker = await createWorkerApp(environment.config);
    const address = app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    await post(join(FIXTURES, 'registry-pages', '003_3bc531e48d6f61f9.txt'));
  });

  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await environment?.teardown();
  });

  it('charts the planned dates a later record gave after a page without them (learned), as the header shows them', async () => {
    // The Veeva page of NCT05292625 shows no dates; the API record of the same trial, posted later, gives them.
    const page = readFileSync(join(FIXTURES, 'registry-pages', '003_3bc531e48d6f61f9.txt'), 'utf8');
    const facts = factsOf(parseSnapshots(page, { receivedAt: '2026-01-01T00:00:00.000Z' })[0] as TrialSnapshot);
    const record = apiV2Study({
      ...facts,
      lastUpdatePostDate: { date: '2024-01-10', type: 'ACTUAL' },
      lastUpdateSubmitDate: '2024-01-09',
      startDate: { date: '2022-03-01', type: 'ACTUAL' },
      primaryCompletionDate: { date: '2023-06-30', type: 'ACTUAL' },
      completionDate: { date: '2023-12-31', type: 'ACTUAL' },
    });
    const result = (await (
      await fetch(`${baseUrl}/snapshots?wait=true`, { method: 'POST', body: JSON.stringify(record) })
    ).json()) as { status: string };
    expect(result.status).toBe('learned');
    const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
    // The trial's current state is projected by the worker: wait until the page's header has caught up.
    let $ = cheerio.load('');
    for (let attempt = 0; attempt < 100; attempt++) {
      $ = cheerio.load(await (await fetch(`${baseUrl}/ui/trials/NCT05292625`)).text());
      if (squash($('.facts').text()).includes('Primary completion 30 Jun 2023')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The header says the primary completion date is known...
    expect(squash($('.facts').text())).toContain('Primary completion 30 Jun 2023 (actual)');
    // ...and so does its date-slip chart, from the record that gave it.
    expect(squash($('#slip-primaryCompletionDate .chart-summary').text())).toMatch(
      /^30 Jun 2023 \(actual\), as given since the record of \d+ \w+ \d{4}; never changed\.$/,
    );
    expect(squash($('#slip-startDate .chart-summary').text())).toMatch(/^1 Mar 2022 \(actual\), as given since/);
  });

  it("shows a trial's investigators and publications as unknown until a record gives them, then lists them", async () => {
    const nctId = 'NCT09300001';
    const fixture = readFileSync(join(FIXTURES, 'ctgov-api-v2', 'NCT02210780.json'), 'utf8');
    const facts = {
      ...factsOf(parseSnapshots(fixture, { receivedAt: '2026-01-01T00:00:00.000Z' })[0] as TrialSnapshot),
      nctId,
      lastUpdatePostDate: { date: '2023-01-10', type: 'ACTUAL' as const },
      lastUpdateSubmitDate: '2023-01-09',
    };
    // The registration of a trial recorded before trialwatch read these two facts: its events lack them.
    const { references: _references, overallOfficials: _officials, ...registered } = facts;
    await app.get(EventStore).append(
      `trial-${nctId}`,
      [
        {
          type: 'trial.registered',
          schemaVersion: 2,
          data: { facts: registered },
          metadata: { dated: true, complete: true },
          occurredAt: '2023-01-10T00:00:00.000Z',
        },
      ],
      'no-stream',
    );
    const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
    const pageOnceItShows = async (expected: string) => {
      let $ = cheerio.load('');
      for (let attempt = 0; attempt < 100; attempt++) {
        $ = cheerio.load(await (await fetch(`${baseUrl}/ui/trials/${nctId}`)).text());
        if (squash($('#officials').text()).includes(expected)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return $;
    };
    const before = await pageOnceItShows('Not known');
    expect(squash(before('#officials .empty').text())).toMatch(
      /^Not known: no record trialwatch read of this trial showed its investigators/,
    );
    expect(squash(before('#publications .empty').text())).toMatch(
      /^Not known: no record trialwatch read of this trial showed its publications/,
    );
    const current = (await (await fetch(`${baseUrl}/trials/${nctId}`)).json()) as {
      state: { references: unknown; overallOfficials: unknown; unknownFields: string[] };
    };
    expect(current.state).toMatchObject({ references: null, overallOfficials: null });
    expect(current.state.unknownFields).toEqual(expect.arrayContaining(['references', 'overallOfficials']));

    const record = apiV2Study({
      ...facts,
      lastUpdatePostDate: { date: '2024-06-10', type: 'ACTUAL' },
      lastUpdateSubmitDate: '2024-06-09',
      overallOfficials: [{ name: 'Ana Lopez, MD', affiliation: 'Mayo Clinic', role: 'PRINCIPAL_INVESTIGATOR' }],
      references: [
        { pmid: '31000002', type: 'BACKGROUND', citation: 'Smith A. Background reading. Lancet. 2019.' },
        { pmid: '36000001', type: 'RESULT', citation: 'Lopez A, et al. Results of the trial. JAMA. 2024.' },
      ],
    });
    await fetch(`${baseUrl}/snapshots?wait=true`, { method: 'POST', body: JSON.stringify(record) });
    const after = await pageOnceItShows('Ana Lopez');
    expect(
      after('#officials tbody tr')
        .map((_, row) => [
          after(row)
            .children()
            .map((__, cell) => squash(after(cell).text()))
            .get(),
        ])
        .get(),
    ).toEqual([['Ana Lopez, MD', 'Principal investigator', 'Mayo Clinic']]);
    expect(
      after('#publications li.publication')
        .map((_, item) => [[squash(after(item).find('.publication-type').text()), after(item).find('a').attr('href')]])
        .get(),
    ).toEqual([
      ['Results', 'https://pubmed.ncbi.nlm.nih.gov/36000001/'],
      ['Background', 'https://pubmed.ncbi.nlm.nih.gov/31000002/'],
    ]);
  });

  it("shows today's signals: results overdue since their due date, as the signals API gives them", async () => {
    const nctId = 'NCT09300002';
    const fixture = readFileSync(join(FIXTURES, 'ctgov-api-v2', 'NCT02210780.json'), 'utf8');
    // An interventional phase 2 trial with sites in the United States, completed in March 2023, no results since.
    const record = apiV2Study({
      ...factsOf(parseSnapshots(fixture, { receivedAt: '2026-01-01T00:00:00.000Z' })[0] as TrialSnapshot),
      nctId,
      primaryCompletionDate: { date: '2023-03-15', type: 'ACTUAL' },
      completionDate: { date: '2023-06-30', type: 'ACTUAL' },
      hasResults: false,
      resultsFirstSubmitDate: null,
      resultsFirstPostDate: null,
      lastUpdatePostDate: { date: '2023-07-10', type: 'ACTUAL' },
      lastUpdateSubmitDate: '2023-07-09',
    });
    await fetch(`${baseUrl}/snapshots?wait=true`, { method: 'POST', body: JSON.stringify(record) });
    const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
    let $ = cheerio.load('');
    for (let attempt = 0; attempt < 100; attempt++) {
      $ = cheerio.load(await (await fetch(`${baseUrl}/ui/trials/${nctId}`)).text());
      if ($('#signals').length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const signals = (await (await fetch(`${baseUrl}/trials/${nctId}/signals`)).json()) as {
      on: string;
      resultsDue: { state: string; dueDate: string };
    };
    expect(signals.resultsDue).toMatchObject({ state: 'overdue', dueDate: '2024-03-15' });
    const daysOverdue = Math.round((Date.parse(signals.on) - Date.parse('2024-03-15')) / 86_400_000);
    const resultsDue = $('#signals .facts > div')
      .filter((_, fact) => squash($(fact).find('dt').text()) === 'Results due')
      .find('dd');
    expect(squash(resultsDue.text())).toBe(
      `Overdue due 15 Mar 2024 ${daysOverdue.toLocaleString('en-US')} days overdue`,
    );
    expect(resultsDue.find('[data-state]').attr('data-state')).toBe('overdue');
    expect($('#signals a[href="/ui/reports/results-due"]')).toHaveLength(1);
  });
});
