import * as cheerio from 'cheerio';
import { recorded, LEGACY_FACTS, LEGACY_PAIR } from '../testing/recorded-changes.js';
import { dateSlipChart, describeDateHistory, plannedDateHistory, pointKindOf } from './date-slips.js';

const DOMAIN = { start: Date.parse('2016-06-14T00:00:00.000Z'), end: Date.parse('2026-01-15T00:00:00.000Z') };

describe('date slips', () => {
  it('knows each planned date after every event: from the registration facts, then from its change events', () => {
    expect(plannedDateHistory(LEGACY_PAIR, 'primaryCompletionDate')).toEqual([
      { at: '2016-06-14T00:00:00.000Z', value: { date: '2017-12', type: 'ESTIMATED' } },
      { at: '2017-06-16T00:00:00.000Z', value: { date: '2018-06', type: 'ESTIMATED' } },
    ]);
    expect(plannedDateHistory(LEGACY_PAIR, 'completionDate')).toEqual([
      { at: '2017-06-16T00:00:00.000Z', value: { date: '2018-06', type: 'ESTIMATED' } },
    ]);
    expect(plannedDateHistory(LEGACY_PAIR, 'startDate')).toEqual([
      { at: '2016-06-14T00:00:00.000Z', value: { date: '2007-08', type: null } },
    ]);
  });

  it('records a date the registry removed (a complete record without it), and a date given again as actual', () => {
    const changes = recorded([
      ...LEGACY_PAIR.slice(0, 1).map((change) => ({ at: change.occurredAt, event: change.event })),
      {
        at: '2018-01-01T00:00:00.000Z',
        event: {
          type: 'trial.primary-completion-date-changed',
          schemaVersion: 1,
          data: { from: { date: '2017-12', type: 'ESTIMATED' }, to: null },
        },
      },
      {
        at: '2018-07-01T00:00:00.000Z',
        event: {
          type: 'trial.primary-completion-date-changed',
          schemaVersion: 1,
          data: { from: null, to: { date: '2017-12', type: 'ACTUAL' } },
        },
      },
    ]);
    expect(plannedDateHistory(changes, 'primaryCompletionDate')).toEqual([
      { at: '2016-06-14T00:00:00.000Z', value: { date: '2017-12', type: 'ESTIMATED' } },
      { at: '2018-01-01T00:00:00.000Z', value: null },
      { at: '2018-07-01T00:00:00.000Z', value: { date: '2017-12', type: 'ACTUAL' } },
    ]);
  });

  it('ends the series where the registry removed the date, and says so in words', () => {
    const changes = recorded([
      ...LEGACY_PAIR.slice(0, 1).map((change) => ({ at: change.occurredAt, event: change.event })),
      {
        at: '2021-01-01T00:00:00.000Z',
        event: {
          type: 'trial.primary-completion-date-changed',
          schemaVersion: 1,
          data: { from: { date: '2017-12', type: 'ESTIMATED' }, to: null },
        },
      },
    ]);
    const history = plannedDateHistory(changes, 'primaryCompletionDate');
    expect(describeDateHistory(history)).toBe(
      'Dec 2017 (estimated), as given since the record of 14 Jun 2016; removed in the record of 1 Jan 2021.',
    );
    const $ = cheerio.load(dateSlipChart(changes, 'primaryCompletionDate', DOMAIN).value);
    const steps = $('line.step')
      .map((_, line) => [[$(line).attr('x1'), $(line).attr('x2')]])
      .get();
    // One step, from the registration to the removal (1 Jan 2021, about half way), not on to today.
    expect(steps).toHaveLength(1);
    expect(steps[0]![0]).toBe('2%');
    expect(Number.parseFloat(steps[0]![1]!)).toBeLessThan(60);
    expect($('line.step-riser')).toHaveLength(0);
    expect(
      $('.point-label')
        .map((_, label) => $(label).text())
        .get(),
    ).toEqual(['Dec 2017 (estimated)']);
    expect($('desc').text()).toContain('From 1 Jan 2021: removed from the registry record.');
    expect(
      $('details table tbody tr')
        .map((_, row) => $(row).text().replace(/\s+/g, ' ').trim())
        .get(),
    ).toEqual(['14 Jun 2016 Dec 2017 (estimated)', '1 Jan 2021 Removed']);
  });

  it('sums a slip up in words', () => {
    expect(describeDateHistory(plannedDateHistory(LEGACY_PAIR, 'primaryCompletionDate'))).toBe(
      'Dec 2017 (estimated) → Jun 2018 (estimated): 6 months later, over 1 change.',
    );
    expect(describeDateHistory(plannedDateHistory(LEGACY_PAIR, 'startDate'))).toBe(
      'Aug 2007, as given since the record of 14 Jun 2016; never changed.',
    );
    expect(describeDateHistory([])).toBe('No snapshot has given this date yet.');
  });

  it('charts December 2017 then June 2018, the later date higher, both marked estimated', () => {
    const $ = cheerio.load(dateSlipChart(LEGACY_PAIR, 'primaryCompletionDate', DOMAIN).value);
    expect($('figure').attr('id')).toBe('slip-primaryCompletionDate');
    expect($('h3').text()).toBe('Primary completion date');
    expect(
      $('.point-label')
        .map((_, label) => $(label).text())
        .get(),
    ).toEqual(['Dec 2017 (estimated)', 'Jun 2018 (estimated)']);
    const [first, second] = $('circle.marker-estimated')
      .map((_, circle) => Number($(circle).attr('cy')))
      .get();
    expect(second).toBeLessThan(first!);
    expect(
      $('.value-axis text')
        .map((_, text) => $(text).text())
        .get(),
    ).toContain('Jan 2018');
  });

  it('tells estimated, actual and unstated dates apart', () => {
    expect(pointKindOf('ESTIMATED')).toBe('estimated');
    expect(pointKindOf('ACTUAL')).toBe('actual');
    expect(pointKindOf(null)).toBe('unspecified');
  });

  it('charts a planned date the first snapshot left out and a later record gave (learned), as the header knows it', () => {
    // A registry page without the date, then the API record of the same trial: the date is learned, not changed.
    const changes = recorded([
      {
        at: '2016-06-14T00:00:00.000Z',
        event: {
          type: 'trial.registered',
          schemaVersion: 2,
          data: { facts: { ...LEGACY_FACTS, primaryCompletionDate: null } },
        },
      },
      {
        at: '2017-06-16T00:00:00.000Z',
        event: {
          type: 'trial.facts-learned',
          schemaVersion: 1,
          data: { facts: { primaryCompletionDate: { date: '2017-12', type: 'ESTIMATED' } } },
        },
      },
      {
        at: '2018-05-11T00:00:00.000Z',
        event: {
          type: 'trial.primary-completion-date-changed',
          schemaVersion: 1,
          data: { from: { date: '2017-12', type: 'ESTIMATED' }, to: { date: '2018-06', type: 'ESTIMATED' } },
        },
      },
    ]);
    const history = plannedDateHistory(changes, 'primaryCompletionDate');
    expect(history).toEqual([
      { at: '2017-06-16T00:00:00.000Z', value: { date: '2017-12', type: 'ESTIMATED' } },
      { at: '2018-05-11T00:00:00.000Z', value: { date: '2018-06', type: 'ESTIMATED' } },
    ]);
    expect(describeDateHistory(history)).toBe(
      'Dec 2017 (estimated) → Jun 2018 (estimated): 6 months later, over 1 change.',
    );
    // A learned fact about another field leaves this date's history alone.
    expect(plannedDateHistory(changes, 'startDate')).toEqual([
      { at: '2016-06-14T00:00:00.000Z', value: { date: '2007-08', type: null } },
    ]);
  });
});
