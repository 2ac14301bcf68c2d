import {
  type DomainEvent,
  factsLearned,
  primaryCompletionDateChanged,
  primaryOutcomesChanged,
  startDateChanged,
  statusVerifiedDateMoved,
  trialRegistered,
} from '../events/index.js';
import { actual, anOutcome, aTrial, estimated } from '../testing/trial-facts.js';
import { CONDUCT_DATE_FACTS, conductDatesAfter, outcomeSwitchOf } from './outcome-switching.js';

const WEIGHT = anOutcome('Change in body weight', 'From baseline to week 68');

describe('outcome switching', () => {
  it('follows the start and primary completion dates through registration, changes and learned facts', () => {
    let dates = conductDatesAfter(null, trialRegistered({ facts: aTrial({ startDate: null }) }));
    expect(dates).toEqual({ startDate: null, primaryCompletionDate: estimated('2025-06') });
    dates = conductDatesAfter(dates, factsLearned({ facts: { startDate: actual('2023-03-01') } }));
    expect(dates.startDate).toEqual(actual('2023-03-01'));
    dates = conductDatesAfter(dates, startDateChanged({ from: actual('2023-03-01'), to: actual('2023-04-01') }));
    dates = conductDatesAfter(
      dates,
      primaryCompletionDateChanged({ from: estimated('2025-06'), to: actual('2025-07-15') }),
    );
    expect(dates).toEqual({ startDate: actual('2023-04-01'), primaryCompletionDate: actual('2025-07-15') });
    expect(conductDatesAfter(dates, statusVerifiedDateMoved({ from: '2024-01', to: '2024-02' }))).toBe(dates);
  });

  it('follows the same dates when only the conduct-date facts of registrations and learned facts are loaded', () => {
    const stream: DomainEvent[] = [
      trialRegistered({ facts: aTrial({ startDate: estimated('2023-01'), conditions: ['Obesity'] }) }),
      factsLearned({ facts: { briefSummary: 'From a page.' } }),
      factsLearned({ facts: { startDate: actual('2023-03-01'), phases: ['PHASE2'] } }),
      primaryCompletionDateChanged({ from: estimated('2025-06'), to: actual('2025-07-15') }),
      factsLearned({ facts: { primaryCompletionDate: null } }),
    ];
    const withDateFactsOnly = (event: DomainEvent): DomainEvent => {
      const data = event.data as { facts?: Record<string, unknown> };
      if (!data.facts) return event;
      const facts = Object.fromEntries(Object.entries(data.facts).filter(([key]) => CONDUCT_DATE_FACTS.includes(key)));
      return { ...event, data: { ...data, facts } } as DomainEvent;
    };
    const follow = (events: DomainEvent[]) => {
      const seen = [];
      let dates = null;
      for (const event of events) seen.push((dates = conductDatesAfter(dates, event)));
      return seen;
    };
    const reduced = stream.map(withDateFactsOnly);
    expect(JSON.stringify(reduced)).not.toEqual(JSON.stringify(stream));
    expect(follow(reduced)).toEqual(follow(stream));
    expect(follow(stream).at(-1)).toEqual({ startDate: actual('2023-03-01'), primaryCompletionDate: null });
  });

  it('a time frame changed after the start is a switch after the start, paired before to after', () => {
    const longer = anOutcome('Change in body weight', 'From baseline to week 104');
    const change = primaryOutcomesChanged({ added: [longer], removed: [WEIGHT] });
    const dates = { startDate: actual('2023-03-01'), primaryCompletionDate: estimated('2025-06') };
    expect(outcomeSwitchOf(change, dates, '2024-01-10T00:00:00.000Z')).toEqual({
      timing: 'after-start',
      datesThen: dates,
      added: [],
      removed: [],
      timeFrameChanged: [{ before: WEIGHT, after: longer }],
      reworded: [],
    });
  });

  it('places a change before the start, and after primary completion, by the dates as they stood', () => {
    const change = primaryOutcomesChanged({ added: [anOutcome('HbA1c', '26 weeks')], removed: [] });
    const dates = { startDate: estimated('2023-03'), primaryCompletionDate: actual('2024-12-01') };
    expect(outcomeSwitchOf(change, dates, '2023-01-10T00:00:00.000Z')!.timing).toBe('before-start');
    expect(outcomeSwitchOf(change, dates, '2025-02-01T00:00:00.000Z')!.timing).toBe('after-primary-completion');
    expect(outcomeSwitchOf(change, null, '2025-02-01T00:00:00.000Z')).toMatchObject({
      timing: 'before-start',
      datesThen: { startDate: null, primaryCompletionDate: null },
    });
  });

  it('other events are not switches', () => {
    expect(outcomeSwitchOf(startDateChanged({ from: null, to: actual('2023-03-01') }), null, '2024-01-01')).toBeNull();
  });
});
