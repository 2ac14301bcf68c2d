import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { factsOf, type TrialFacts, type TrialSnapshot } from '@app/domain';
import { parseSnapshots } from '@app/registry-formats';
import { type AppProcess, startApi, startWorker } from './support/app-processes.js';
import { launchChromium } from './support/browser.js';
import { fixturePath } from './support/fixtures.js';
import { json } from './support/http.js';
import { apiV2Study } from './support/render-api-v2.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';

const API_V2 = fixturePath('ctgov-api-v2', 'NCT02210780.json');
const PHONE = { width: 375, height: 812 };
const REPORT_DAY = '2024-03-01';

/** A word of 200 letters, as registry text may hold (a pasted URL, a chemical name, a sponsor's code). */
const longWord = (stem: string): string => stem.repeat(Math.ceil(200 / stem.length)).slice(0, 200);

const TITLE = `Trial of ${longWord('Titleword')}`;
const OUTCOME_BEFORE = longWord('Bloodpressure');
const OUTCOME_AFTER = longWord('Bodyweightchange');
const WHY_STOPPED = longWord('Fundingwithdrawn');
const SPONSOR = longWord('Sponsorcorporation');
const SITE = longWord('Universityhospital');
const CRITERIA = `Inclusion: ${longWord('Criterion')}`;
const INVESTIGATOR = longWord('Investigatorname');
const AFFILIATION = longWord('Affiliationinstitute');
const CITATION = `Results: ${longWord('Citationword')}`;
/** The investigators and publications every record of the first trial gives. */
const CITED = {
  overallOfficials: [{ name: INVESTIGATOR, affiliation: AFFILIATION, role: 'PRINCIPAL_INVESTIGATOR' }],
  references: [{ pmid: '36000001', type: 'RESULT', citation: CITATION }],
};

/** A registry record of a made-up trial, written from the API v2 fixture with some facts changed. */
const madeUpRecord = (nctId: string, posted: string, overrides: Partial<TrialFacts>): string => {
  const fixture = factsOf(
    parseSnapshots(readFileSync(API_V2, 'utf8'), { receivedAt: '2026-01-01T00:00:00.000Z' })[0] as TrialSnapshot,
  );
  return JSON.stringify(
    apiV2Study({
      ...fixture,
      nctId,
      lastUpdatePostDate: { date: posted, type: 'ACTUAL' },
      lastUpdateSubmitDate: posted,
      ...overrides,
    }),
  );
};

const site = (facility: string) => ({ facility, city: 'Durham', state: null, country: 'United States', status: null });

/** Two records of a trial whose registry text holds words wider than a phone, and a recruiting one past completion. */
const RECORDS = [
  madeUpRecord('NCT09200001', '2022-06-01', {
    ...CITED,
    briefTitle: TITLE,
    officialTitle: `Official ${TITLE}`,
    briefSummary: `Summary: ${longWord('Summaryword')}`,
    overallStatus: 'RECRUITING',
    primaryCompletionDate: { date: '2023-01-15', type: 'ESTIMATED' },
    conditions: [longWord('Conditionword')],
    leadSponsor: { name: 'Duke University', class: 'OTHER' },
    primaryOutcomes: [{ measure: OUTCOME_BEFORE, timeFrame: '12 weeks' }],
    eligibility: { minimumAge: '18 Years', maximumAge: null, sex: 'ALL', healthyVolunteers: false, criteria: null },
    locations: [site('Duke Clinic')],
    hasResults: false,
    resultsFirstSubmitDate: null,
    resultsFirstPostDate: null,
  }),
  madeUpRecord('NCT09200001', '2023-02-01', {
    ...CITED,
    briefTitle: TITLE,
    officialTitle: `Official ${TITLE}`,
    briefSummary: `Summary: ${longWord('Summaryword')}`,
    overallStatus: 'TERMINATED',
    whyStopped: 'Funding',
    primaryCompletionDate: { date: '2023-01-15', type: 'ACTUAL' },
    conditions: [longWord('Conditionword')],
    leadSponsor: { name: SPONSOR, class: 'INDUSTRY' },
    primaryOutcomes: [{ measure: OUTCOME_AFTER, timeFrame: '12 weeks' }],
    eligibility: { minimumAge: '18 Years', maximumAge: null, sex: 'ALL', healthyVolunteers: false, criteria: CRITERIA },
    locations: [site('Duke Clinic'), site(SITE)],
    hasResults: false,
    resultsFirstSubmitDate: null,
    resultsFirstPostDate: null,
  }),
  madeUpRecord('NCT09200001', '2023-03-01', {
    ...CITED,
    briefTitle: TITLE,
    officialTitle: `Official ${TITLE}`,
    briefSummary: `Summary: ${longWord('Summaryword')}`,
    overallStatus: 'TERMINATED',
    whyStopped: WHY_STOPPED,
    primaryCompletionDate: { date: '2023-01-15', type: 'ACTUAL' },
    conditions: [longWord('Conditionword')],
    leadSponsor: { name: SPONSOR, class: 'INDUSTRY' },
    primaryOutcomes: [{ measure: OUTCOME_AFTER, timeFrame: '12 weeks' }],
    eligibility: { minimumAge: '18 Years', maximumAge: null, sex: 'ALL', healthyVolunteers: false, criteria: CRITERIA },
    locations: [site('Duke Clinic'), site(SITE)],
    hasResults: false,
    resultsFirstSubmitDate: null,
    resultsFirstPostDate: null,
  }),
  madeUpRecord('NCT09200002', '2021-01-20', {
    briefTitle: longWord('Recruitingtitle'),
    overallStatus: 'RECRUITING',
    statusVerifiedDate: '2021-01',
    primaryCompletionDate: { date: '2022-03', type: 'ESTIMATED' },
    completionDate: { date: '2022-06', type: 'ESTIMATED' },
    leadSponsor: { name: SPONSOR, class: 'INDUSTRY' },
  }),
];

/** Every page that shows the trials' registry text, the comparison of the first record with the current one last. */
const pages = (currentVersion: number) => [
  '/ui/trials/NCT09200001',
  '/ui',
  '/ui/trials',
  `/ui/reports/results-due?on=${REPORT_DAY}`,
  `/ui/reports/hygiene?on=${REPORT_DAY}`,
  `/ui/trials/NCT09200001/compare?from=1&to=${currentVersion}`,
];

/** Registry text with a word wider than a phone: the page wraps it rather than scroll sideways. */
describe('web pages showing registry text with a very long word', () => {
  let environment: TestEnvironment;
  let api: AppProcess;
  let worker: AppProcess;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ api, baseUrl } = await startApi(environment.env));
    worker = await startWorker(environment.env);
    for (const body of RECORDS) {
      const response = await fetch(`${baseUrl}/snapshots?wait=true`, { method: 'POST', body });
      expect((await json(response)).status).toBe('appended');
    }
    await eventually(async () => {
      const health = await json(await fetch(`${baseUrl}/health`));
      const lag = Object.values(health.details.projections.lag as Record<string, { events: number }>);
      return lag.every((projection) => projection.events === 0);
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await worker?.stop();
    await environment?.teardown();
  });

  /** How much wider than the window the page is, in CSS pixels: 0 when it never scrolls sideways. */
  const sidewaysOverflow = (page: Page) =>
    page.locator('body').evaluate((body) => {
      const width = body.ownerDocument.defaultView!.innerWidth;
      return Math.max(body.ownerDocument.documentElement.scrollWidth, body.scrollWidth) - width;
    });

  it('fits a 375 px screen: a long word in a title, a materiality reason, a sponsor, a site, criteria, an investigator or a citation wraps', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    try {
      const { streamVersion } = await json(await fetch(`${baseUrl}/trials/NCT09200001`));
      const paths = pages(streamVersion);
      const overflows: { path: string; status: number | undefined; overflow: number }[] = [];
      for (const path of paths) {
        const page = await context.newPage();
        const status = (await page.goto(`${baseUrl}${path}`))?.status();
        overflows.push({ path, status, overflow: await sidewaysOverflow(page) });
      }
      expect(overflows).toEqual(paths.map((path) => ({ path, status: 200, overflow: 0 })));
      // The long words are on the pages, so the check above saw them.
      const trial = await context.newPage();
      await trial.goto(`${baseUrl}/ui/trials/NCT09200001`);
      const reasons = (await trial.locator('.materiality-reason').allTextContents()).join(' ');
      for (const word of [WHY_STOPPED, OUTCOME_BEFORE, SPONSOR]) expect(reasons).toContain(word);
      const main = (await trial.locator('main').textContent()) ?? '';
      for (const word of [TITLE, OUTCOME_AFTER, SITE, CRITERIA, INVESTIGATOR, AFFILIATION, CITATION])
        expect(main).toContain(word);
      // The investigators' table wraps a long name in its cell rather than scroll in its region.
      expect(
        await trial.locator('#officials .table-scroll').evaluate((region) => region.scrollWidth - region.clientWidth),
      ).toBe(0);
      const due = await context.newPage();
      await due.goto(`${baseUrl}/ui/reports/results-due?on=${REPORT_DAY}`);
      expect(await due.locator('#results-due tbody tr', { hasText: 'NCT09200001' }).count()).toBe(1);
      const hygiene = await context.newPage();
      await hygiene.goto(`${baseUrl}/ui/reports/hygiene?on=${REPORT_DAY}`);
      expect(await hygiene.locator('#hygiene tbody tr', { hasText: 'NCT09200002' }).count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
