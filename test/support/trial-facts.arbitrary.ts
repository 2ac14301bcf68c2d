import fc from 'fast-check';
import type { DateStruct, TrialFacts } from '@app/domain';

/*
 * Generated trial facts drawn from small pools, so that two independently generated snapshots
 * share values often enough for "no change" and "some change" to both be common.
 */

const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arbitrary, { nil: null, freq: 4 });
const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const words = pick('Alpha', 'Beta', 'Gamma stroke', 'Delta  trial', 'Epsilon\nstudy', 'Zeta');
const text = fc.array(words, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' '));
const partialDate = pick('2019', '2020-05', '2020-05-14', '2021-01', '2021-11-30', '2023-02-01');
const dateStruct: fc.Arbitrary<DateStruct> = fc.record({ date: partialDate, type: pick('ACTUAL', 'ESTIMATED', null) });
const status = pick('RECRUITING', 'NOT_YET_RECRUITING', 'COMPLETED', 'TERMINATED', 'SUSPENDED', 'UNKNOWN');
const uniqueBy = <T>(arbitrary: fc.Arbitrary<T>, key: (item: T) => string) =>
  fc.uniqueArray(arbitrary, { maxLength: 5, selector: key });

export const trialFactsArbitrary = (nctId = 'NCT01234567'): fc.Arbitrary<TrialFacts> =>
  fc.record({
    nctId: fc.constant(nctId),
    briefTitle: maybe(text),
    officialTitle: maybe(text),
    acronym: maybe(pick('ABC', 'XYZ')),
    briefSummary: maybe(text),
    overallStatus: maybe(status),
    lastKnownStatus: maybe(status),
    whyStopped: maybe(text),
    statusVerifiedDate: maybe(partialDate),
    startDate: maybe(dateStruct),
    primaryCompletionDate: maybe(dateStruct),
    completionDate: maybe(dateStruct),
    studyFirstSubmitDate: maybe(partialDate),
    studyFirstPostDate: maybe(dateStruct),
    lastUpdateSubmitDate: maybe(partialDate),
    lastUpdatePostDate: maybe(dateStruct),
    resultsFirstSubmitDate: maybe(pick('2020-05-14', '2021-11-30')),
    resultsFirstPostDate: maybe(dateStruct),
    hasResults: maybe(fc.boolean()),
    enrollment: maybe(fc.record({ count: maybe(pick(0, 18, 500, 1000)), type: pick('ACTUAL', 'ESTIMATED', null) })),
    studyType: maybe(pick('INTERVENTIONAL', 'OBSERVATIONAL')),
    phases: maybe(fc.uniqueArray(pick('PHASE1', 'PHASE2', 'PHASE3', 'NA'), { minLength: 1, maxLength: 2 })),
    design: maybe(
      fc.record({
        allocation: maybe(pick('RANDOMIZED', 'NA')),
        interventionModel: maybe(pick('PARALLEL', 'SINGLE_GROUP')),
        primaryPurpose: maybe(pick('TREATMENT', 'PREVENTION')),
        masking: maybe(pick('NONE', 'SINGLE', 'QUADRUPLE')),
        observationalModel: maybe(pick('COHORT')),
        timePerspective: maybe(pick('PROSPECTIVE')),
      }),
    ),
    conditions: maybe(fc.uniqueArray(pick('Stroke', 'Lupus', 'Pregnancy', 'Asthma'), { maxLength: 3 })),
    keywords: maybe(fc.uniqueArray(pick('stem cells', 'rehabilitation'), { maxLength: 2 })),
    interventions: maybe(
      uniqueBy(
        fc.record({ type: pick('DRUG', 'BIOLOGICAL'), name: pick('Placebo', 'hUC-MSC', 'Aspirin') }),
        (i) => i.name,
      ),
    ),
    armGroups: maybe(
      uniqueBy(
        fc.record({ label: pick('A', 'B', 'Control'), type: pick('EXPERIMENTAL', 'PLACEBO_COMPARATOR') }),
        (g) => g.label,
      ),
    ),
    primaryOutcomes: maybe(
      uniqueBy(
        fc.record({ measure: pick('mRS at 90 days', 'NIHSS', 'Adverse events'), timeFrame: pick('90 days', '1 year') }),
        (o) => o.measure,
      ),
    ),
    secondaryOutcomes: maybe(
      uniqueBy(
        fc.record({ measure: pick('Barthel index', 'MMSE'), timeFrame: pick('6 months', '1 year') }),
        (o) => o.measure,
      ),
    ),
    eligibility: maybe(
      fc.record({
        minimumAge: maybe(pick('18 Years', '40 Years')),
        maximumAge: maybe(pick('80 Years', '75 Years')),
        sex: maybe(pick('ALL', 'FEMALE')),
        healthyVolunteers: maybe(fc.boolean()),
        criteria: maybe(pick('Inclusion Criteria:\n* Adults', 'Inclusion Criteria:\n* Adults\n* Stroke')),
      }),
    ),
    leadSponsor: maybe(fc.record({ name: pick('Duke University', 'Vinmec'), class: pick('OTHER', 'INDUSTRY') })),
    collaborators: maybe(
      uniqueBy(fc.record({ name: pick('Sanofi', 'NIH'), class: pick('INDUSTRY', 'NIH') }), (s) => s.name),
    ),
    locations: maybe(
      uniqueBy(
        fc.record({
          facility: pick('Xuanwu Hospital', 'Duke University Medical Center', 'Vinmec Times City'),
          city: pick('Beijing', 'Durham', 'Hanoi'),
          state: pick('Beijing', 'North Carolina', null),
          country: pick('China', 'United States', 'Vietnam'),
          status: pick('RECRUITING', 'COMPLETED', null),
        }),
        (l) => l.facility,
      ),
    ),
    secondaryIds: maybe(
      uniqueBy(
        fc.record({
          id: pick('2019-001234-56', 'ISRCTN12345678', 'U1111-1234-5678', 'k(2019)46'),
          type: pick('EUDRACT_NUMBER', 'REGISTRY', 'OTHER', 'ORG_STUDY_ID', null),
          domain: pick('ISRCTN', 'WHO', null),
        }),
        (item) => item.id,
      ),
    ),
    references: maybe(
      uniqueBy(
        fc
          .record({
            publication: pick(
              { pmid: '33567185', citation: 'Wilding JPH. Semaglutide. N Engl J Med. 2021.' },
              { pmid: '34256857', citation: 'Shokati A. Stromal cells. Stem Cell Res Ther. 2021.' },
            ),
            withPmid: fc.boolean(),
            type: pick('BACKGROUND', 'RESULT', 'DERIVED', null),
          })
          .map(({ publication, withPmid, type }) => ({
            pmid: withPmid ? publication.pmid : null,
            type,
            citation: publication.citation,
          })),
        (item) => item.citation,
      ),
    ),
    overallOfficials: maybe(
      uniqueBy(
        fc.record({
          name: pick('Megan E. B. Clowse, MD, MPH', 'Ameneh Shokati, PhD'),
          affiliation: pick('Duke University', null),
          role: pick('PRINCIPAL_INVESTIGATOR', 'STUDY_DIRECTOR', null),
        }),
        (item) => item.name,
      ),
    ),
    nctIdAliases: maybe(fc.uniqueArray(pick('NCT00000001', 'NCT00000002'), { maxLength: 2 })),
    fdaRegulated: maybe(fc.boolean()),
  });
