import fc from 'fast-check';
import { trialFactsArbitrary } from '../../../../test/support/trial-facts.arbitrary.js';
import { type DomainEvent, isRegistryChange } from '../events/index.js';
import {
  type Design,
  type Eligibility,
  emptyFacts,
  FACT_FIELDS,
  type FactField,
  type TrialFacts,
  type TrialSnapshot,
} from '../snapshot/trial-snapshot.js';
import { aCompleteRecord, aPage, COMPLETE } from '../testing/decide-spec.js';
import { aTrial, NCT_ID } from '../testing/trial-facts.js';
import { advance, decide } from './decide.js';
import { fieldChangesOf } from './field-changes.js';
import { covers, sameValue, withDetailsOf } from './knowledge.js';
import { loadTrial, type LoadedTrial } from './trial-stream.js';

/*
 * The same registry versions of one trial, seen through any mix of formats, arriving in any order:
 * registry-change events come only from a snapshot of another registry version than the one the trial
 * last reflected (never from the same version seen again through another source), and once the
 * newest version's complete record has arrived the state holds that record.
 */

const DAY = 86_400_000;
const dateOf = (index: number) => new Date(Date.UTC(2021, 0, 1) + index * 60 * DAY);
const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Version `index` of the record: the generated facts with that version's last-update dates, and the
 * fields every registry record has (a status, the results flag).
 */
const versioned = (facts: TrialFacts, index: number): TrialFacts => ({
  ...facts,
  overallStatus: facts.overallStatus ?? 'RECRUITING',
  hasResults: facts.hasResults ?? false,
  // An enrollment without a count says nothing the diff can compare; records give a count.
  enrollment: facts.enrollment?.count == null ? null : facts.enrollment,
  lastUpdatePostDate: { date: day(dateOf(index)), type: 'ACTUAL' },
  lastUpdateSubmitDate: day(new Date(dateOf(index).getTime() - DAY)),
});

/** What a page layout shows of a version: some fields, items without their details. */
const pageView = (facts: TrialFacts, shown: readonly (keyof TrialFacts)[], dated: boolean): TrialFacts => {
  const view: TrialFacts = { ...emptyFacts(facts.nctId) };
  for (const field of shown) Object.assign(view, { [field]: facts[field] });
  view.primaryOutcomes = view.primaryOutcomes?.map((outcome) => ({ ...outcome, timeFrame: null })) ?? null;
  view.locations = view.locations?.map((location) => ({ ...location, city: null, status: null })) ?? null;
  view.leadSponsor = view.leadSponsor ? { ...view.leadSponsor, class: null } : null;
  if (dated) view.lastUpdatePostDate = facts.lastUpdatePostDate ? { ...facts.lastUpdatePostDate, type: null } : null;
  return view;
};

type Format = 'complete' | 'mirror' | 'veeva' | 'limited';

/** One snapshot of version `index` through a format; undated ones are observed while that version was current. */
const snapshotOf = (facts: TrialFacts, index: number, format: Format, observedHour: number): TrialSnapshot => {
  const observedAt = new Date(dateOf(index).getTime() + observedHour * 3_600_000).toISOString();
  switch (format) {
    case 'complete':
      return aCompleteRecord(facts, observedAt);
    case 'mirror':
      return aPage(
        pageView(facts, ['briefTitle', 'overallStatus', 'conditions', 'startDate', 'phases', 'primaryOutcomes'], true),
        observedAt,
        'registry-mirror-text',
      );
    case 'veeva':
      return aPage(
        pageView(
          facts,
          ['briefTitle', 'overallStatus', 'conditions', 'enrollment', 'leadSponsor', 'primaryOutcomes'],
          false,
        ),
        observedAt,
      );
    case 'limited':
      return aPage(
        pageView(facts, ['briefTitle', 'overallStatus', 'conditions', 'studyType', 'locations'], false),
        observedAt,
        'ctgov-api-v2-json',
      );
  }
};

const versionsArbitrary = fc.array(trialFactsArbitrary(), { minLength: 1, maxLength: 3 });
const arrivalsArbitrary = (minLength: number) =>
  fc.array(
    fc.record({
      version: fc.nat(),
      format: fc.constantFrom<Format>('complete', 'mirror', 'veeva', 'limited'),
      hour: fc.integer({ min: 1, max: 1000 }),
    }),
    { minLength, maxLength: 10 },
  );

describe('the same registry versions through any mix of formats, in any order', () => {
  it('registry changes come only between distinct registry versions: each one moves a value of one version to that of another', () => {
    fc.assert(
      fc.property(versionsArbitrary, arrivalsArbitrary(1), (generated, picks) => {
        const versions = generated.map((facts, index) => versioned(facts, index));
        const valuesOf = (field: keyof TrialFacts) => versions.map((version) => JSON.stringify(version[field]));
        let trial: LoadedTrial = loadTrial(versions[0]!.nctId, []);
        for (const pick of picks) {
          const version = pick.version % versions.length;
          const decision = decide(trial, snapshotOf(versions[version]!, version, pick.format, pick.hour));
          for (const event of decision.events) {
            if (event.type === 'trial.overall-status-changed' || event.type === 'trial.study-type-changed') {
              const field = event.type === 'trial.overall-status-changed' ? 'overallStatus' : 'studyType';
              const values = valuesOf(field);
              const [from, to] = [
                values.indexOf(JSON.stringify(event.data.from)),
                values.indexOf(JSON.stringify(event.data.to)),
              ];
              // Both ends are values of versions, and of different versions.
              expect({ field, from: event.data.from, to: event.data.to, found: from >= 0 && to >= 0 }).toMatchObject({
                found: true,
              });
              expect(event.data.from).not.toEqual(event.data.to);
            }
          }
          trial = advance(trial, decision);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the same registry version through every format, in any order, changes nothing after registration', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), arrivalsArbitrary(1), (facts, picks) => {
        const version = versioned(facts, 0);
        let trial: LoadedTrial = loadTrial(version.nctId, []);
        for (const pick of picks) {
          const decision = decide(trial, snapshotOf(version, 0, pick.format, pick.hour));
          const changes = decision.events.filter(
            (event) => event.type !== 'trial.registered' && isRegistryChange(event.type),
          );
          expect(changes).toEqual([]);
          trial = advance(trial, decision);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('what a snapshot taught is known: the same snapshot again, at any point, appends nothing', () => {
    fc.assert(
      fc.property(versionsArbitrary, arrivalsArbitrary(1), (generated, picks) => {
        const versions = generated.map((facts, index) => versioned(facts, index));
        let trial: LoadedTrial = loadTrial(versions[0]!.nctId, []);
        for (const pick of picks) {
          const version = pick.version % versions.length;
          const snapshot = snapshotOf(versions[version]!, version, pick.format, pick.hour);
          trial = advance(trial, decide(trial, snapshot));
          const again = decide(trial, snapshot);
          expect({ format: pick.format, again: again.outcome, events: again.events }).toMatchObject({
            events: [],
          });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('once the newest version arrives as a complete record after the others, the state holds that record', () => {
    fc.assert(
      fc.property(versionsArbitrary, arrivalsArbitrary(0), (generated, picks) => {
        const versions = generated.map((facts, index) => versioned(facts, index));
        const newest = versions.length - 1;
        let trial: LoadedTrial = loadTrial(versions[0]!.nctId, []);
        for (const pick of picks) {
          const version = pick.version % versions.length;
          trial = advance(trial, decide(trial, snapshotOf(versions[version]!, version, pick.format, pick.hour)));
        }
        const record = snapshotOf(versions[newest]!, newest, 'complete', 0);
        trial = advance(trial, decide(trial, record));
        // It holds what the record states (its values, "none" where the formats declare absence so),
        // in at least the record's detail: a detail an earlier source gave and the record leaves out stays.
        for (const field of FACT_FIELDS.filter((name) => record[name] !== null || COMPLETE.includes(name))) {
          const [held, stated] = [trial.state![field], record[field]];
          const holds =
            sameValue(field, held, stated) || sameValue(field, withDetailsOf(field, stated, held) ?? stated, held);
          expect({ field, held, stated, holds }).toMatchObject({ holds: true });
        }
      }),
      { numRuns: 300 },
    );
  });
});

/*
 * Records list items alike in their names: several "Research Site"s of one city that differ in status,
 * sites with and without a facility name, a sponsor in the legacy format's coarse class and in a finer one.
 */
const alikeItems = <T>(item: fc.Arbitrary<T>) => fc.option(fc.array(item, { maxLength: 4 }), { nil: null, freq: 4 });
const withAlikeItems = trialFactsArbitrary().chain((facts) =>
  fc
    .record({
      locations: alikeItems(
        fc.record({
          facility: fc.constantFrom('Research Site', 'Duke University Hospital', null),
          city: fc.constantFrom('Durham', 'Seoul'),
          state: fc.constantFrom('North Carolina', null),
          country: fc.constantFrom('United States', 'Korea, Republic of'),
          status: fc.constantFrom('RECRUITING', 'COMPLETED', 'WITHDRAWN', null),
        }),
      ),
      collaborators: alikeItems(
        fc.record({
          name: fc.constantFrom('Sanofi', 'Brazilian Stroke Network'),
          class: fc.constantFrom('INDUSTRY', 'OTHER', 'NETWORK', null),
        }),
      ),
      primaryOutcomes: alikeItems(
        fc.record({
          measure: fc.constantFrom('mRS at 90 days', 'NIHSS'),
          timeFrame: fc.constantFrom('90 days', '1 year', null),
        }),
      ),
    })
    .map((lists) => ({ ...facts, ...lists })),
);

describe('complete records of successive versions, with items alike in their names', () => {
  it('the trial holds what the newer record states, and a version after it that changes nothing announces nothing', () => {
    fc.assert(
      fc.property(withAlikeItems, withAlikeItems, (first, second) => {
        const versions = [versioned(first, 0), versioned(second, 1), versioned(second, 2)];
        let trial: LoadedTrial = loadTrial(first.nctId, []);
        const decisions = versions.map((version, index) => {
          const decision = decide(trial, snapshotOf(version, index, 'complete', 0));
          trial = advance(trial, decision);
          return decision;
        });
        const record = snapshotOf(versions[2]!, 2, 'complete', 0);
        for (const field of FACT_FIELDS.filter((name) => record[name] !== null || COMPLETE.includes(name))) {
          const [held, stated] = [trial.state![field], record[field]];
          const holds =
            sameValue(field, held, stated) || sameValue(field, withDetailsOf(field, stated, held) ?? stated, held);
          expect({ field, held, stated, holds }).toMatchObject({ holds: true });
        }
        const announced = decisions[2]!.events.filter((event) => isRegistryChange(event.type)).map((e) => e.type);
        expect(announced).toEqual(['trial.last-update-posted-date-moved']);
      }),
      { numRuns: 500 },
    );
  });
});

/*
 * A page shows the design and eligibility in part (the criteria without the age limits, the masking
 * alone): a part it did not show could not have been seen changing, so the next record announces it.
 */
const partsArbitrary = <T extends object>(values: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
  fc.record(values).filter((parts) => Object.values(parts).some((value) => value !== null));
const eligibilityArbitrary = partsArbitrary<Eligibility>({
  minimumAge: fc.constantFrom(null, '18 Years', '21 Years'),
  maximumAge: fc.constantFrom(null, '65 Years', '75 Years'),
  sex: fc.constantFrom(null, 'ALL', 'FEMALE'),
  healthyVolunteers: fc.constantFrom(null, true, false),
  criteria: fc.constantFrom(
    null,
    'Inclusion Criteria:\n\n* BMI of 30 or more',
    'Inclusion Criteria:\n\n* BMI of 27 or more',
  ),
});
const designArbitrary = partsArbitrary<Design>({
  allocation: fc.constantFrom(null, 'RANDOMIZED', 'NA'),
  interventionModel: fc.constantFrom(null, 'PARALLEL', 'CROSSOVER'),
  primaryPurpose: fc.constantFrom(null, 'TREATMENT', 'PREVENTION'),
  masking: fc.constantFrom(null, 'NONE', 'DOUBLE'),
  observationalModel: fc.constant(null),
  timePerspective: fc.constant(null),
});
/** `parts` with only the chosen parts shown. */
const partly = <T extends object>(parts: T, shown: readonly string[]): T =>
  Object.fromEntries(Object.entries(parts).map(([part, value]) => [part, shown.includes(part) ? value : null])) as T;
const movedParts = (before: object, after: object) =>
  Object.keys(after).filter((part) => before[part as never] !== after[part as never]);
const changedParts = (events: readonly DomainEvent[], type: DomainEvent['type']) =>
  events.filter((event) => event.type === type).flatMap((event) => Object.keys(event.data));

describe('a complete record, a page of the next version showing parts of its design and eligibility, then its record', () => {
  it('every part that moved between the records is announced once, and the trial holds the second record', () => {
    fc.assert(
      fc.property(
        fc.tuple(eligibilityArbitrary, eligibilityArbitrary, designArbitrary, designArbitrary),
        fc.subarray(['minimumAge', 'maximumAge', 'sex', 'healthyVolunteers', 'criteria']),
        fc.subarray(['allocation', 'interventionModel', 'primaryPurpose', 'masking']),
        ([eligibility1, eligibility2, design1, design2], shownEligibility, shownDesign) => {
          const first = versioned(aTrial({ eligibility: eligibility1, design: design1 }), 0);
          const second = versioned(aTrial({ eligibility: eligibility2, design: design2 }), 1);
          // Observed after the second version was posted, before its record arrived.
          const page = aPage(
            {
              ...emptyFacts(NCT_ID),
              eligibility: partly(eligibility2, shownEligibility),
              design: partly(design2, shownDesign),
            },
            new Date(dateOf(1).getTime() + 5 * DAY).toISOString(),
          );
          let trial: LoadedTrial = loadTrial(NCT_ID, []);
          const announced: DomainEvent[] = [];
          for (const [index, snapshot] of [
            aCompleteRecord(first, dateOf(0).toISOString()),
            page,
            aCompleteRecord(second, new Date(dateOf(1).getTime() + 10 * DAY).toISOString()),
          ].entries()) {
            const decision = decide(trial, snapshot);
            if (index > 0) announced.push(...decision.events.filter((event) => isRegistryChange(event.type)));
            trial = advance(trial, decision);
          }
          expect({
            eligibility: changedParts(announced, 'trial.eligibility-changed').sort(),
            design: changedParts(announced, 'trial.design-changed').sort(),
            held: { eligibility: trial.state!.eligibility, design: trial.state!.design },
          }).toEqual({
            eligibility: movedParts(eligibility1, eligibility2).sort(),
            design: movedParts(design1, design2).sort(),
            held: { eligibility: eligibility2, design: design2 },
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('a complete record, an undated page of the next version, then that version’s complete record', () => {
  /** What the generated facts say as a full record: a design or eligibility that states nothing is none shown. */
  const recordOf = (facts: TrialFacts, index: number): TrialFacts => {
    const shown = <T extends object>(parts: T | null) =>
      parts !== null && Object.values(parts).some((value) => value !== null) ? parts : null;
    return { ...versioned(facts, index), design: shown(facts.design), eligibility: shown(facts.eligibility) };
  };
  const at = (index: number, days: number) => new Date(dateOf(index).getTime() + days * DAY).toISOString();
  const fieldsOf = (events: readonly DomainEvent[]) =>
    new Set(events.flatMap(fieldChangesOf).map((change) => change.field.split('.')[0]!));
  /** Fields a record states, not the registry's bookkeeping of its versions. */
  const TRIAL_FIELDS = FACT_FIELDS.filter(
    (field) =>
      ![
        'nctId',
        'lastUpdatePostDate',
        'lastUpdateSubmitDate',
        'studyFirstSubmitDate',
        'studyFirstPostDate',
        'resultsFirstPostDate',
        'statusVerifiedDate',
      ].includes(field),
  );

  it('each field that differs between the records is announced, none that does not, and the trial holds the second record', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), trialFactsArbitrary(), fc.subarray(TRIAL_FIELDS), (one, two, shown) => {
        const [first, second] = [recordOf(one, 0), recordOf(two, 1)];
        // A page listing the sites shows where they are, if not their statuses.
        const view = (facts: TrialFacts): TrialFacts => ({
          ...pageView(facts, shown, false),
          locations: shown.includes('locations')
            ? (facts.locations?.map((site) => ({ ...site, status: null })) ?? null)
            : null,
        });
        const page = aPage(view(second), at(1, 5));
        let trial: LoadedTrial = loadTrial(NCT_ID, []);
        const announced: DomainEvent[] = [];
        for (const [index, snapshot] of [
          aCompleteRecord(first, at(0, 0)),
          page,
          aCompleteRecord(second, at(1, 10)),
        ].entries()) {
          const decision = decide(trial, snapshot);
          if (index > 0) announced.push(...decision.events.filter((event) => isRegistryChange(event.type)));
          trial = advance(trial, decision);
        }
        const [r1, r2] = [aCompleteRecord(first), aCompleteRecord(second)];
        const same = (field: FactField) => covers(field, r1[field], r2[field]) && covers(field, r2[field], r1[field]);
        // Values that differ once each has the details the other gives (a date type one record leaves out).
        const differs = (field: FactField) =>
          !sameValue(
            field,
            withDetailsOf(field, r1[field], r2[field]) ?? r1[field],
            withDetailsOf(field, r2[field], r1[field]) ?? r2[field],
          );
        // A design or eligibility a record leaves out entirely is not shown, so neither end of it is compared.
        const compared = TRIAL_FIELDS.filter(
          (field) => COMPLETE.includes(field) || (r1[field] !== null && r2[field] !== null),
        );
        const changed = fieldsOf(announced);
        // A status change carries the reason for stopping and the last known status it comes with.
        if (changed.has('overallStatus')) for (const field of ['whyStopped', 'lastKnownStatus']) changed.add(field);
        expect({
          missed: compared.filter((field) => differs(field) && !changed.has(field)),
          false: compared.filter((field) => same(field) && fieldsOf(announced).has(field)),
          notHeld: compared.filter((field) => !covers(field, trial.state![field], r2[field])),
        }).toEqual({ missed: [], false: [], notHeld: [] });
        // The same page again teaches and changes nothing.
        expect(decide(trial, aPage(view(second), at(1, 15))).events).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
