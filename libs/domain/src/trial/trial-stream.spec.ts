import fc from 'fast-check';
import { trialFactsArbitrary } from '../../../../test/support/trial-facts.arbitrary.js';
import type { TrialFacts, TrialSnapshot } from '../snapshot/trial-snapshot.js';
import { aCompleteRecord, aPage } from '../testing/decide-spec.js';
import { actual, aTrial, NCT_ID, registered } from '../testing/trial-facts.js';
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

/**
 * Each generated record as it is seen, in turn; those of one document (its first record's index) are
 * observed together.
 */
const snapshotsOf = (generated: readonly TrialFacts[], seen: readonly Seen[], documentOf: readonly number[]) =>
  generated.map((facts, index) => {
    const observedAt = new Date(dateOf(documentOf[index]!).getTime() + 3_600_000).toISOString();
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
  it('is the trial each decision left: loaded whole, or from its kept state stored as JSON, documents showing it more than once included', () => {
    fc.assert(
      fc.property(
        fc.array(trialFactsArbitrary(), { minLength: 2, maxLength: 6 }),
        fc.array(fc.constantFrom<Seen>('record', 'undated-page', 'dated-page'), { minLength: 6, maxLength: 6 }),
        // Whether each record is in the document of the one before it.
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (generated, seen, inDocumentBefore) => {
          const nctId = generated[0]!.nctId;
          const documentOf: number[] = [];
          for (const index of generated.keys())
            documentOf.push(index > 0 && inDocumentBefore[index] ? documentOf[index - 1]! : index);
          const stream: RecordedTrialEvent[] = [];
          let trial: LoadedTrial = loadTrial(nctId, []);
          for (const [index, snapshot] of snapshotsOf(generated, seen, documentOf).entries()) {
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
                    snapshotId: `snapshot-${documentOf[index]}`,
                    snapshotIndex: index - documentOf[index]!,
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

describe('a document showing one trial more than once', () => {
  /** The events of each decision, stamped as ingestion stamps them: one document, one snapshot id. */
  const ingested = (
    trial: LoadedTrial,
    stream: RecordedTrialEvent[],
    snapshotId: string,
    snapshots: TrialSnapshot[],
  ) => {
    for (const [snapshotIndex, snapshot] of snapshots.entries()) {
      const decision = decide(trial, snapshot);
      if ('occurredAt' in decision) {
        for (const event of decision.events) {
          stream.push({
            ...json({ type: event.type, schemaVersion: event.schemaVersion, data: event.data }),
            streamVersion: stream.length + 1,
            occurredAt: new Date(decision.occurredAt),
            metadata: {
              snapshotId,
              contentSha256: snapshot.source.contentSha256,
              format: snapshot.source.format,
              source: 'upload',
              observedAt: snapshot.source.observedAt,
              snapshotIndex,
              dated: decision.observedAt === null,
              complete: decision.complete,
              correlationId: snapshotId,
              causationId: snapshotId,
            },
          });
        }
      }
      trial = advance(trial, decision);
    }
    return trial;
  };

  const registeredOn = '2024-04-05T09:00:00.000Z';
  const observed = '2024-06-10T09:00:00.000Z';
  const newVersion = { lastUpdatePostDate: actual('2024-06-01'), lastUpdateSubmitDate: '2024-05-31' };
  /** A page of the newer version showing its status and title only. */
  const datedPage = aPage(
    {
      ...aTrial({ ...newVersion, overallStatus: 'ACTIVE_NOT_RECRUITING' }),
      ...Object.fromEntries(
        ['acronym', 'briefSummary', 'officialTitle', 'enrollment', 'locations', 'keywords', 'conditions'].map(
          (field) => [field, null],
        ),
      ),
    } as TrialFacts,
    observed,
    'ctgov-api-v2-json',
  );
  const undated = (facts: Partial<TrialFacts>) =>
    aPage(
      {
        ...Object.fromEntries(Object.keys(aTrial()).map((field) => [field, null])),
        nctId: NCT_ID,
        ...facts,
      } as TrialFacts,
      observed,
      'ctgov-api-v2-json',
    );

  it.each([
    {
      shows: 'a dated page of a version, then its complete record',
      snapshots: [
        datedPage,
        aCompleteRecord(
          aTrial({ ...newVersion, overallStatus: 'ACTIVE_NOT_RECRUITING', enrollment: { count: 310, type: 'ACTUAL' } }),
          observed,
        ),
      ],
    },
    {
      shows: 'an undated page, then another undated page of other fields',
      snapshots: [
        undated({ overallStatus: 'ACTIVE_NOT_RECRUITING' }),
        undated({
          briefTitle: 'Semaglutide in Adults With Obesity (STEP-X)',
          enrollment: { count: 310, type: 'ACTUAL' },
        }),
      ],
    },
    {
      shows: 'a dated page of a version, then an undated page',
      snapshots: [datedPage, undated({ acronym: 'STEP-Y', enrollment: { count: 310, type: 'ACTUAL' } })],
    },
  ])('is loaded from its stored events as each decision left it: $shows', ({ snapshots }) => {
    const stream: RecordedTrialEvent[] = [];
    const first = ingested(loadTrial(NCT_ID, []), stream, 'first-document', [aCompleteRecord(aTrial(), registeredOn)]);
    const advanced = ingested(first, stream, 'second-document', snapshots);
    const loaded = loadTrial(NCT_ID, stream, advanced.lastObservedAt ? new Date(advanced.lastObservedAt) : null);

    expect(loaded.state).toEqual(advanced.state);
    expect(loaded.shownAt).toEqual(advanced.shownAt);
    expect(loaded.versionShown).toEqual(advanced.versionShown);
    // The next snapshot is decided alike, whether the state was kept or the stream folded anew.
    for (const next of [
      aCompleteRecord(
        aTrial({ ...newVersion, overallStatus: 'ACTIVE_NOT_RECRUITING', acronym: 'STEP-Z' }),
        '2024-06-20T00:00:00.000Z',
      ),
      aCompleteRecord(
        aTrial({ lastUpdatePostDate: actual('2024-07-01'), lastUpdateSubmitDate: '2024-06-30', acronym: 'STEP-Z' }),
        '2024-07-02T00:00:00.000Z',
      ),
    ]) {
      expect(json(decide(loaded, next))).toEqual(json(decide(advanced, next)));
    }
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
