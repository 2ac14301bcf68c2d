import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type AppProcess, startApi, startWorker } from './support/app-processes.js';
import { seriousAccessibilityViolations } from './support/accessibility.js';
import { launchChromium } from './support/browser.js';
import { fixturePath } from './support/fixtures.js';
import { json } from './support/http.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';

const LEGACY_2016 = fixturePath('ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml');
const LEGACY_2018 = fixturePath('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml');
const API_V2 = fixturePath('ctgov-api-v2', 'NCT02210780.json');
const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };
/** Every kind of page, each checked with axe-core. */
const ACCESSIBILITY_CHECKED_PAGES = [
  '/ui',
  '/ui?sponsor=nobody-sponsors-this',
  '/ui/trials/NCT00513591',
  '/ui/trials/NCT02210780',
  '/ui/trials/NCT09999999',
];
/** A filter value that would run a script and add markup if it were not escaped. */
const HOSTILE = '"><script>window.injected = 1</script><b>bold</b>';

/** Text as a reader sees it: whitespace from the markup collapsed. */
const squash = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim();

describe('web pages in a headless browser', () => {
  let environment: TestEnvironment;
  let api: AppProcess;
  let worker: AppProcess;
  let baseUrl: string;
  let browser: Browser;
  /** The browser contexts this test opened; closed after it. */
  let contexts: BrowserContext[] = [];
  /** Every URL any page of this test asked for, to prove nothing leaves the api. */
  let requested: string[] = [];

  const post = async (file: string) => {
    const response = await fetch(`${baseUrl}/snapshots?wait=true`, { method: 'POST', body: readFileSync(file) });
    return json(response);
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
    ({ api, baseUrl } = await startApi(environment.env));
    worker = await startWorker(environment.env);
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
    expect(squash(await primaryCompletion.textContent())).toBe(
      'Primary completion date from Dec 2017 (estimated) → to Jun 2018 (estimated)',
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

  it('finds a trial from the search box, with the keyboard only', async () => {
    const { page } = await open('/ui');
    const focused = await tabThrough(page, 6);
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
    expect(trials.map(squash)).toEqual(['NCT02210780', 'NCT00513591', 'NCT00513591']);

    const byType = await open('/ui?type=trial.enrollment-updated');
    const changes = byType.page.locator('.feed li.change');
    expect(await changes.count()).toBe(1);
    expect(squash(await changes.textContent())).toBe('Enrollment from 500 (estimated) → to 1000 (estimated)');
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

  it('fits a 375 px screen without scrolling the page sideways', async () => {
    for (const path of ['/ui', '/ui/trials/NCT00513591', '/ui/trials/NCT02210780']) {
      const { page } = await open(path, PHONE);
      expect(await hasNoHorizontalScroll(page)).toBe(true);
    }
  });

  it('saves screenshots of both pages, desktop and 375 px wide', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['375px', PHONE],
    ] as const) {
      const trial = await open('/ui/trials/NCT00513591', viewport);
      await screenshot(trial.page, `trial-NCT00513591-${name}`);
      const other = await open('/ui/trials/NCT02210780', viewport);
      await screenshot(other.page, `trial-NCT02210780-${name}`);
      const recent = await open('/ui', viewport);
      await screenshot(recent.page, `recent-changes-${name}`);
    }
  });

  it('passes an axe-core accessibility check with no serious or critical violations, desktop and 375 px', async () => {
    for (const path of ACCESSIBILITY_CHECKED_PAGES) {
      for (const viewport of [DESKTOP, PHONE]) {
        const { page } = await open(path, viewport);
        expect({ path, viewport, violations: await seriousAccessibilityViolations(page) }).toEqual({
          path,
          viewport,
          violations: [],
        });
      }
    }
  });

  it('serves its stylesheet and script itself, and asks no other host for anything', async () => {
    const { page } = await open('/ui');
    const stylesheet = await page.locator('link[rel="stylesheet"]').getAttribute('href');
    const response = await fetch(`${baseUrl}${stylesheet}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/css/);
    expect(response.headers.get('cache-control')).toContain('immutable');
    expect(await page.locator('html').evaluate((root) => root.ownerDocument.styleSheets.length)).toBe(1);

    await open('/ui/trials/NCT00513591');
    await open('/ui/trials/NCT09999999');
    const paths = requested.map((url) => url.replace(baseUrl, ''));
    expect(paths).toEqual(
      expect.arrayContaining([stylesheet, expect.stringMatching(/^\/ui\/assets\/trialwatch\.js\?v=/)]),
    );
    // Every kind of page the other tests of this file open, opened here too so that this test does not
    // depend on which of them ran before it.
    for (const path of [
      '/ui/trials/NCT02210780',
      '/ui/trials/NCT123',
      '/ui?type=trial.enrollment-updated',
      '/ui?sponsor=duke',
      '/ui?condition=LUPUS&type=',
      '/ui?sponsor=nobody-sponsors-this',
      '/ui?type=trial.exploded',
      `/ui?sponsor=${encodeURIComponent(HOSTILE)}`,
    ])
      await open(path);
    for (const path of ['/ui', '/ui/trials/NCT00513591', '/ui/trials/NCT02210780']) await open(path, PHONE);
    const foreign = requested.filter((url) => !url.startsWith(`${baseUrl}/`) && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
  });
});
