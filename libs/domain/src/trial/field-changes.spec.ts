import { type DomainEvent, enrollmentUpdated, factsLearned, trialRegistered } from '../events/index.js';
import { aTrial } from '../testing/trial-facts.js';
import { fieldChangesOf, TYPES_WITHOUT_FIELD_CHANGES } from './field-changes.js';

describe('field changes', () => {
  it('come from no registration, whatever its facts: readers of changes may skip their data', () => {
    const registrations: DomainEvent[] = [
      trialRegistered({ facts: aTrial() }),
      trialRegistered({ facts: aTrial({ conditions: ['Obesity'], startDate: null }) }),
    ];
    for (const registration of registrations) {
      expect(TYPES_WITHOUT_FIELD_CHANGES).toContain(registration.type);
      expect(fieldChangesOf(registration)).toEqual([]);
    }
  });

  it('come from learned facts, one per fact, and from each change of the registry', () => {
    expect(fieldChangesOf(factsLearned({ facts: { briefSummary: 'From a page.', phases: ['PHASE2'] } }))).toEqual([
      { field: 'briefSummary', from: null, to: 'From a page.', learned: true },
      { field: 'phases', from: null, to: ['PHASE2'], learned: true },
    ]);
    const enrollment = enrollmentUpdated({ from: { count: 10, type: 'ESTIMATED' }, to: { count: 20, type: 'ACTUAL' } });
    expect(fieldChangesOf(enrollment)).toEqual([{ field: 'enrollment', ...enrollment.data }]);
    for (const event of [factsLearned({ facts: { phases: [] } }), enrollment])
      expect(TYPES_WITHOUT_FIELD_CHANGES).not.toContain(event.type);
  });
});
