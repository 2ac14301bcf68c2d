import * as cheerio from 'cheerio';
import { LEGACY_FACTS, LEGACY_PAIR, recorded } from '../testing/recorded-changes.js';
import { describeEnrollmentHistory, enrollmentChart, enrollmentHistory } from './enrollment.js';

const DOMAIN = { start: Date.parse('2016-06-14T00:00:00.000Z'), end: Date.parse('2026-01-15T00:00:00.000Z') };

describe('enrollment over time', () => {
  it('knows the enrollment after every event: registration facts, then each update', () => {
    expect(enrollmentHistory(LEGACY_PAIR)).toEqual([
      { at: '2016-06-14T00:00:00.000Z', value: { count: 500, type: 'ESTIMATED' } },
      { at: '2017-06-16T00:00:00.000Z', value: { count: 1000, type: 'ESTIMATED' } },
    ]);
    expect(describeEnrollmentHistory(enrollmentHistory(LEGACY_PAIR))).toBe(
      '500 (estimated) → 1000 (estimated), over 1 change.',
    );
  });

  it('skips counts the source did not give', () => {
    const changes = recorded([
      { at: '2016-06-14T00:00:00.000Z', event: LEGACY_PAIR[0]!.event },
      {
        at: '2019-01-01T00:00:00.000Z',
        event: {
          type: 'trial.enrollment-updated',
          schemaVersion: 1,
          data: { from: { count: 500, type: 'ESTIMATED' }, to: { count: null, type: 'ACTUAL' } },
        },
      },
      {
        at: '2020-01-01T00:00:00.000Z',
        event: {
          type: 'trial.enrollment-updated',
          schemaVersion: 1,
          data: { from: { count: 500, type: 'ESTIMATED' }, to: { count: 480, type: 'ACTUAL' } },
        },
      },
    ]);
    expect(enrollmentHistory(changes).map((known) => known.value)).toEqual([
      { count: 500, type: 'ESTIMATED' },
      { count: 480, type: 'ACTUAL' },
    ]);
  });

  it('charts an enrollment the first snapshot left out and a later record gave (learned)', () => {
    const changes = recorded([
      {
        at: '2016-06-14T00:00:00.000Z',
        event: { type: 'trial.registered', schemaVersion: 2, data: { facts: { ...LEGACY_FACTS, enrollment: null } } },
      },
      {
        at: '2017-06-16T00:00:00.000Z',
        event: {
          type: 'trial.facts-learned',
          schemaVersion: 1,
          data: { facts: { enrollment: { count: 500, type: 'ESTIMATED' } } },
        },
      },
    ]);
    const history = enrollmentHistory(changes);
    expect(history).toEqual([{ at: '2017-06-16T00:00:00.000Z', value: { count: 500, type: 'ESTIMATED' } }]);
    expect(describeEnrollmentHistory(history)).toBe(
      '500 (estimated), as given since the record of 16 Jun 2017; never changed.',
    );
  });

  it('charts estimated and actual counts on a scale from zero', () => {
    const $ = cheerio.load(enrollmentChart(LEGACY_PAIR, DOMAIN).value);
    expect(
      $('.point-label')
        .map((_, label) => $(label).text())
        .get(),
    ).toEqual(['500 (estimated)', '1000 (estimated)']);
    expect(
      $('.value-axis text')
        .map((_, text) => $(text).text())
        .get(),
    ).toEqual(['0', '500', '1,000']);
    expect($('.chart-summary').text()).toBe('500 (estimated) → 1000 (estimated), over 1 change.');
  });

  it('ends the series where the registry removed the enrollment, and says so in words', () => {
    const changes = recorded([
      ...LEGACY_PAIR.map((change) => ({ at: change.occurredAt, event: change.event })),
      {
        at: '2021-01-01T00:00:00.000Z',
        event: {
          type: 'trial.enrollment-updated',
          schemaVersion: 1,
          data: { from: { count: 1000, type: 'ESTIMATED' }, to: null },
        },
      },
    ]);
    const history = enrollmentHistory(changes);
    expect(history.at(-1)).toEqual({ at: '2021-01-01T00:00:00.000Z', value: null });
    expect(describeEnrollmentHistory(history)).toBe(
      '500 (estimated) → 1000 (estimated), over 1 change; removed in the record of 1 Jan 2021.',
    );
    const $ = cheerio.load(enrollmentChart(changes, DOMAIN).value);
    const ends = $('line.step')
      .map((_, line) => $(line).attr('x2'))
      .get();
    expect(ends).toHaveLength(2);
    expect(Number.parseFloat(ends[1]!)).toBeLessThan(60);
    expect(
      $('.point-label')
        .map((_, label) => $(label).text())
        .get(),
    ).toEqual(['500 (estimated)', '1000 (estimated)']);
    expect($('desc').text()).toContain('From 1 Jan 2021: removed from the registry record.');
    expect($('details table tbody tr').last().text().replace(/\s+/g, ' ').trim()).toBe('1 Jan 2021 Removed');
  });

  it('says so when no snapshot gave an enrollment', () => {
    const $ = cheerio.load(enrollmentChart([], DOMAIN).value);
    expect($('.chart-summary').text()).toBe('No snapshot has given the enrollment yet.');
    expect($('svg')).toHaveLength(0);
  });
});
