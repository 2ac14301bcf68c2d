import {
  factsLearned,
  primaryCompletionDateChanged,
  primaryOutcomesChanged,
  startDateChanged,
  statusVerifiedDateMoved,
  trialRegistered,
} from '../events/index.js';
import { actual, anOutcome, aTrial, estimated } from '../testing/trial-facts.js';
import { conductDatesAfter, outcomeSwitchOf } from './outcome-switching.js';

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

  it('a time frame changed after the start is a switch after the start, paired before to after', () => {
    const longer = anOutcome('Change in body weight', 'From baseline to week 104');
    const change = primaryOutcomesChanged({ added: [longer], removed: [WEIGHT] });
    const dates = { startDate: actual('2023-03-01'), primaryCompletionDate: estimated('2025-06') };
    expect(outcomeSwitchOf(change, dates, '2024-01-10T00:00:00.000Z')).toEqual({
      timing: 'after-start',
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
    expect(outcomeSwitchOf(change, null, '2025-02-01T00:00:00.000Z')!.timing).toBe('before-start');
  });

  it('other events are not switches', () => {
    expect(outcomeSwitchOf(startDateChanged({ from: null, to: actual('2023-03-01') }), null, '2024-01-01')).toBeNull();
  });
});
