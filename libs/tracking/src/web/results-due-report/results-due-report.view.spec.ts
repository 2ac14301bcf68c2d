import * as cheerio from 'cheerio';
import type { ResultsDueReport } from '../../read-models/index.js';
import { ARABIC_TITLE, directionsOf, HEBREW_NAME } from '../testing/text-direction.js';
import { resultsDueReportPage } from './results-due-report.view.js';

const REPORT: ResultsDueReport = {
  on: '2024-03-01',
  counts: { 'not-due': 3, 'due-within-30-days': 0, overdue: 1, 'reported-on-time': 2, 'reported-late': 1 },
  trials: [
    {
      nctId: 'NCT09100002',
      briefTitle: 'A <b>bold</b> trial',
      leadSponsor: 'Acme',
      overallStatus: 'COMPLETED',
      primaryCompletionDate: { date: '2023-01-15', type: 'ACTUAL' },
      dueDate: '2024-01-15',
      state: 'overdue',
      submittedOn: null,
      reportedOn: null,
      daysOverdue: 46,
    },
  ],
  nextCursor: '2024-01-15~NCT09100002',
};
const text = (value: string) => value.replace(/\s+/g, ' ').trim();

describe('results-due page', () => {
  it('counts the trials in each state, each count a link to that state with the same filters', () => {
    const $ = cheerio.load(resultsDueReportPage(REPORT, { sponsor: 'acme', on: '2024-03-01' }));
    expect(
      $('ul.counts li')
        .map((_, item) => text($(item).text()))
        .get(),
    ).toEqual([
      'All: 7',
      'Not due yet: 3',
      'Due within 30 days: 0',
      'Overdue: 1',
      'Reported on time: 2',
      'Reported late: 1',
    ]);
    expect($('ul.counts a:contains("Overdue")').attr('href')).toBe(
      '/ui/reports/results-due?state=overdue&sponsor=acme&on=2024-03-01',
    );
  });

  it('shows each trial with its due date and state in words, escaped, with the CSV and the next page', () => {
    const $ = cheerio.load(resultsDueReportPage(REPORT, { state: 'overdue', on: '2024-03-01' }));
    const cells = $('#results-due tbody tr td')
      .map((_, cell) => text($(cell).text()))
      .get();
    expect(cells).toEqual([
      'NCT09100002A <b>bold</b> trial',
      'Acme',
      'Completed',
      '15 Jan 2023 (actual)',
      '15 Jan 2024',
      'Overdue 46 days overdue',
    ]);
    expect($('main b')).toHaveLength(0);
    expect(text($('#results-due caption').text())).toBe('Results due on 1 Mar 2024, overdue, by due date');
    expect($('a[download]').attr('href')).toBe('/ui/reports/results-due.csv?state=overdue&on=2024-03-01');
    expect($('a[rel="next"]').attr('href')).toBe(
      '/ui/reports/results-due?state=overdue&on=2024-03-01&cursor=2024-01-15%7ENCT09100002',
    );
    expect($('#filter-state option[selected]').attr('value')).toBe('overdue');
  });

  it('says "1 day overdue" the day after the due day', () => {
    const dayAfter = { ...REPORT, on: '2024-01-16', trials: [{ ...REPORT.trials[0]!, daysOverdue: 1 }] };
    const $ = cheerio.load(resultsDueReportPage(dayAfter, { on: '2024-01-16' }));
    expect(text($('#results-due tbody tr td').last().text())).toBe('Overdue 1 day overdue');
  });

  it('says results posted after the day asked about were posted later, not that they were reported then', () => {
    const late = { ...REPORT.trials[0]!, reportedOn: '2024-06-01', daysOverdue: 46 };
    const overdueThen = cheerio.load(resultsDueReportPage({ ...REPORT, trials: [late] }, { on: '2024-03-01' }));
    expect(text(overdueThen('#results-due tbody tr td').last().text())).toBe(
      'Overdue 46 days overdue first posted later, on 1 Jun 2024',
    );
    const reported = { ...late, state: 'reported-late' as const, daysOverdue: null };
    const $ = cheerio.load(resultsDueReportPage({ ...REPORT, on: '2024-07-01', trials: [reported] }, {}));
    expect(text($('#results-due tbody tr td').last().text())).toBe('Reported late reported 1 Jun 2024');
  });

  it("says results submitted on time and awaiting the registry's review were reported the day they were submitted", () => {
    const awaiting = {
      ...REPORT.trials[0]!,
      state: 'reported-on-time' as const,
      submittedOn: '2024-01-10',
      daysOverdue: null,
    };
    const $ = cheerio.load(resultsDueReportPage({ ...REPORT, trials: [awaiting] }, {}));
    expect(text($('#results-due tbody tr td').last().text())).toBe(
      "Reported on time submitted 10 Jan 2024, awaiting the registry's review",
    );
    const posted = { ...awaiting, reportedOn: '2024-05-02' };
    const after = cheerio.load(resultsDueReportPage({ ...REPORT, trials: [posted] }, {}));
    expect(text(after('#results-due tbody tr td').last().text())).toBe(
      'Reported on time submitted 10 Jan 2024 posted 2 May 2024',
    );
    const later = { ...REPORT.trials[0]!, submittedOn: '2024-06-01' };
    const overdueThen = cheerio.load(resultsDueReportPage({ ...REPORT, trials: [later] }, {}));
    expect(text(overdueThen('#results-due tbody tr td').last().text())).toBe(
      'Overdue 46 days overdue submitted later, on 1 Jun 2024',
    );
  });

  it("lays out a trial's title and sponsor written right to left in their own direction", () => {
    const trial = { ...REPORT.trials[0]!, briefTitle: ARABIC_TITLE, leadSponsor: HEBREW_NAME };
    const $ = cheerio.load(resultsDueReportPage({ ...REPORT, trials: [trial] }, {}));
    expect([directionsOf($, ARABIC_TITLE), directionsOf($, HEBREW_NAME)]).toEqual([['rtl'], ['rtl']]);
  });

  it('links the next page, the CSV and each count to the day the page was computed for, the reader having chosen none', () => {
    const $ = cheerio.load(resultsDueReportPage(REPORT, { sponsor: 'acme' }));
    expect($('a[download]').attr('href')).toBe('/ui/reports/results-due.csv?sponsor=acme&on=2024-03-01');
    expect($('a[rel="next"]').attr('href')).toBe(
      '/ui/reports/results-due?sponsor=acme&on=2024-03-01&cursor=2024-01-15%7ENCT09100002',
    );
    expect(
      $('ul.counts a')
        .map((_, link) => new URL($(link).attr('href')!, 'http://localhost').searchParams.get('on'))
        .get(),
    ).toEqual(Array(6).fill('2024-03-01'));
    const later = cheerio.load(
      resultsDueReportPage({ ...REPORT, nextCursor: null }, { cursor: '2024-01-15~NCT09100001' }),
    );
    expect(later('nav.pager a').attr('href')).toBe('/ui/reports/results-due?on=2024-03-01');
  });
});
