import {
  enrollmentUpdated,
  factsLearned,
  overallStatusChanged,
  primaryCompletionDateChanged,
  trialRegistered,
} from '../events/index.js';
import { estimated, NCT_ID } from '../testing/trial-facts.js';
import { baselineOf } from './baseline.js';

describe('first registered versus current', () => {
  it('gives the first known value, the current one and the registry changes in between', () => {
    const baseline = baselineOf([
      {
        event: trialRegistered({
          facts: {
            nctId: NCT_ID,
            overallStatus: 'NOT_YET_RECRUITING',
            enrollment: { count: 300, type: 'ESTIMATED' },
            primaryCompletionDate: estimated('2024-06'),
          },
        }),
        occurredAt: '2022-01-10T00:00:00.000Z',
      },
      {
        event: overallStatusChanged({
          from: 'NOT_YET_RECRUITING',
          to: 'RECRUITING',
          whyStopped: null,
          lastKnownStatus: null,
        }),
        occurredAt: '2022-05-01T00:00:00.000Z',
      },
      {
        event: primaryCompletionDateChanged({ from: estimated('2024-06'), to: estimated('2025-06') }),
        occurredAt: '2023-02-01T00:00:00.000Z',
      },
      {
        event: primaryCompletionDateChanged({ from: estimated('2025-06'), to: estimated('2026-01') }),
        occurredAt: '2024-03-01T00:00:00.000Z',
      },
      {
        event: enrollmentUpdated({ from: { count: 300, type: 'ESTIMATED' }, to: { count: 180, type: 'ACTUAL' } }),
        occurredAt: '2025-01-01T00:00:00.000Z',
      },
      {
        event: factsLearned({ facts: { completionDate: estimated('2026-06') } }),
        occurredAt: '2025-01-01T00:00:00.000Z',
      },
    ]);
    expect(baseline).toEqual([
      {
        field: 'overallStatus',
        first: 'NOT_YET_RECRUITING',
        firstKnownAt: '2022-01-10T00:00:00.000Z',
        current: 'RECRUITING',
        changes: 1,
        lastChangedAt: '2022-05-01T00:00:00.000Z',
      },
      {
        field: 'enrollment',
        first: { count: 300, type: 'ESTIMATED' },
        firstKnownAt: '2022-01-10T00:00:00.000Z',
        current: { count: 180, type: 'ACTUAL' },
        changes: 1,
        lastChangedAt: '2025-01-01T00:00:00.000Z',
      },
      {
        field: 'primaryOutcomes',
        first: null,
        firstKnownAt: null,
        current: null,
        changes: 0,
        lastChangedAt: null,
      },
      {
        field: 'primaryCompletionDate',
        first: estimated('2024-06'),
        firstKnownAt: '2022-01-10T00:00:00.000Z',
        current: estimated('2026-01'),
        changes: 2,
        lastChangedAt: '2024-03-01T00:00:00.000Z',
      },
      {
        // Learned, not changed: first known then, with no changes.
        field: 'completionDate',
        first: estimated('2026-06'),
        firstKnownAt: '2025-01-01T00:00:00.000Z',
        current: estimated('2026-06'),
        changes: 0,
        lastChangedAt: null,
      },
    ]);
  });

  it('has no baseline without events', () => {
    expect(baselineOf([])).toBeNull();
  });
});
