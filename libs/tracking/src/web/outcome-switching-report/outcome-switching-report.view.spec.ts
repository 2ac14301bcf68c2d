import * as cheerio from 'cheerio';
import type { OutcomeSwitchingReport } from '../../read-models/index.js';
import { ARABIC_TITLE, directionsOf, HEBREW_NAME } from '../testing/text-direction.js';
import { outcomeSwitchingReportPage } from './outcome-switching-report.view.js';

const ARABIC_OUTCOME = 'معدل الاستجابة الكلية';

const REPORT: OutcomeSwitchingReport = {
  trials: [
    {
      nctId: 'NCT09100007',
      briefTitle: 'A trial that switched its primary outcome',
      leadSponsor: 'Acme',
      overallStatus: 'RECRUITING',
      conditions: ['Lupus'],
      startDate: { date: '2022-01', type: 'ACTUAL' },
      primaryCompletionDate: { date: '2025-01', type: 'ESTIMATED' },
      switches: [
        {
          eventId: '00000000-0000-4000-8000-000000000001',
          occurredAt: '2023-05-01T00:00:00.000Z',
          timing: 'after-start',
          datesThen: {
            startDate: { date: '2022-01', type: 'ACTUAL' },
            primaryCompletionDate: { date: '2025-01', type: 'ESTIMATED' },
          },
          added: [{ measure: 'Overall response rate', timeFrame: '12 weeks' }],
          removed: [],
          timeFrameChanged: [],
          reworded: [],
        },
      ],
    },
  ],
  nextCursor: null,
};

describe('outcome-switching page', () => {
  it("lays out a trial's title, sponsor and outcomes written right to left in their own direction", () => {
    const [trial] = REPORT.trials;
    const written = {
      ...trial!,
      briefTitle: ARABIC_TITLE,
      leadSponsor: HEBREW_NAME,
      switches: [{ ...trial!.switches[0]!, added: [{ measure: ARABIC_OUTCOME, timeFrame: null }] }],
    };
    const $ = cheerio.load(outcomeSwitchingReportPage({ ...REPORT, trials: [written] }, {}));
    expect([directionsOf($, ARABIC_TITLE), directionsOf($, HEBREW_NAME), directionsOf($, ARABIC_OUTCOME)]).toEqual([
      ['rtl'],
      ['rtl'],
      ['rtl'],
    ]);
  });
});
