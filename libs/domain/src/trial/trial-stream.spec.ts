import fc from 'fast-check';
import { trialFactsArbitrary } from '../../../../test/support/trial-facts.arbitrary.js';
import type { TrialFacts } from '../snapshot/trial-snapshot.js';
import { aCompleteRecord, aPage } from '../testing/decide-spec.js';
import { NCT_ID, registered } from '../testing/trial-facts.js';
import { advance, decide } from './decide.js';
import {
  foldRecorded,
  keptStateOf,
  loadTrial,
  loadTrialAfter,
  type LoadedTrial,
  type RecordedTrialEvent,
} from './trial-stream.js';

const DAY = 86_400_000;
const dateOf = (index: number) => new Date(Date.UTC(2021, 0, 1) + index * 60 * DAY);
const day = (date: Date) => date.toISOString().slice(0, 10);
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** How each generated record is seen: its registry version in full, an undated page, or a dated page showing part of the version. */
type Seen = 'record' | 'undated-page' | 'dated-page';

/** Each generated record as it is seen, in turn. */
const snapshotsOf = (generated: readonly TrialFacts[], seen: readonly Seen[]) =>
  generated.map((facts, index) => {
    const observedAt = new Date(dateOf(index).getTime() + 3_600_000).toISOString();
    const version: TrialFacts = {
      ...facts,
      overallStatus: facts.overallStatus ?? 'RECRUITING',
      lastUpdatePostDate: { date: day(dateOf(index)), type: 'ACTUAL' },
      lastUpdateSubmitDate: day(new Date(dateOf(index).getTime() - DAY)),
    };
    if (seen[index] === 'undated-page') {
      return aPage({ ...facts, lastUpdatePostDate: null, lastUpdateSubmitDate: null, locations: null }, observedAt);
    }
    if (seen[index] === 'dated-page') {
      return aPage({ ...version, lastUpdateSubmitDate: null, locations: null, keywords: null }, observedAt);
    }
    return aCompleteRecord(version, observedAt);
  });

describe("a trial's stream loaded for deciding", () => {
  it('is the trial each decision left: loaded whole, or from its kept state stored as JSON', () => {
    fc.assert(
      fc.property(
        fc.array(trialFactsArbitrary(), { minLength: 2, maxLength: 6 }),
        fc.array(fc.constantFrom<Seen>('record', 'undated-page', 'dated-page'), { minLength: 6, maxLength: 6 }),
        (generated, seen) => {
          const nctId = generated[0]!.nctId;
          const stream: RecordedTrialEvent[] = [];
          let trial: LoadedTrial = loadTrial(nctId, []);
          for (const [index, snapshot] of snapshotsOf(generated, seen).entries()) {
            const fromStream = loadTrial(nctId, stream, trial.lastObservedAt ? new Date(trial.lastObservedAt) : null);
            const fromKept = loadTrialAfter(
              nctId,
              { version: trial.version, data: json(keptStateOf(trial)) },
              [],
              trial.lastObservedAt ? new Date(trial.lastObservedAt) : null,
            );
            expect(fromStream.shownAt).toEqual(trial.shownAt);
            expect(fromStream.versionShown).toEqual(trial.versionShown);
            const decision = decide(fromStream, snapshot);
            expect(json(decide(fromKept, snapshot))).toEqual(json(decision));
            expect(json(decide(trial, snapshot))).toEqual(json(decision));
            if ('occurredAt' in decision) {
              for (const event of decision.events) {
                stream.push({
                  ...json({ type: event.type, schemaVersion: event.schemaVersion, data: event.data }),
                  streamVersion: stream.length + 1,
                  occurredAt: new Date(decision.occurredAt),
                  metadata: {
                    snapshotId: `snapshot-${index}`,
                    dated: decision.observedAt === null,
                    complete: decision.complete,
                    observedAt: snapshot.source.observedAt,
                  },
                });
              }
            }
            trial = advance(trial, decision);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a stored event this version cannot read', () => {
  const first = registered();
  const stream = (unknown: { type: string; schemaVersion: number }): RecordedTrialEvent[] => [
    {
      type: first.type,
      schemaVersion: first.schemaVersion,
      data: json(first.data),
      streamVersion: 1,
      occurredAt: dateOf(0),
    },
    { ...unknown, data: {}, streamVersion: 2, occurredAt: dateOf(1) },
  ];

  it.each([
    { type: 'trial.renamed-by-a-later-version', schemaVersion: 1 },
    { type: first.type, schemaVersion: first.schemaVersion + 1 },
  ])(
    'stops the fold that decides on a snapshot with event.unreadable ($type v$schemaVersion), never skipped',
    (unknown) => {
      expect(() => loadTrial(NCT_ID, stream(unknown))).toThrow(expect.objectContaining({ code: 'event.unreadable' }));
      expect(() => foldRecorded(stream(unknown), undefined, { strict: true })).toThrow(
        expect.objectContaining({ code: 'event.unreadable' }),
      );
      // Read models skip it.
      expect(foldRecorded(stream(unknown))).toEqual(foldRecorded(stream(unknown).slice(0, 1)));
    },
  );
});
