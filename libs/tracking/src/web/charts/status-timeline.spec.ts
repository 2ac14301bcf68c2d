import * as cheerio from 'cheerio';
import type { StatusPeriod } from '../../read-models/index.js';
import { describePeriod, statusBadge, statusTimeline } from './status-timeline.js';

const DOMAIN = { start: Date.parse('2016-01-01T00:00:00.000Z'), end: Date.parse('2026-01-01T00:00:00.000Z') };

const PERIODS: StatusPeriod[] = [
  {
    status: 'NOT_YET_RECRUITING',
    from: '2016-01-01T00:00:00.000Z',
    to: '2016-01-21T00:00:00.000Z',
    days: 20,
    current: false,
  },
  {
    status: 'RECRUITING',
    from: '2016-01-21T00:00:00.000Z',
    to: '2021-01-01T00:00:00.000Z',
    days: 1807,
    current: false,
  },
  { status: 'ACTIVE_NOT_RECRUITING', from: '2021-01-01T00:00:00.000Z', to: null, days: 1826, current: true },
];

const render = (periods: StatusPeriod[]) => cheerio.load(statusTimeline(periods, DOMAIN, 'timeline').value);

describe('status timeline', () => {
  it('draws one band per period, each labelled with its status, dates and duration in words', () => {
    const $ = render(PERIODS);
    const bands = $('g.status-band');
    expect(bands).toHaveLength(3);
    expect(bands.map((_, band) => $(band).find('text.band-label').text().trim()).get()).toEqual([
      'Not yet recruiting',
      'Recruiting',
      'Active, not recruiting (current)',
    ]);
    expect($(bands[0]).find('text.band-dates').text()).toBe('1 Jan 2016 – 21 Jan 2016 · 20 days');
    expect($(bands[2]).find('text.band-dates').text()).toBe('1 Jan 2021 – today · 5 years');
    expect($(bands[2]).attr('data-current')).toBe('true');
  });

  it('places each band on the time axis, its colour from the palette, a short one still visible', () => {
    const $ = render(PERIODS);
    const rects = $('rect.band');
    expect(rects.map((_, rect) => $(rect).attr('x')).get()).toEqual(['2%', '2.53%', '50.01%']);
    expect($(rects[2]).attr('width')).toBe('47.99%');
    expect($(rects[1]).attr('fill')).toBe('#1b7a3a');
    expect($('rect.band-start').first().attr('width')).toBe('3');
  });

  it('describes the whole timeline in text for screen readers', () => {
    const $ = render(PERIODS);
    expect($('svg').attr('role')).toBe('img');
    expect($('svg').attr('aria-labelledby')).toBe('timeline-title timeline-desc');
    expect($('#timeline-desc').text()).toContain(
      'Recruiting from 21 Jan 2016 to 1 Jan 2021: 1,807 days (4 years 11 months)',
    );
    expect(describePeriod(PERIODS[2]!)).toBe('Active, not recruiting from 1 Jan 2021 to today: 1,826 days (5 years)');
  });

  it('escapes a status it does not know, and says so when there is none', () => {
    const $ = render([{ ...PERIODS[0]!, status: '<b>ODD</b>' }]);
    expect($('b')).toHaveLength(0);
    expect($('text.band-label').text()).toBe('<b>odd</b>');
    expect(statusTimeline([], DOMAIN, 'timeline').value).toContain('No overall status has been recorded');
  });

  it('shows a status badge as a swatch beside the words', () => {
    const $ = cheerio.load(statusBadge('TERMINATED').value);
    expect($('.status-badge').text().trim()).toBe('Terminated');
    expect($('rect').attr('fill')).toBe('#b3261e');
  });
});
