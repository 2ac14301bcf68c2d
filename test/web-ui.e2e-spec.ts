import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { factsOf, type TrialFacts, type TrialSnapshot } from '@app/domain';
import { parseSnapshots } from '@app/registry-formats';
import { type AppProcess, startApi, startWorker } from './support/app-processes.js';
import { seriousAccessibilityViolations } from './support/accessibility.js';
import { launchChromium } from './support/browser.js';
import { FakeCtgovServer } from './support/fake-ctgov/index.js';
import { fixturePath } from './support/fixtures.js';
import { json } from './support/http.js';
import { apiV2Study } from './support/render-api-v2.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';

const LEGACY_2016 = fixturePath('ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml');
const LEGACY_2018 = fixturePath('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml');
const API_V2 = fixturePath('ctgov-api-v2', 'NCT02210780.json');
const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };
/** The reports are asked for this day, never today, so that what they hold does not move with the clock. */
const REPORT_DAY = '2024-03-01';

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

/** A watchlist of two made-up trials, synced from a fake registry: succeeded, skipped, succeeded, failed. */
const WATCHLIST = 'web-dashboard';
const WATCHED = ['NCT09100011', 'NCT09100012'];
/** A sync asks the registry for what was updated since the previous run, so the watched change is dated today. */
const TODAY = new Date().toISOString().slice(0, 10);
const TOMORROW = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/** Every kind of page by name, each checked with axe-core, at 375 px and in print, and photographed. */
const PAGES: readonly [name: string, path: string][] = [
  ['recent-changes', '/ui'],
  ['recent-changes-empty', '/ui?sponsor=nobody-sponsors-this'],
  ['trial-NCT00513591', '/ui/trials/NCT00513591'],
  ['trial-NCT02210780', '/ui/trials/NCT02210780'],
  ['trial-NCT09100006', '/ui/trials/NCT09100006'],
  ['trial-not-found', '/ui/trials/NCT09999999'],
  ['compare-NCT00513591', '/ui/trials/NCT00513591/compare?from=1&to=7'],
  ['report-results-due', `/ui/reports/results-due?on=${REPORT_DAY}`],
  ['report-hygiene', `/ui/reports/hygiene?on=${REPORT_DAY}`],
  ['report-outcome-switching', '/ui/reports/outcome-switching'],
  ['trial-search', '/ui/trials'],
  ['watchlists', '/ui/watchlists'],
  ['watchlist-dashboard', `/ui/watchlists/${WATCHLIST}?since=2025-01-01`],
  ['trial-search-filtered', `/ui/trials?status=RECRUITING&hygiene=completion-past-while-recruiting&on=${REPORT_DAY}`],
];
/** The investigators and publications of a made-up trial, NCT09100006. */
const CITING: Pick<TrialFacts, 'overallOfficials' | 'references'> = {
  overallOfficials: [
    { name: 'Ana Lopez, MD', affiliation: 'Mayo Clinic', role: 'PRINCIPAL_INVESTIGATOR' },
    { name: 'Ben Okafor, PhD', affiliation: null, role: 'STUDY_CHAIR' },
  ],
  references: [
    { pmid: '31000002', type: 'BACKGROUND', citation: 'Smith A. Background reading. Lancet. 2019.' },
    { pmid: '36500000', type: 'DERIVED', citation: 'Doe J. A paper naming the trial. BMJ. 2023.' },
    { pmid: '36000001', type: 'RESULT', citation: 'Lopez A, et al. Results of the trial. JAMA. 2024.' },
  ],
};
/** A filter value that would run a script and add markup if it were not escaped. */
const HOSTILE = '"><script>window.injected = 1</script><b>bold</b>';

/** Text as a reader sees it: whitespace from the markup collapsed. */
const squash = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim();

describe('web pages in a headless browser', () => {
  let environment: TestEnvironment;
  let api: AppProcess;
  let worker: AppProcess;
  let fake: FakeCtgovServer;
  let baseUrl: string;
  let browser: Browser;
  /** The browser contexts this test opened; closed after it. */
  let contexts: BrowserContext[] = [];
  /** Every URL any page of this test asked for, to prove nothing leaves the api. */
  let requested: string[] = [];

  const post = async (file: string) => postRecord(readFileSync(file));
  const postRecord = async (body: Buffer | string) => {
    const response = await fetch(`${baseUrl}/snapshots?wait=true`, { method: 'POST', body });
    return json(response);
  };

  const watchedRecord = (nctId: string, overallStatus: string, posted: string) =>
    FakeCtgovServer.studyFromFixture('NCT02210780', {
      nctId,
      overallStatus,
      lastUpdatePostDate: posted,
      lastUpdateSubmitDate: posted,
    });
  const syncNow = async (id: string) => {
    const response = await fetch(`${baseUrl}/watchlists/${id}/sync?wait=true`, { method: 'POST' });
    return json(response);
  };
  /** Recorded before everything else, so that the other trials' changes are the newest. */
  const syncWatchlistFourTimes = async () => {
    fake.setDataTimestamp('2026-01-01T09:00:00');
    for (const nctId of WATCHED) fake.putStudy(watchedRecord(nctId, 'ACTIVE_NOT_RECRUITING', '2025-01-10'));
    const created = await json(
      await fetch(`${baseUrl}/watchlists`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: WATCHLIST, nctIds: WATCHED, schedule: { cron: '0 0 1 1 *' } }),
      }),
    );
    expect((await syncNow(created.id)).status).toBe('succeeded');
    expect((await syncNow(created.id)).status).toBe('skipped');
    fake.putStudy(watchedRecord('NCT09100011', 'TERMINATED', TODAY));
    fake.setDataTimestamp('2026-01-02T09:00:00');
    expect((await syncNow(created.id)).status).toBe('succeeded');
    fake.injectFaults(
      [
        { kind: 'status', status: 500 },
        { kind: 'status', status: 500 },
      ],
      (url) => url.pathname === '/api/v2/studies',
    );
    fake.setDataTimestamp('2026-01-03T09:00:00');
    expect((await syncNow(created.id)).status).toBe('failed');
  };

  const open = async (path: string, viewport = DESKTOP): Promise<{ page: Page; status: number | undefined }> => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    const response = await page.goto(`${baseUrl}${path}`);
    return { page, status: response?.status() };
  };

  const screenshot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** Tabs through the page from the top, returning `tag#id.class[href]` of each focused element in order. */
  const tabThrough = async (page: Page, presses: number): Promise<string[]> => {
    const focused: string[] = [];
    for (let press = 0; press < presses; press += 1) {
      await page.keyboard.press('Tab');
      const current = page.locator(':focus');
      // Past the last control, focus leaves the document for the browser's own interface.
      if ((await current.count()) === 0) break;
      focused.push(
        await current.evaluate(
          (element) =>
            `${element.tagName.toLowerCase()}#${element.id}.${element.getAttribute('class') ?? ''}[${element.getAttribute('href') ?? ''}]`,
        ),
      );
    }
    return focused;
  };

  const hasNoHorizontalScroll = (page: Page) =>
    page.locator('body').evaluate((body) => {
      const width = body.ownerDocument.defaultView!.innerWidth;
      return body.ownerDocument.documentElement.scrollWidth <= width && body.scrollWidth <= width;
    });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    environment = await createTestEnvironment();
    fake = await FakeCtgovServer.start();
    const env = {
      ...environment.env,
      CTGOV_BASE_URL: fake.baseUrl,
      CTGOV_REQUESTS_PER_SECOND: '100',
      CTGOV_TIMEOUT_MS: '1000',
      CTGOV_MAX_RETRIES: '1',
      CTGOV_BACKOFF_BASE_MS: '50',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    };
    ({ api, baseUrl } = await startApi(env));
    worker = await startWorker(env);
    await syncWatchlistFourTimes();
    // Made-up trials for the reports, recorded before the fixtures so the fixtures are the newest changes.
    const started = { startDate: { date: '2019-03-01', type: 'ACTUAL' as const } };
    const switching = {
      ...started,
      primaryCompletionDate: { date: '2021-06', type: 'ESTIMATED' as const },
      leadSponsor: { name: 'Switchco', class: 'INDUSTRY' },
    };
    const weight = (timeFrame: string) => [{ measure: 'Change in body weight', timeFrame, description: null }];
    for (const record of [
      madeUpRecord('NCT09100001', '2019-01-10', { ...switching, primaryOutcomes: weight('12 weeks') }),
      madeUpRecord('NCT09100001', '2020-05-01', { ...switching, primaryOutcomes: weight('52 weeks') }),
      madeUpRecord('NCT09100002', '2023-02-01', {
        overallStatus: 'COMPLETED',
        hasResults: false,
        resultsFirstSubmitDate: null,
        resultsFirstPostDate: null,
        primaryCompletionDate: { date: '2023-01-15', type: 'ACTUAL' },
      }),
      madeUpRecord('NCT09100006', '2021-01-20', {
        overallStatus: 'RECRUITING',
        statusVerifiedDate: '2021-01',
        primaryCompletionDate: { date: '2022-03', type: 'ESTIMATED' },
        completionDate: { date: '2022-06', type: 'ESTIMATED' },
        phases: ['PHASE1'],
        secondaryIds: [{ id: 'ISRCTN12345678', type: 'REGISTRY', domain: 'ISRCTN' }],
        overallOfficials: CITING.overallOfficials,
        references: CITING.references,
      }),
    ])
      expect((await postRecord(record)).status).toBe('appended');
    expect((await post(LEGACY_2016)).status).toBe('appended');
    expect((await post(LEGACY_2018)).status).toBe('appended');
    expect((await post(API_V2)).status).toBe('appended');
    await eventually(async () => {
      const health = await json(await fetch(`${baseUrl}/health`));
      const lag = Object.values(health.details.projections.lag as Record<string, { events: number }>);
      return lag.every((projection) => projection.events === 0);
    });
    browser = await launchChromium();
  });

  beforeEach(() => {
    contexts = [];
    requested = [];
  });

  afterEach(async () => {
    for (const context of contexts) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await worker?.stop();
    await fake?.stop();
    await environment?.teardown();
  });

  it('shows the status timeline of the legacy XML pair, every band labelled in words', async () => {
    const { page, status } = await open('/ui/trials/NCT00513591');
    expect(status).toBe(200);
    expect(squash(await page.textContent('h1'))).toBe('Duke Autoimmunity in Pregnancy Registry');
    const facts = squash(await page.textContent('.facts'));
    expect(facts).toContain('Duke University');
    expect(facts).toContain('Recruiting');
    expect(facts).toContain('1000 (estimated)');

    const bands = page.locator('.status-timeline g.status-band');
    expect(await bands.count()).toBe(1);
    expect(await bands.first().getAttribute('data-status')).toBe('RECRUITING');
    for (const band of await bands.all()) {
      expect(squash(await band.locator('text.band-label').textContent())).toMatch(/^Recruiting \(current\)$/);
      expect(squash(await band.locator('text.band-dates').textContent())).toMatch(/^14 Jun 2016 – today · \d+ years/);
    }
    const periods = await page.locator('.status-timeline + details table tbody tr').allTextContents();
    expect(periods.map(squash)).toEqual([
      expect.stringMatching(/^Recruiting 14 Jun 2016 today \(current\) [\d,]+ days/),
    ]);
  });

  it('charts the primary completion date slipping from December 2017 to June 2018, and enrollment', async () => {
    const { page } = await open('/ui/trials/NCT00513591');
    const slip = page.locator('#slip-primaryCompletionDate');
    expect((await slip.locator('.point-label').allTextContents()).map(squash)).toEqual([
      'Dec 2017 (estimated)',
      'Jun 2018 (estimated)',
    ]);
    expect(
      await slip.locator('.point').evaluateAll((points) => points.map((p) => p.getAttribute('data-kind'))),
    ).toEqual(['estimated', 'estimated']);
    expect(squash(await slip.locator('.chart-summary').textContent())).toBe(
      'Dec 2017 (estimated) → Jun 2018 (estimated): 6 months later, over 1 change.',
    );
    // The later date is drawn higher up.
    const heights = await slip
      .locator('.marker')
      .evaluateAll((markers) => markers.map((marker) => marker.getBoundingClientRect().top));
    expect(heights[1]).toBeLessThan(heights[0]!);

    const completion = page.locator('#slip-completionDate .point-label');
    expect((await completion.allTextContents()).map(squash)).toEqual(['Jun 2018 (estimated)']);
    const enrollment = page.locator('#enrollment .point-label');
    expect((await enrollment.allTextContents()).map(squash)).toEqual(['500 (estimated)', '1000 (estimated)']);
  });

  it('lists the changes newest first, before -> after, each record linking its raw snapshot', async () => {
    const { page } = await open('/ui/trials/NCT00513591');
    const groups = page.locator('.change-group');
    expect(await groups.count()).toBe(2);
    expect(squash(await groups.nth(0).locator('h3').textContent())).toBe('Record of 16 Jun 2017');
    expect(squash(await groups.nth(1).locator('h3').textContent())).toBe('Record of 14 Jun 2016 (first seen)');

    const enrollment = groups.nth(0).locator('li.change[data-field="enrollment"]');
    expect(squash(await enrollment.locator('.before').textContent())).toBe('from 500 (estimated)');
    expect(squash(await enrollment.locator('.after').textContent())).toBe('to 1000 (estimated)');
    const primaryCompletion = groups.nth(0).locator('li.change[data-field="primaryCompletionDate"]');
    expect(squash(await primaryCompletion.textContent())).toMatch(
      /^Primary completion date from Dec 2017 \(estimated\) → to Jun 2018 \(estimated\) (High|Medium|Low) materiality Primary completion date slipped 6 months later/,
    );

    const links = await page
      .locator('.change-group a.snapshot-link')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
    expect(links).toEqual([expect.stringMatching(/^\/ui\/snapshots\/[0-9a-f]{64}$/), expect.any(String)]);
    expect(new Set(links).size).toBe(2);
    const raw = await page.request.get(`${baseUrl}${links[0]}`);
    expect(raw.status()).toBe(200);
    expect(await raw.text()).toBe(readFileSync(LEGACY_2018, 'utf8'));
  });

  it('marks every graded change with its materiality in words, not colour alone', async () => {
    const { page } = await open('/ui/trials/NCT00513591');
    const enrollment = page.locator('.change-group').nth(0).locator('li.change[data-field="enrollment"] .materiality');
    expect(await enrollment.getAttribute('data-tier')).toBe('medium');
    expect(squash(await enrollment.textContent())).toBe('Medium materiality Enrollment up 100 %: 500 to 1000');
    const tiers = await page.locator('.change-group .materiality .tier-badge').allTextContents();
    expect(tiers.length).toBeGreaterThan(0);
    for (const tier of tiers) expect(squash(tier)).toMatch(/^(High|Medium|Low|Noise) materiality$/);
  });

  it('sets the first registered values beside the current ones', async () => {
    const { page } = await open('/ui/trials/NCT00513591');
    const table = page.getByRole('table', { name: 'First known and current values' });
    const enrollment = table.getByRole('row', { name: /^Enrollment/ });
    expect((await enrollment.locator('td').allTextContents()).map(squash)).toEqual([
      '500 (estimated) known since 14 Jun 2016',
      '1000 (estimated)',
      '1 change, last 16 Jun 2017',
    ]);
    const status = table.getByRole('row', { name: /^Overall status/ });
    expect((await status.locator('td').allTextContents()).map(squash)).toEqual([
      'Recruiting known since 14 Jun 2016',
      'Recruiting',
      'unchanged',
    ]);
  });

  it("names a trial's investigators and lists its publications, results first, linked to PubMed but never fetched", async () => {
    const { page } = await open('/ui/trials/NCT09100006');
    const officials = page.getByRole('table', { name: 'Investigators the record names' });
    expect(
      await officials
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent!.trim()))),
    ).toEqual([
      ['Ana Lopez, MD', 'Principal investigator', 'Mayo Clinic'],
      ['Ben Okafor, PhD', 'Study chair', 'not given'],
    ]);
    const publications = page.getByRole('region', { name: 'Publications' }).getByRole('listitem');
    expect((await publications.allTextContents()).map(squash)).toEqual([
      'Results Lopez A, et al. Results of the trial. JAMA. 2024. PubMed ID 36000001',
      'Background Smith A. Background reading. Lancet. 2019. PubMed ID 31000002',
      'Linked from PubMed Doe J. A paper naming the trial. BMJ. 2023. PubMed ID 36500000',
    ]);
    expect(await page.getByRole('link', { name: 'PubMed ID 36000001' }).getAttribute('href')).toBe(
      'https://pubmed.ncbi.nlm.nih.gov/36000001/',
    );
    expect(requested.filter((url) => !url.startsWith(`${baseUrl}/`))).toEqual([]);
    // The legacy XML records of NCT00513591 name its principal investigator and cite nothing.
    const legacy = (await open('/ui/trials/NCT00513591')).page;
    expect(
      (
        await legacy
          .getByRole('table', { name: 'Investigators the record names' })
          .locator('tbody tr')
          .allTextContents()
      ).map(squash),
    ).toEqual(['Megan E. B. Clowse, MD, MPH Principal investigator Duke University']);
    expect(squash(await legacy.locator('#publications .empty').textContent())).toBe(
      'The registry record cites no publications.',
    );
  });

  it('compares two records side by side from the trial page, the changed fields first, both raw snapshots linked', async () => {
    const { page } = await open('/ui/trials/NCT00513591');
    const link = page.getByRole('link', { name: 'Compare with the previous record (the record of 16 Jun 2017)' });
    await link.focus();
    await Promise.all([page.waitForURL(/\/compare\?/), page.keyboard.press('Enter')]);
    expect(page.url()).toBe(`${baseUrl}/ui/trials/NCT00513591/compare?from=1&to=7`);
    expect(squash(await page.textContent('h1'))).toBe('Compare two records of NCT00513591');
    const changed = page.getByRole('table', {
      name: 'Fields the registry changed between the record of 14 Jun 2016 and the record of 16 Jun 2017',
    });
    const rows = await changed
      .locator('tbody tr')
      .evaluateAll((items) =>
        items.map((row) =>
          [...row.querySelectorAll('th, td')].map((cell) => cell.textContent!.replace(/\s+/g, ' ').trim()),
        ),
      );
    expect(rows).toEqual(
      expect.arrayContaining([
        ['Enrollment', '500 (estimated)', '1000 (estimated)'],
        ['Primary completion date', 'Dec 2017 (estimated)', 'Jun 2018 (estimated)'],
        // The 2016 legacy XML, a complete record, gives no completion date: none, not unknown.
        ['Completion date', 'none', 'Jun 2018 (estimated)'],
      ]),
    );
    expect(rows.map((row) => row[0])).not.toContain('Brief title');
    const unchanged = page.locator('details.unchanged-fields');
    expect(await unchanged.getAttribute('open')).toBeNull();
    expect(squash(await unchanged.locator('summary').textContent())).toMatch(/^Show the \d+ unchanged fields$/);

    const snapshots = await page
      .locator('a.snapshot-link')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')!));
    expect(snapshots).toHaveLength(2);
    expect(await (await page.request.get(`${baseUrl}${snapshots[0]}`)).text()).toBe(readFileSync(LEGACY_2016, 'utf8'));
    expect(await (await page.request.get(`${baseUrl}${snapshots[1]}`)).text()).toBe(readFileSync(LEGACY_2018, 'utf8'));

    await page.selectOption('#compare-from', '7');
    await page.selectOption('#compare-to', '1');
    await Promise.all([page.waitForURL(/from=7&to=1/), page.click('form.filters button')]);
    expect(await page.inputValue('#compare-from')).toBe('1');
    expect(squash(await page.locator('.result-count').textContent())).toMatch(/^\d+ fields changed/);
  });

  it('answers a comparison of versions the trial does not have, or of no version, with a page naming the problem', async () => {
    const missing = await open('/ui/trials/NCT00513591/compare?from=1&to=99');
    expect(missing.status).toBe(404);
    expect(squash(await missing.page.textContent('h1'))).toBe('Version not found');
    expect(squash(await missing.page.textContent('main'))).toContain(
      'NCT00513591 has no version 99: its versions run from 1 to 7',
    );
    const malformed = await open('/ui/trials/NCT00513591/compare?from=first&to=6');
    expect(malformed.status).toBe(400);
    expect(squash(await malformed.page.textContent('main'))).toContain('from must be a version number of the trial');
    const absent = await open('/ui/trials/NCT00513591/compare');
    expect(absent.status).toBe(400);
    const unknown = await open('/ui/trials/NCT09999999/compare?from=1&to=2');
    expect(unknown.status).toBe(404);
    expect(squash(await unknown.page.textContent('h1'))).toBe('Trial not found');
  });

  /** The rows of a table as the cells' texts, header cells included. */
  const tableRows = (page: Page, table: string) =>
    page
      .locator(`${table} tbody tr`)
      .evaluateAll((rows) =>
        rows.map((row) =>
          [...row.querySelectorAll('th, td')].map((cell) => cell.textContent!.replace(/\s+/g, ' ').trim()),
        ),
      );

  /** The NCT IDs in the search page's results table, in order. */
  const foundTrials = async (page: Page) =>
    (await page.locator('#trial-results tbody tr td:first-child a').allTextContents()).map(squash);

  it('finds trials by text, status, phase, sponsor, condition and other identifier, counting the matches', async () => {
    const { page, status } = await open('/ui/trials');
    expect(status).toBe(200);
    expect(squash(await page.textContent('h1'))).toBe('Find trials');
    expect(await foundTrials(page)).toEqual([
      'NCT00513591',
      'NCT02210780',
      'NCT09100001',
      'NCT09100002',
      'NCT09100006',
      'NCT09100011',
      'NCT09100012',
    ]);
    expect(squash(await page.textContent('.result-count'))).toBe('7 trials match.');
    const duke = (await tableRows(page, '#trial-results'))[0]!;
    expect(duke.slice(0, 4)).toEqual([
      'NCT00513591Duke Autoimmunity in Pregnancy Registry',
      'Recruiting',
      'Not applicable',
      'Duke University',
    ]);
    expect(duke[4]).toMatch(/ of NCT00513591 16 Jun 2017 (High|Medium) materiality /);

    await page.fill('#search-q', 'autoimmunity');
    await Promise.all([page.waitForURL(/q=autoimmunity/), page.press('#search-q', 'Enter')]);
    expect(await foundTrials(page)).toEqual(['NCT00513591']);
    expect(squash(await page.textContent('.result-count'))).toBe('1 trial matches.');
    expect(await page.inputValue('#search-q')).toBe('autoimmunity');

    for (const [query, expected] of [
      ['status=RECRUITING', ['NCT00513591', 'NCT09100006']],
      ['phase=PHASE1', ['NCT09100006']],
      ['sponsor=switch', ['NCT09100001']],
      ['condition=lupus&q=nct005', ['NCT00513591']],
      ['secondaryId=isrctn%2012345678', ['NCT09100006']],
      ['q=no-such-words', []],
    ] as const) {
      const search = await open(`/ui/trials?${query}`);
      expect({ query, found: await foundTrials(search.page) }).toEqual({ query, found: expected });
      expect(squash(await search.page.textContent('.result-count'))).toMatch(new RegExp(`^${expected.length} trial`));
    }
    const none = await open('/ui/trials?q=no-such-words');
    expect(squash(await none.page.textContent('.empty'))).toBe('No trial matches this search.');
  });

  it('finds trials by results-due state and hygiene flag on a day, and names a bad filter', async () => {
    const overdue = await open(`/ui/trials?resultsDue=overdue&on=${REPORT_DAY}`);
    expect(await foundTrials(overdue.page)).toEqual(['NCT09100002']);
    expect(squash(await overdue.page.textContent('.result-count'))).toBe(
      '1 trial matches (results and flags on 1 Mar 2024).',
    );
    expect(await overdue.page.inputValue('#search-results-due')).toBe('overdue');
    const stale = await open(`/ui/trials?hygiene=completion-past-while-recruiting&on=${REPORT_DAY}`);
    expect(await foundTrials(stale.page)).toEqual(['NCT00513591', 'NCT09100006']);
    const notYet = await open('/ui/trials?hygiene=completion-past-while-recruiting&on=2018-01-01');
    expect(await foundTrials(notYet.page)).toEqual([]);

    const bad = await open('/ui/trials?status=EXPLODED');
    expect(bad.status).toBe(400);
    expect(squash(await bad.page.textContent('main'))).toContain('status must be one of NOT_YET_RECRUITING');
  });

  it('shows results due on a day with counts per state, filters by state, and downloads the CSV', async () => {
    const { page, status } = await open(`/ui/reports/results-due?on=${REPORT_DAY}`);
    expect(status).toBe(200);
    expect(squash(await page.textContent('h1'))).toBe('Results due');
    const counts = (await page.locator('ul.counts li').allTextContents()).map(squash);
    expect(counts).toContain('Overdue: 1');
    const rows = await tableRows(page, '#results-due');
    expect(rows).toContainEqual([
      expect.stringMatching(/^NCT09100002/),
      expect.any(String),
      'Completed',
      '15 Jan 2023 (actual)',
      '15 Jan 2024',
      'Overdue 46 days overdue',
    ]);

    await page.getByRole('link', { name: 'Overdue' }).click();
    await page.waitForURL(/state=overdue/);
    expect(await page.inputValue('#filter-state')).toBe('overdue');
    expect(await page.inputValue('#filter-on')).toBe(REPORT_DAY);
    const overdue = await page
      .locator('#results-due tbody tr')
      .evaluateAll((items) => items.map((row) => row.getAttribute('data-state')));
    expect(new Set(overdue)).toEqual(new Set(['overdue']));

    const csvLink = await page.getByRole('link', { name: 'Download this report as CSV' }).getAttribute('href');
    expect(csvLink).toBe(`/ui/reports/results-due.csv?state=overdue&on=${REPORT_DAY}`);
    const csv = await page.request.get(`${baseUrl}${csvLink}`);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'nct_id,brief_title,lead_sponsor,overall_status,primary_completion_date,due_date,state,submitted_on,reported_on,days_overdue',
    );
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['NCT09100002']);

    const wrong = await open('/ui/reports/results-due?state=late');
    expect(wrong.status).toBe(400);
    expect(squash(await wrong.page.textContent('main'))).toContain('state must be one of not-due, due-within-30-days');
  });

  it('shows the hygiene flags holding on a day, each with the day it started, and downloads the CSV', async () => {
    const { page } = await open(`/ui/reports/hygiene?on=${REPORT_DAY}`);
    expect(squash(await page.textContent('h1'))).toBe('Registry hygiene');
    const row = page.locator('#hygiene tbody tr', { hasText: 'NCT09100006' });
    expect((await row.locator('li[data-flag]').allTextContents()).map(squash)).toEqual([
      'Status verification stale since 1 Feb 2023',
      'Completion passed while recruiting since 1 Jul 2022',
    ]);
    await page.selectOption('#filter-flag', 'completion-past-while-recruiting');
    await Promise.all([page.waitForURL(/flag=completion-past-while-recruiting/), page.click('form.filters button')]);
    const flagged = await tableRows(page, '#hygiene');
    expect(flagged.map((cells) => cells[0]!.slice(0, 11))).toEqual(['NCT00513591', 'NCT09100006']);
    for (const cells of flagged) expect(cells[3]).toContain('Completion passed while recruiting');
    const csvLink = await page.getByRole('link', { name: 'Download this report as CSV' }).getAttribute('href');
    const csv = await page.request.get(`${baseUrl}${csvLink}`);
    expect(await csv.text()).toContain('NCT09100006');

    const early = await open('/ui/reports/hygiene?on=2016-01-01');
    expect(squash(await early.page.textContent('main'))).toContain('No trial has a flag on that day.');
    const badDay = await open('/ui/reports/hygiene?on=2024-02-30');
    expect(badDay.status).toBe(400);
    expect(squash(await badDay.page.textContent('main'))).toContain('on must be a date as YYYY-MM-DD');
  });

  it('lists primary outcomes switched after the start, removed and added in words, and downloads the CSV', async () => {
    const { page } = await open('/ui/reports/outcome-switching');
    expect(squash(await page.textContent('h1'))).toBe('Outcome switching');
    const row = page.locator('#outcome-switching tbody tr', { hasText: 'NCT09100001' });
    expect(squash(await row.locator('td').nth(1).textContent())).toBe('Switchco');
    expect(squash(await row.locator('td').nth(3).textContent())).toBe('After the start 1 with another time frame');
    expect((await row.locator('ul.diff li').allTextContents()).map(squash)).toEqual([
      'Removed Change in body weight [12 weeks]',
      'Added Change in body weight [52 weeks]',
    ]);
    const none = await open('/ui/reports/outcome-switching?sponsor=nobody');
    expect(await none.page.locator('#outcome-switching').count()).toBe(0);
    expect(squash(await none.page.textContent('.empty'))).toContain('No trial');
    const csvLink = await page.getByRole('link', { name: 'Download this report as CSV' }).getAttribute('href');
    const csv = await page.request.get(`${baseUrl}${csvLink}`);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Change in body weight [52 weeks]');
    expect((await open('/ui/reports/outcome-switching?since=yesterday')).status).toBe(400);
  });

  it("shows what changed in a watchlist's trials since a day, by trial and materiality, with its last runs", async () => {
    const { page, status } = await open('/ui/watchlists');
    expect(status).toBe(200);
    await Promise.all([
      page.waitForURL(/\/ui\/watchlists\/[0-9a-f-]{36}$/),
      page.getByRole('link', { name: WATCHLIST }).click(),
    ]);
    expect(squash(await page.textContent('h1'))).toBe(`Watchlist ${WATCHLIST}`);
    expect(squash(await page.textContent('.lede'))).toMatch(/^2 trials watched · last successful sync /);

    await page.fill('#filter-since', '2025-01-01');
    await Promise.all([page.waitForURL(/since=2025-01-01/), page.click('form.filters button')]);
    const trials = () =>
      page
        .locator('.feed > li.change-group')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-nct-id')));
    expect(await trials()).toEqual(['NCT09100011', 'NCT09100012']);
    const terminated = page.locator('li[data-nct-id="NCT09100011"] li.change[data-field="overallStatus"]');
    expect(squash(await terminated.textContent())).toMatch(
      /^Overall status from Active, not recruiting → to Terminated High materiality /,
    );

    await page.selectOption('#filter-materiality', 'high');
    await Promise.all([page.waitForURL(/minMateriality=high/), page.click('form.filters button')]);
    expect(await trials()).toEqual(['NCT09100011']);
    for (const tier of await page.locator('.feed .tier-badge').allTextContents())
      expect(squash(tier)).toBe('High materiality');
    expect(squash(await page.textContent('.result-count'))).toMatch(/^\d+ changes? in 1 trial, high only\.$/);

    const runs = page.getByRole('table', { name: 'The watchlist’s last runs, newest first' });
    expect(
      await runs.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status'))),
    ).toEqual(['failed', 'succeeded', 'skipped', 'succeeded']);
    expect((await runs.locator('tbody tr td:first-child').allTextContents()).map(squash)).toEqual([
      'Failed',
      'Succeeded',
      'Skipped',
      'Succeeded',
    ]);
    const id = page.url().split('/').pop()!.split('?')[0]!;
    const [failed] = await json(await fetch(`${baseUrl}/watchlists/${id}/runs`));
    expect(failed.errors.length).toBeGreaterThan(0);
    const failedRow = squash(await runs.locator('tbody tr').first().textContent());
    for (const error of failed.errors) expect(failedRow).toContain(squash(error.message));

    const later = await open(`/ui/watchlists/${WATCHLIST}?since=${TOMORROW}`);
    expect(squash(await later.page.textContent('.empty'))).toMatch(/^No change to these trials since .+ matches\.$/);
    expect(await later.page.locator('.feed').count()).toBe(0);
  });

  it('answers an unknown watchlist with 404 and a bad day or grade with 400, naming the problem', async () => {
    const unknown = await open('/ui/watchlists/no-such-watchlist');
    expect(unknown.status).toBe(404);
    expect(squash(await unknown.page.textContent('h1'))).toBe('Watchlist not found');
    expect(squash(await unknown.page.textContent('main'))).toContain(
      'No watchlist with id or name "no-such-watchlist"',
    );
    const badDay = await open(`/ui/watchlists/${WATCHLIST}?since=last-week`);
    expect(badDay.status).toBe(400);
    expect(squash(await badDay.page.textContent('main'))).toContain('since must be a date as YYYY-MM-DD');
    const badGrade = await open(`/ui/watchlists/${WATCHLIST}?minMateriality=huge`);
    expect(badGrade.status).toBe(400);
    expect(squash(await badGrade.page.textContent('main'))).toContain('minMateriality must be one of');
  });

  it('shows a clear HTML page with 404 for an unknown NCT ID and 400 for a malformed one', async () => {
    const unknown = await open('/ui/trials/NCT09999999');
    expect(unknown.status).toBe(404);
    expect(squash(await unknown.page.textContent('h1'))).toBe('Trial not found');
    expect(squash(await unknown.page.textContent('main'))).toContain('trialwatch has no snapshot of NCT09999999');
    expect(await unknown.page.inputValue('#nct-search-input')).toBe('NCT09999999');
    await screenshot(unknown.page, 'trial-not-found-desktop');

    const malformed = await open('/ui/trials/NCT123');
    expect(malformed.status).toBe(400);
    expect(squash(await malformed.page.textContent('h1'))).toBe('That is not an NCT ID');

    const response = await fetch(`${baseUrl}/ui/trials/NCT09999999`);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('answers a page that does not exist under /ui, such as a mistyped link, with an HTML page and 404', async () => {
    for (const path of ['/ui/trial/NCT00513591', '/ui/trials/NCT00513591/changes', '/ui/reports']) {
      const missing = await open(path);
      expect({ path, status: missing.status }).toEqual({ path, status: 404 });
      expect(squash(await missing.page.textContent('h1'))).toBe('Page not found');
      expect(await missing.page.locator('a.skip-link').count()).toBe(1);
    }
    const response = await fetch(`${baseUrl}/ui/nothing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(`${baseUrl}/ui/assets/nothing.css`)).status).toBe(404);
  });

  it('finds a trial from the search box, with the keyboard only', async () => {
    const { page } = await open('/ui');
    const focused = await tabThrough(page, 12);
    expect(focused).toContain('input#nct-search-input.[]');
    await page.focus('#nct-search-input');
    await page.keyboard.type('nct00513591');
    await Promise.all([page.waitForURL(`${baseUrl}/ui/trials/NCT00513591`), page.keyboard.press('Enter')]);
    expect(squash(await page.textContent('h1'))).toBe('Duke Autoimmunity in Pregnancy Registry');
  });

  it('reaches the search box and every change link with Tab, with a visible focus style', async () => {
    const { page } = await open('/ui/trials/NCT00513591');
    const focused = await tabThrough(page, 40);
    expect(focused[0]).toMatch(/^a#\.skip-link/);
    expect(focused).toContain('input#nct-search-input.[]');
    const snapshotLinks = focused.filter((entry) => entry.includes('.snapshot-link['));
    expect(snapshotLinks).toHaveLength(2);

    await page.focus('a.snapshot-link');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const style = await page.locator(':focus').evaluate((element) => {
      const computed = element.ownerDocument.defaultView!.getComputedStyle(element);
      return { outlineStyle: computed.outlineStyle, outlineWidth: computed.outlineWidth, shadow: computed.boxShadow };
    });
    expect(style.outlineStyle).toBe('solid');
    expect(parseFloat(style.outlineWidth)).toBeGreaterThanOrEqual(2);
    expect(style.shadow).not.toBe('none');

    const feed = await open('/ui');
    const feedFocus = await tabThrough(feed.page, 20);
    expect(feedFocus.some((entry) => entry.includes('[/ui/trials/NCT00513591]'))).toBe(true);
  });

  it('lists recent changes across trials, newest first, filterable by type, sponsor and condition', async () => {
    const { page, status } = await open('/ui');
    expect(status).toBe(200);
    const trials = await page.locator('.feed .feed-title a').allTextContents();
    expect(trials.slice(0, 3).map(squash)).toEqual(['NCT02210780', 'NCT00513591', 'NCT00513591']);

    const byType = await open('/ui?type=trial.enrollment-updated');
    const changes = byType.page.locator('.feed li.change');
    expect(await changes.count()).toBe(1);
    expect(squash(await changes.textContent())).toMatch(
      /^Enrollment from 500 \(estimated\) → to 1000 \(estimated\) (High|Medium) materiality Enrollment up/,
    );
    expect(await byType.page.inputValue('#filter-type')).toBe('trial.enrollment-updated');

    const bySponsor = await open('/ui?sponsor=duke');
    expect(new Set((await bySponsor.page.locator('.feed .feed-title a').allTextContents()).map(squash))).toEqual(
      new Set(['NCT00513591']),
    );
    const byCondition = await open('/ui?condition=LUPUS&type=');
    expect(await byCondition.page.locator('.feed .change-group').count()).toBe(2);
    const none = await open('/ui?sponsor=nobody-sponsors-this');
    expect(squash(await none.page.textContent('.empty'))).toBe('No changes match these filters.');

    const badType = await open('/ui?type=trial.exploded');
    expect(badType.status).toBe(400);
    expect(squash(await badType.page.textContent('h1'))).toBe('Bad request');
  });

  it('escapes what it is given: a filter value is shown back as text, never as markup', async () => {
    const { page } = await open(`/ui?sponsor=${encodeURIComponent(HOSTILE)}`);
    expect(await page.inputValue('#filter-sponsor')).toBe(HOSTILE);
    expect(
      await page
        .locator('html')
        .evaluate((root) => (root.ownerDocument.defaultView as unknown as { injected?: number }).injected),
    ).toBeUndefined();
    expect(await page.locator('main b').count()).toBe(0);
  });

  it('serves its stylesheet and script itself', async () => {
    const { page } = await open('/ui');
    const stylesheet = await page.locator('link[rel="stylesheet"]').getAttribute('href');
    const response = await fetch(`${baseUrl}${stylesheet}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/css/);
    expect(response.headers.get('cache-control')).toContain('immutable');
    expect(await page.locator('html').evaluate((root) => root.ownerDocument.styleSheets.length)).toBe(1);
    const paths = requested.map((url) => url.replace(baseUrl, ''));
    expect(paths).toEqual(
      expect.arrayContaining([stylesheet, expect.stringMatching(/^\/ui\/assets\/trialwatch\.js\?v=/)]),
    );
  });

  describe('every kind of page, each opened once at each width', () => {
    const WIDTHS = [
      ['desktop', DESKTOP],
      ['375px', PHONE],
    ] as const;
    type Width = (typeof WIDTHS)[number][0];
    /** Each page of PAGES at each width, opened (and photographed) before the tests below look at it. */
    const visits = new Map<string, Page>();
    const visit = (path: string, width: Width) => visits.get(`${width} ${path}`)!;
    const keptContexts: BrowserContext[] = [];
    /** Every URL these pages asked for. */
    const keptRequests: string[] = [];

    beforeAll(async () => {
      for (const [width, viewport] of WIDTHS) {
        const context = await browser.newContext({ viewport });
        keptContexts.push(context);
        for (const [name, path] of PAGES) {
          const page = await context.newPage();
          page.on('request', (request) => keptRequests.push(request.url()));
          await page.goto(`${baseUrl}${path}`);
          await screenshot(page, `${name}-${width}`);
          visits.set(`${width} ${path}`, page);
        }
      }
    });

    afterAll(async () => {
      for (const context of keptContexts) await context.close();
    });

    it('fits a 375 px screen without scrolling the page sideways', async () => {
      for (const [, path] of PAGES)
        expect({ path, fits: await hasNoHorizontalScroll(visit(path, '375px')) }).toEqual({ path, fits: true });
    });

    it('saves a screenshot of every page, desktop and 375 px wide, under test-artifacts/screenshots', () => {
      for (const [width, viewport] of WIDTHS)
        for (const [name] of PAGES) {
          const png = readFileSync(join(SCREENSHOTS, `${name}-${width}.png`));
          // The PNG signature, then the IHDR chunk's width: the whole page at the viewport's width.
          expect({ name, width, signature: png.subarray(1, 4).toString(), pixels: png.readUInt32BE(16) }).toEqual({
            name,
            width,
            signature: 'PNG',
            pixels: viewport.width,
          });
        }
    });

    it('passes an axe-core accessibility check with no serious or critical violations, desktop and 375 px', async () => {
      for (const [, path] of PAGES)
        for (const [width] of WIDTHS)
          expect({ path, width, violations: await seriousAccessibilityViolations(visit(path, width)) }).toEqual({
            path,
            width,
            violations: [],
          });
    });

    it('prints without the search box, the site navigation and the filter forms', async () => {
      for (const [, path] of PAGES) {
        const page = visit(path, 'desktop');
        await page.emulateMedia({ media: 'print' });
        for (const selector of ['.nct-search', '.site-header nav', 'form.filters'])
          for (const element of await page.locator(selector).all())
            expect({ path, selector, visible: await element.isVisible() }).toEqual({ path, selector, visible: false });
        expect(await page.locator('h1').isVisible()).toBe(true);
        await page.emulateMedia({ media: 'screen' });
      }
    });

    it('starts every page with a skip link to the main content, one h1 and headings that never skip a level', async () => {
      for (const [, path] of PAGES) {
        const page = visit(path, 'desktop');
        await page.bringToFront();
        await page.keyboard.press('Tab');
        expect({ path, focused: squash(await page.locator(':focus').textContent()) }).toEqual({
          path,
          focused: 'Skip to main content',
        });
        await page.keyboard.press('Enter');
        expect({ path, focused: await page.locator(':focus').getAttribute('id') }).toEqual({ path, focused: 'main' });
        const levels = await page
          .locator('h1, h2, h3, h4, h5, h6')
          .evaluateAll((headings) => headings.map((heading) => Number(heading.tagName.slice(1))));
        expect({ path, first: levels[0], h1s: levels.filter((level) => level === 1).length }).toEqual({
          path,
          first: 1,
          h1s: 1,
        });
        for (let index = 1; index < levels.length; index += 1)
          expect({ path, step: levels[index]! - levels[index - 1]! <= 1 }).toEqual({ path, step: true });
      }
    });

    it('asks no other host for anything, on any page or error page', async () => {
      // The pages the other tests of this file open beside those above, opened here too so that this test
      // does not depend on which of them ran before it.
      for (const path of [
        '/ui/trials/NCT123',
        '/ui?type=trial.enrollment-updated',
        '/ui?sponsor=duke',
        '/ui?condition=LUPUS&type=',
        '/ui?type=trial.exploded',
        `/ui?sponsor=${encodeURIComponent(HOSTILE)}`,
      ])
        await open(path);
      const everything = [...keptRequests, ...requested];
      expect(everything.filter((url) => url.startsWith(`${baseUrl}/ui/assets/`)).length).toBeGreaterThan(0);
      const foreign = everything.filter((url) => !url.startsWith(`${baseUrl}/`) && !url.startsWith('data:'));
      expect(foreign).toEqual([]);
    });
  });
});
