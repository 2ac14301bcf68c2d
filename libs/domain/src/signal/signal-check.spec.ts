import { estimated } from '../testing/trial-facts.js';
import { checkSignals, type SignalCheckInputs, signalsOn } from './signal-check.js';

const inputs: SignalCheckInputs = {
  resultsDueDate: '2025-03-15',
  resultsReported: false,
  primaryCompletionDate: estimated('2024-03-15'),
  hygieneFrom: { 'status-verification-stale': '2026-07-01' },
};

describe('the daily signal check', () => {
  it('says which signals hold on a day, and since when', () => {
    expect(signalsOn(inputs, '2025-03-15')).toEqual(new Map());
    expect(signalsOn(inputs, '2025-03-16')).toEqual(new Map([['results-overdue', '2025-03-16']]));
    expect(signalsOn(inputs, '2026-07-01')).toEqual(
      new Map([
        ['results-overdue', '2025-03-16'],
        ['status-verification-stale', '2026-07-01'],
      ]),
    );
    expect(signalsOn({ ...inputs, resultsReported: true }, '2026-01-01')).toEqual(new Map());
  });

  it('records a signal once when it starts, not every day it holds', () => {
    const first = checkSignals(inputs, new Map(), '2025-04-01');
    expect(first.started).toEqual([{ signal: 'results-overdue', since: '2025-03-16' }]);
    expect(first.events.map(({ event }) => event)).toEqual([
      {
        type: 'trial.results-overdue',
        schemaVersion: 1,
        data: { dueDate: '2025-03-15', primaryCompletionDate: estimated('2024-03-15') },
      },
    ]);
    const again = checkSignals(inputs, new Map([['results-overdue', '2025-03-16']]), '2025-04-02');
    expect(again).toEqual({ started: [], ended: [], events: [] });
  });

  it('a hygiene flag that ends is recorded as cleared; overdue results end by being posted', () => {
    const recorded = new Map([
      ['results-overdue', '2025-03-16'],
      ['status-verification-stale', '2026-07-01'],
    ] as const);
    const outcome = checkSignals({ ...inputs, resultsReported: true, hygieneFrom: {} }, recorded, '2026-08-01');
    expect(outcome.ended).toEqual(['results-overdue', 'status-verification-stale']);
    expect(outcome.events.map(({ event }) => event.type)).toEqual(['trial.hygiene-flag-cleared']);
  });

  it('lists a flag that ended, at the latest change, before a signal that starts on its own day', () => {
    const recorded = new Map([['gone-from-registry', '2024-05-03']] as const);
    const outcome = checkSignals({ ...inputs, resultsDueDate: null }, recorded, '2026-07-02');
    expect(outcome.events.map(({ event, since }) => [event.type, since])).toEqual([
      ['trial.hygiene-flag-cleared', null],
      ['trial.hygiene-flag-raised', '2026-07-01'],
    ]);
  });

  it('a check of a day before a signal started leaves its record alone', () => {
    const recorded = new Map([['results-overdue', '2025-03-16']] as const);
    expect(checkSignals(inputs, recorded, '2024-01-10')).toEqual({ started: [], ended: [], events: [] });
  });

  it('a trial merged into another is flagged from the day the check sees it', () => {
    const merged = { ...inputs, resultsDueDate: null, hygieneFrom: { 'merged-into-another': '0001-01-01' } };
    expect(checkSignals(merged, new Map(), '2026-02-03').events.map(({ event }) => event)).toEqual([
      {
        type: 'trial.hygiene-flag-raised',
        schemaVersion: 1,
        data: { flag: 'merged-into-another', since: '2026-02-03' },
      },
    ]);
  });
});
