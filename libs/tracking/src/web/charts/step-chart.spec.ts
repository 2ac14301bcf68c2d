import * as cheerio from 'cheerio';
import { labelPlacements, marker, stepChartFigure, yPixel } from './step-chart.js';

const DOMAIN = { start: Date.parse('2016-01-01T00:00:00.000Z'), end: Date.parse('2026-01-01T00:00:00.000Z') };
const SCALE = { min: 0, max: 1000, ticks: [0, 500, 1000].map((value) => ({ value, label: String(value) })) };

describe('step chart', () => {
  it('draws a step per point, a riser to the next, and the last step on to the end of the axis', () => {
    const $ = cheerio.load(
      stepChartFigure({
        id: 'chart',
        heading: 'Enrollment',
        summary: 'From 500 to 1000.',
        valueHeading: 'Participants',
        domain: DOMAIN,
        scale: SCALE,
        points: [
          { at: Date.parse('2016-01-01T00:00:00.000Z'), value: 500, kind: 'estimated', label: '500 (estimated)' },
          { at: Date.parse('2021-01-01T00:00:00.000Z'), value: 1000, kind: 'actual', label: '1000 (actual)' },
        ],
      }).value,
    );
    expect(
      $('line.step')
        .map((_, line) => [[$(line).attr('x1'), $(line).attr('x2'), $(line).attr('y1')]])
        .get(),
    ).toEqual([
      ['2%', '50.01%', String(yPixel(SCALE, 500))],
      ['50.01%', '98%', String(yPixel(SCALE, 1000))],
    ]);
    expect($('line.step-riser')).toHaveLength(1);
    expect(
      $('.point')
        .map((_, point) => $(point).attr('data-kind'))
        .get(),
    ).toEqual(['estimated', 'actual']);
    expect(
      $('.point-label')
        .map((_, label) => $(label).text())
        .get(),
    ).toEqual(['500 (estimated)', '1000 (actual)']);
    expect($('figcaption h3').text()).toBe('Enrollment');
    expect(
      $('.chart-legend li')
        .map((_, item) => $(item).text().trim())
        .get(),
    ).toEqual(['Estimated', 'Actual']);
    expect(
      $('details table tbody tr')
        .map((_, row) => $(row).text().replace(/\s+/g, ' ').trim())
        .get(),
    ).toEqual(['1 Jan 2016 500 (estimated)', '1 Jan 2021 1000 (actual)']);
    expect(
      $('.value-axis text')
        .map((_, text) => $(text).text())
        .get(),
    ).toEqual(['0', '500', '1000']);
  });

  it('draws nothing but the caption when there is no value', () => {
    const $ = cheerio.load(
      stepChartFigure({
        id: 'chart',
        heading: 'Completion date',
        summary: 'No snapshot has given this date yet.',
        valueHeading: 'Date',
        domain: DOMAIN,
        scale: SCALE,
        points: [],
      }).value,
    );
    expect($('svg')).toHaveLength(0);
    expect($('.chart-summary').text()).toBe('No snapshot has given this date yet.');
  });

  it('puts higher values higher up', () => {
    expect(yPixel(SCALE, 1000)).toBeLessThan(yPixel(SCALE, 500));
    expect(yPixel({ min: 5, max: 5, ticks: [] }, 5)).toBeGreaterThan(0);
  });

  it('marks estimated values with a hollow circle and actual ones with a filled square', () => {
    expect(marker('estimated', '10%', 50).value).toMatch(/^<circle\s+class="marker marker-estimated"/);
    expect(marker('actual', '10%', 50).value).toMatch(/^<rect\s+class="marker marker-actual"/);
    expect(marker('unspecified', '10%', 50).value).toMatch(/^<circle\s+class="marker marker-unspecified"/);
  });

  it('keeps labels clear of the lines and labels of neighbouring points, and inside the chart', () => {
    // A rising staircase of close points: below the marker clears the next step up; the next label goes further up.
    const rising = labelPlacements([2, 5, 8, 70], [140, 100, 60, 30]);
    expect(rising.map((placement) => placement.dy)).toEqual([17, 17, -9, -9]);
    expect(rising.map((placement) => placement.anchor)).toEqual(['start', 'start', 'start', 'end']);
    // A falling one: above clears the next step down.
    expect(labelPlacements([2, 5, 8], [40, 80, 120]).map((placement) => placement.dy)).toEqual([-9, -9, -9]);
    // Far apart, every label sits above its marker.
    expect(labelPlacements([2, 50, 98], [100, 60, 90]).map((placement) => placement.dy)).toEqual([-9, -9, -9]);
    // Same height (a date becoming actual): the second label goes below.
    expect(labelPlacements([2, 4], [100, 100]).map((placement) => placement.dy)).toEqual([-9, 17]);
    // Near the top, below the marker.
    expect(labelPlacements([10], [16])[0]!.dy).toBe(17);
  });
});
