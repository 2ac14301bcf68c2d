import * as cheerio from 'cheerio';
import type { HygieneReport } from '../../read-models/index.js';
import { ARABIC_TITLE, directionsOf, HEBREW_NAME } from '../testing/text-direction.js';
import { hygieneReportPage } from './hygiene-report.view.js';

const REPORT: HygieneReport = {
  on: '2024-03-01',
  trials: [
    {
      nctId: 'NCT09100006',
      briefTitle: 'A recruiting trial',
      leadSponsor: 'Acme',
      overallStatus: 'RECRUITING',
      flags: [{ flag: 'completion-past-while-recruiting', since: '2022-07-01' }],
    },
  ],
  nextCursor: 'NCT09100006',
};

describe('hygiene page', () => {
  it("lays out a trial's title and sponsor written right to left in their own direction", () => {
    const trial = { ...REPORT.trials[0]!, briefTitle: ARABIC_TITLE, leadSponsor: HEBREW_NAME };
    const $ = cheerio.load(hygieneReportPage({ ...REPORT, trials: [trial] }, {}));
    expect([directionsOf($, ARABIC_TITLE), directionsOf($, HEBREW_NAME)]).toEqual([['rtl'], ['rtl']]);
  });

  it('links the next page and the CSV to the day the page was computed for, the reader having chosen none', () => {
    const $ = cheerio.load(hygieneReportPage(REPORT, { flag: 'completion-past-while-recruiting' }));
    expect($('a[download]').attr('href')).toBe(
      '/ui/reports/hygiene.csv?flag=completion-past-while-recruiting&on=2024-03-01',
    );
    expect($('a[rel="next"]').attr('href')).toBe(
      '/ui/reports/hygiene?flag=completion-past-while-recruiting&on=2024-03-01&cursor=NCT09100006',
    );
    const later = cheerio.load(hygieneReportPage({ ...REPORT, nextCursor: null }, { cursor: 'NCT09100001' }));
    expect(later('nav.pager a').attr('href')).toBe('/ui/reports/hygiene?on=2024-03-01');
  });
});
