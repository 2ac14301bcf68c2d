import { eligibilityChanged, lastUpdatePostedDateMoved, whyStoppedChanged } from '../events/index.js';
import { describeEvent } from './describe-event.js';

describe('describeEvent', () => {
  it('says a value the registry removed went to none, not that it became unknown', () => {
    expect(describeEvent(eligibilityChanged({ maximumAge: { from: '64 Years', to: null } }))).toEqual([
      'Maximum Age: 64 Years -> none',
    ]);
    expect(describeEvent(whyStoppedChanged({ from: 'Drug supply interrupted', to: null }))).toEqual([
      'Why stopped: Drug supply interrupted -> none',
    ]);
  });

  it('says a value a newer record gives where the trial held none came from none', () => {
    expect(describeEvent(eligibilityChanged({ maximumAge: { from: null, to: '65 Years' } }))).toEqual([
      'Maximum Age: none -> 65 Years',
    ]);
    expect(describeEvent(whyStoppedChanged({ from: null, to: 'Funding' }))).toEqual(['Why stopped: none -> Funding']);
  });

  it('says a new version whose source shows no posted date does not show it, not that it has none', () => {
    const moved = lastUpdatePostedDateMoved({
      from: { date: '2017-06-16', type: 'ACTUAL' },
      to: null,
      submitDate: { from: '2017-06-15', to: '2018-05-10' },
    });
    expect(describeEvent(moved)[0]).toMatch(/-> unknown$/);
  });
});
