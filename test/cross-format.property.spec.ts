import fc from 'fast-check';
import {
  type Design,
  type Eligibility,
  emptyFacts,
  FACT_FIELDS,
  factsOf,
  sameValue,
  type SnapshotDecision,
  type TrialFacts,
  type TrialSnapshot,
} from '@app/domain';
import { ingestAll, parseSnapshot as parse } from './support/snapshots-in-turn.js';
import { apiV2Study } from './support/render-api-v2.js';
import { trialFactsArbitrary } from './support/trial-facts.arbitrary.js';

const changeTypes = (decision: SnapshotDecision) =>
  decision.events.filter((e) => e.type !== 'trial.facts-learned').map((e) => e);

const statesSomething = (module: object | null): boolean =>
  module !== null && Object.values(module).some((value) => value !== null);
const versioned = (facts: TrialFacts, posted = '2025-06-02'): TrialFacts => ({
  ...facts,
  overallStatus: facts.overallStatus ?? 'RECRUITING',
  hasResults: facts.hasResults ?? false,
  enrollment: facts.enrollment?.count == null ? null : facts.enrollment,
  // a module that states nothing is no module
  design: statesSomething(facts.design) ? facts.design : null,
  eligibility: statesSomething(facts.eligibility) ? facts.eligibility : null,
  // API v2 has one org study id, without a domain
  secondaryIds:
    facts.secondaryIds
      ?.map((item) => (item.type === 'ORG_STUDY_ID' ? { ...item, domain: null } : item))
      .filter(
        (item, index, all) => item.type !== 'ORG_STUDY_ID' || all.findIndex((x) => x.type === 'ORG_STUDY_ID') === index,
      ) ?? null,
  lastUpdatePostDate: { date: posted, type: 'ACTUAL' },
  lastUpdateSubmitDate: '2025-06-01',
});
const fullRecord = (facts: TrialFacts, observedAt = '2025-06-03T00:00:00.000Z') =>
  parse(JSON.stringify(apiV2Study(facts)), observedAt);

/** A page: only the chosen fields, items without their details. */
const pageSnapshot = (facts: TrialFacts, shown: Set<string>, observedAt: string): TrialSnapshot => {
  const view: TrialFacts = emptyFacts(facts.nctId);
  for (const field of FACT_FIELDS) if (shown.has(field)) Object.assign(view, { [field]: facts[field] });
  view.lastUpdatePostDate = facts.lastUpdatePostDate ? { ...facts.lastUpdatePostDate, type: null } : null;
  view.lastUpdateSubmitDate = null;
  for (const f of ['startDate', 'primaryCompletionDate', 'completionDate'] as const)
    view[f] = view[f] ? { ...view[f], type: null } : null;
  view.enrollment = view.enrollment ? { ...view.enrollment, type: null } : null;
  view.primaryOutcomes = view.primaryOutcomes?.map((o) => ({ ...o, timeFrame: null })) ?? null;
  view.interventions = view.interventions?.map((o) => ({ ...o, type: null })) ?? null;
  view.leadSponsor = view.leadSponsor ? { ...view.leadSponsor, class: null } : null;
  view.locations = view.locations?.map((l) => ({ ...l, status: null, state: null })) ?? null;
  view.references = view.references?.map((r) => ({ ...r, type: null })) ?? null;
  view.overallOfficials = view.overallOfficials?.map((o) => ({ ...o, role: null, affiliation: null })) ?? null;
  return {
    ...view,
    source: { format: 'registry-mirror-text', observedAt, contentSha256: 'b'.repeat(64), definitive: [] },
  };
};
const emptyDesign: Design = {
  allocation: null,
  interventionModel: null,
  primaryPurpose: null,
  masking: null,
  observationalModel: null,
  timePerspective: null,
};
const emptyEligibility: Eligibility = {
  minimumAge: null,
  maximumAge: null,
  sex: null,
  healthyVolunteers: null,
  criteria: null,
};
const shownArbitrary = fc.subarray([...FACT_FIELDS]).map((fields) => new Set<string>(fields));

describe('generated facts through API v2', () => {
  it('round-trip: the parsed record says what the facts say', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), (generated) => {
        const facts = versioned(generated);
        const parsed = factsOf(fullRecord(facts));
        const differing = FACT_FIELDS.filter((field) => {
          // a full record states an absent list as none
          const expected = facts[field] ?? (Array.isArray(parsed[field]) ? [] : null);
          return !sameValue(field, expected as never, parsed[field] as never);
        });
        expect({ differing, facts: Object.fromEntries(differing.map((f) => [f, [facts[f], parsed[f]]])) }).toEqual({
          differing: [],
          facts: {},
        });
      }),
      { numRuns: 300 },
    );
  });

  it('page of a version, then its full record: only learned', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), shownArbitrary, (generated, shown) => {
        const facts = versioned(generated);
        const [, second] = ingestAll([pageSnapshot(facts, shown, '2025-06-02T12:00:00.000Z'), fullRecord(facts)]);
        expect(changeTypes(second!)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('full record of a version, then a page of it: only learned', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), shownArbitrary, (generated, shown) => {
        const facts = versioned(generated);
        const [, second] = ingestAll([fullRecord(facts), pageSnapshot(facts, shown, '2025-06-04T12:00:00.000Z')]);
        expect(changeTypes(second!)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('page of a version, then the full record, then the page again: nothing changed', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), shownArbitrary, (generated, shown) => {
        const facts = versioned(generated);
        const decisions = ingestAll([
          pageSnapshot(facts, shown, '2025-06-02T12:00:00.000Z'),
          fullRecord(facts),
          pageSnapshot(facts, shown, '2025-06-04T12:00:00.000Z'),
        ]);
        expect(decisions.slice(1).flatMap(changeTypes)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

/** What another format of the same version may do: reorder lists, re-wrap text, restyle bullets. */
const reformatted = (facts: TrialFacts, seed: number): TrialFacts => {
  const rotate = <T>(items: T[] | null): T[] | null =>
    items && items.length > 1 ? [...items.slice(seed % items.length), ...items.slice(0, seed % items.length)] : items;
  const rewrap = (text: string | null) => (text === null ? null : text.replace(/ /g, seed % 2 ? '\n' : '  '));
  return {
    ...facts,
    briefTitle: rewrap(facts.briefTitle),
    officialTitle: rewrap(facts.officialTitle),
    briefSummary: rewrap(facts.briefSummary),
    whyStopped: rewrap(facts.whyStopped),
    conditions: rotate(facts.conditions),
    keywords: rotate(facts.keywords),
    interventions: rotate(facts.interventions),
    armGroups: rotate(facts.armGroups),
    primaryOutcomes: rotate(facts.primaryOutcomes),
    secondaryOutcomes: rotate(facts.secondaryOutcomes),
    collaborators: rotate(facts.collaborators),
    locations: rotate(facts.locations),
    secondaryIds: rotate(facts.secondaryIds),
    phases: rotate(facts.phases),
    eligibility: facts.eligibility
      ? {
          ...facts.eligibility,
          criteria: facts.eligibility.criteria?.replace(/^\* /gm, '-  ').replace(/\n/g, '\n\n') ?? null,
        }
      : null,
  };
};

describe('the same content in a newer version, formatted differently', () => {
  it('full record, then a reformatted full record of a newer version: only the version moves', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), fc.nat(7), (generated, seed) => {
        const facts = versioned(generated);
        const newer = reformatted(versioned(generated, '2025-09-01'), seed);
        const [, second] = ingestAll([fullRecord(facts), fullRecord(newer, '2025-09-02T00:00:00.000Z')]);
        expect(changeTypes(second!).map((e) => e.type)).toEqual(['trial.last-update-posted-date-moved']);
      }),
      { numRuns: 500 },
    );
  });
  it('page, then a reformatted full record of a newer version: only the version moves', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), shownArbitrary, fc.nat(7), (generated, shown, seed) => {
        const facts = versioned(generated);
        const newer = reformatted(versioned(generated, '2025-09-01'), seed);
        const [, second] = ingestAll([
          pageSnapshot(facts, shown, '2025-06-02T12:00:00.000Z'),
          fullRecord(newer, '2025-09-02T00:00:00.000Z'),
        ]);
        expect(changeTypes(second!).map((e) => e.type)).toEqual(['trial.last-update-posted-date-moved']);
      }),
      { numRuns: 500 },
    );
  });
  it('full record, then a page of a newer version: only the version moves', () => {
    fc.assert(
      fc.property(trialFactsArbitrary(), shownArbitrary, fc.nat(7), (generated, shown, seed) => {
        const facts = versioned(generated);
        const newer = reformatted(versioned(generated, '2025-09-01'), seed);
        const [, second] = ingestAll([fullRecord(facts), pageSnapshot(newer, shown, '2025-09-02T12:00:00.000Z')]);
        expect(changeTypes(second!).map((e) => e.type)).toEqual(['trial.last-update-posted-date-moved']);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parts of the design and eligibility a newer full record adds', () => {
  const DESIGN_PARTS = Object.keys(emptyDesign) as (keyof Design)[];
  const ELIGIBILITY_PARTS = Object.keys(emptyEligibility) as (keyof Eligibility)[];
  const without = <T extends object>(value: T | null, parts: readonly (keyof T)[]): T | null =>
    value === null ? null : { ...value, ...Object.fromEntries(parts.map((part) => [part, null])) };

  it('full record, then a full record of a newer version with parts the first left out: each is announced', () => {
    fc.assert(
      fc.property(
        trialFactsArbitrary(),
        fc.subarray(DESIGN_PARTS),
        fc.subarray(ELIGIBILITY_PARTS),
        (generated, designLeftOut, eligibilityLeftOut) => {
          const newer = versioned(generated, '2025-09-01');
          const older = versioned({
            ...generated,
            design: without(generated.design, designLeftOut),
            eligibility: without(generated.eligibility, eligibilityLeftOut),
          });
          // A module left out whole is not shown, not none: only parts of a module the first record shows.
          fc.pre(older.design !== null || newer.design === null);
          fc.pre(older.eligibility !== null || newer.eligibility === null);
          const [, second] = ingestAll([fullRecord(older), fullRecord(newer, '2025-09-02T00:00:00.000Z')]);
          const added = (event: string, parts: readonly string[], value: object | null) =>
            parts.filter((part) => value !== null && (value as Record<string, unknown>)[part] !== null).length > 0
              ? [event]
              : [];
          expect(changeTypes(second!).map((e) => e.type)).toEqual([
            ...added('trial.design-changed', designLeftOut, newer.design),
            ...added('trial.eligibility-changed', eligibilityLeftOut, newer.eligibility),
            'trial.last-update-posted-date-moved',
          ]);
          const changed = changeTypes(second!).filter(
            (e) => e.type === 'trial.design-changed' || e.type === 'trial.eligibility-changed',
          );
          for (const event of changed) {
            for (const change of Object.values(event.data as Record<string, { from: unknown }>)) {
              expect(change.from).toBeNull();
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
