import {
  diff,
  DOMAIN_EVENT_TYPES,
  evolve,
  factsOf,
  type TrialFacts,
  type TrialSnapshot,
  type TrialState,
} from '@app/domain';
import { parseSnapshots } from '@app/registry-formats';
import { fixtureFiles, RECEIVED_AT, readFixture } from '../../../../../test/support/fixtures.js';
import { factColumnsOf } from '../repositories/current-state.repository.js';
import { COLUMN_EVENTS } from './current-state.projection.js';

/** Every record of the fixtures: API v2 studies, the legacy XML pair and registry pages of each layout. */
const records: TrialFacts[] = [
  ...fixtureFiles('ctgov-api-v2', '.json').map((name) => readFixture('ctgov-api-v2', name)),
  ...fixtureFiles('ctgov-legacy-xml', '.xml').map((name) => readFixture('ctgov-legacy-xml', name)),
  ...fixtureFiles('registry-pages', '.txt').map((name) => readFixture('registry-pages', name)),
].flatMap((text) =>
  parseSnapshots(text, { receivedAt: RECEIVED_AT }).map((snapshot) => factsOf(snapshot as TrialSnapshot)),
);

describe('current state: events that change no column', () => {
  it('leave every column as it was, for every change between any two fixture records', () => {
    const neutralSeen = new Set<string>();
    for (const from of records) {
      for (const to of records) {
        if (from === to) continue;
        // One trial's record becoming another's: nearly every field changes, each by its own event.
        let state: TrialState = evolve(null, diff(null, from)[0]!);
        for (const event of diff(from, { ...to, nctId: from.nctId })) {
          const next = evolve(state, event);
          if (!COLUMN_EVENTS[event.type]) {
            neutralSeen.add(event.type);
            expect({ type: event.type, columns: factColumnsOf(next) }).toEqual({
              type: event.type,
              columns: factColumnsOf(state),
            });
          }
          state = next;
        }
      }
    }
    // The record-to-record changes reach the neutral types that a record's diff can make.
    expect([...neutralSeen].sort()).toEqual(
      expect.arrayContaining([
        'trial.eligibility-changed',
        'trial.last-update-posted-date-moved',
        'trial.primary-outcomes-changed',
        'trial.start-date-changed',
        'trial.summary-changed',
      ]),
    );
  });

  it('name every event type, so that a new one must be placed', () => {
    expect(Object.keys(COLUMN_EVENTS).sort()).toEqual([...DOMAIN_EVENT_TYPES].sort());
  });
});
