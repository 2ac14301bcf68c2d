import {
  eligibilityChanged,
  lastUpdatePostedDateMoved,
  registrationDatesCorrected,
  whyStoppedChanged,
} from '../events/index.js';
import { actual } from '../testing/trial-facts.js';
import { describeEvent, fieldLabel } from './describe-event.js';

describe('describeEvent', () => {
  it('says a value the registry removed went to none, not that it became unknown', () => {
    expect(describeEvent(eligibilityChanged({ maximumAge: { from: '64 Years', to: null } }))).toEqual([
      'Maximum age: 64 Years -> none',
    ]);
    expect(describeEvent(whyStoppedChanged({ from: 'Drug supply interrupted', to: null }))).toEqual([
      'Why stopped: Drug supply interrupted -> none',
    ]);
  });

  it('says a value a newer record gives where the trial held none came from none', () => {
    expect(describeEvent(eligibilityChanged({ maximumAge: { from: null, to: '65 Years' } }))).toEqual([
      'Maximum age: none -> 65 Years',
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

  it('names corrected registration dates as everywhere else: First submitted, First posted', () => {
    const corrected = registrationDatesCorrected({
      studyFirstSubmitDate: { from: '2020-01-01', to: '2020-01-02' },
      studyFirstPostDate: { from: actual('2020-01-05'), to: actual('2020-01-06') },
    });
    expect(describeEvent(corrected)).toEqual([
      'First submitted: 2020-01-01 -> 2020-01-02',
      'First posted: 2020-01-05 (actual) -> 2020-01-06 (actual)',
    ]);
    expect(fieldLabel('registration.studyFirstSubmitDate')).toBe(fieldLabel('studyFirstSubmitDate'));
    expect(fieldLabel('registration.studyFirstPostDate')).toBe(fieldLabel('studyFirstPostDate'));
  });

  it('names the parts of the design and eligibility in the case of every other label', () => {
    expect(
      [
        'design.interventionModel',
        'design.primaryPurpose',
        'eligibility.minimumAge',
        'eligibility.healthyVolunteers',
      ].map(fieldLabel),
    ).toEqual(['Intervention model', 'Primary purpose', 'Minimum age', 'Healthy volunteers']);
  });
});
