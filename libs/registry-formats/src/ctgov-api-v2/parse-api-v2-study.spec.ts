import { readFixture } from '../../../../test/support/fixtures.js';
import { SnapshotParseError } from '../errors.js';
import { parseApiV2Study, readApiV2Study } from './parse-api-v2-study.js';

const study = (nctId: string) => parseApiV2Study(JSON.parse(readFixture('ctgov-api-v2', `${nctId}.json`)));

describe('ClinicalTrials.gov API v2 study documents', () => {
  it('reads a withdrawn trial with its reason and an actual enrollment of 0', () => {
    const facts = study('NCT00973089');
    expect(facts).toMatchObject({
      nctId: 'NCT00973089',
      briefTitle: 'Alternative Treatment of Deep Carious Lesions Based on Biological Evidences',
      overallStatus: 'WITHDRAWN',
      whyStopped: 'recruiting or enrolling participants has halted prematurely and will not resume',
      enrollment: { count: 0, type: 'ACTUAL' },
      statusVerifiedDate: '2015-08',
      startDate: { date: '2010-05', type: null },
      primaryCompletionDate: { date: '2015-03', type: 'ACTUAL' },
      completionDate: { date: '2015-03', type: 'ACTUAL' },
      studyFirstSubmitDate: '2009-09-06',
      studyFirstPostDate: { date: '2009-09-09', type: 'ESTIMATED' },
      lastUpdateSubmitDate: '2015-08-18',
      lastUpdatePostDate: { date: '2015-08-19', type: 'ESTIMATED' },
      studyType: 'INTERVENTIONAL',
      phases: ['NA'],
      design: {
        allocation: 'RANDOMIZED',
        interventionModel: 'PARALLEL',
        primaryPurpose: 'TREATMENT',
        masking: 'SINGLE',
      },
      conditions: ['Caries, Dental'],
      interventions: [{ type: 'OTHER', name: 'Incomplete caries removal in primary teeth' }],
      armGroups: [
        { label: 'Complete caries removal', type: 'NO_INTERVENTION' },
        { label: 'Incomplete caries removal', type: 'OTHER' },
      ],
      primaryOutcomes: [
        {
          measure: 'The success of the alternative treatment of the deep carious lesion.',
          timeFrame: 'Half annually for three years',
        },
      ],
      secondaryOutcomes: [],
      eligibility: { minimumAge: '5 Years', maximumAge: '8 Years', sex: 'ALL', healthyVolunteers: true },
      leadSponsor: { name: 'Hadassah Medical Organization', class: 'OTHER' },
      collaborators: [],
      locations: [
        { facility: 'Hadassah Medical Organization', city: 'Jerusalem', state: null, country: 'Israel', status: null },
      ],
      hasResults: false,
      lastKnownStatus: null,
    });
    expect(facts.eligibility?.criteria).toMatch(/^Inclusion Criteria:\n\n\* Healthy children/);
  });

  it('reads a not-yet-recruiting observational trial whose dates are all estimated', () => {
    const facts = study('NCT06171568');
    expect(facts).toMatchObject({
      overallStatus: 'NOT_YET_RECRUITING',
      acronym: 'ECOG',
      startDate: { date: '2024-02-01', type: 'ESTIMATED' },
      primaryCompletionDate: { date: '2025-02-01', type: 'ESTIMATED' },
      completionDate: { date: '2025-02-01', type: 'ESTIMATED' },
      enrollment: { count: 400, type: 'ESTIMATED' },
      studyType: 'OBSERVATIONAL',
      phases: null,
      design: { observationalModel: 'COHORT', timePerspective: 'PROSPECTIVE', allocation: null, masking: null },
      leadSponsor: { name: 'Assistance Publique - Hôpitaux de Paris', class: 'OTHER' },
      collaborators: [
        { name: 'SBT Human(s) Matter', class: 'UNKNOWN' },
        { name: 'Clinical Research Unit Saint Louis Lariboisière', class: 'UNKNOWN' },
      ],
    });
    for (const date of [facts.startDate, facts.primaryCompletionDate, facts.completionDate, facts.lastUpdatePostDate]) {
      expect(date?.type).toBe('ESTIMATED');
    }
    expect(facts.eligibility?.maximumAge).toBeNull();
  });

  it('spells ages as every format does: singular for one, the unit capitalised', () => {
    const document = JSON.parse(readFixture('ctgov-api-v2', 'NCT00973089.json'));
    const withAges = (minimumAge: string, maximumAge: string) =>
      parseApiV2Study({
        ...document,
        protocolSection: {
          ...document.protocolSection,
          eligibilityModule: { ...document.protocolSection.eligibilityModule, minimumAge, maximumAge },
        },
      }).eligibility;
    expect(withAges('1 Year', '17 Years')).toMatchObject({ minimumAge: '1 Year', maximumAge: '17 Years' });
    expect(withAges('1 Years', '6 months')).toMatchObject({ minimumAge: '1 Year', maximumAge: '6 Months' });
    expect(withAges('Adults', '65 Years')).toMatchObject({ minimumAge: 'Adults', maximumAge: '65 Years' });
  });

  it('reads an enrollment count only when it is a count of participants, as the other formats do', () => {
    const document = JSON.parse(readFixture('ctgov-api-v2', 'NCT00973089.json'));
    const withCount = (count: unknown) =>
      parseApiV2Study({
        ...document,
        protocolSection: {
          ...document.protocolSection,
          designModule: { ...document.protocolSection.designModule, enrollmentInfo: { count, type: 'ACTUAL' } },
        },
      }).enrollment;
    expect(withCount(120)).toEqual({ count: 120, type: 'ACTUAL' });
    for (const count of [-3, 12.5, 1e300, '120']) expect(withCount(count)).toEqual({ count: null, type: 'ACTUAL' });
  });

  it('reads no site from a location entry that names no place, as it reads no outcome without a measure', () => {
    const document = JSON.parse(readFixture('ctgov-api-v2', 'NCT02210780.json'));
    const [first] = document.protocolSection.contactsLocationsModule.locations;
    document.protocolSection.contactsLocationsModule.locations = [{}, { facility: ' ', status: 'RECRUITING' }, first];
    expect(parseApiV2Study(document).locations).toEqual([
      { facility: null, city: 'Birmingham', state: 'Alabama', country: 'United States', status: null },
    ]);
  });

  it('reads a completed trial with posted results and 42 sites', () => {
    const facts = study('NCT02210780');
    expect(facts).toMatchObject({
      overallStatus: 'COMPLETED',
      hasResults: true,
      resultsFirstPostDate: { date: '2020-05-07', type: 'ACTUAL' },
      enrollment: { count: 194, type: 'ACTUAL' },
      phases: ['PHASE2'],
      collaborators: [{ name: 'Sanofi', class: 'INDUSTRY' }],
    });
    expect(facts.locations).toHaveLength(42);
    expect(facts.locations?.[0]).toEqual({
      facility: null,
      city: 'Birmingham',
      state: 'Alabama',
      country: 'United States',
      status: null,
    });
    expect(facts.primaryOutcomes).toHaveLength(1);
    expect(facts.secondaryOutcomes).toHaveLength(10);
  });

  it('reads the publications the record cites, with their type and PubMed ID, and its overall officials', () => {
    expect(study('NCT00973089').references).toEqual([
      {
        pmid: '18519994',
        type: 'BACKGROUND',
        citation:
          'Thompson V, Craig RG, Curro FA, Green WS, Ship JA. Treatment of deep carious lesions by complete excavation or partial removal: a critical review. J Am Dent Assoc. 2008 Jun;139(6):705-12. doi: 10.14219/jada.archive.2008.0252.',
      },
    ]);
    expect(study('NCT06171568').references).toHaveLength(8);
    expect(study('NCT06171568').overallOfficials).toEqual([
      {
        name: 'Emmanuel Mandonnet, MD, PhD',
        affiliation: 'Assistance Publique - Hôpitaux de Paris',
        role: 'PRINCIPAL_INVESTIGATOR',
      },
      {
        name: 'Alexis Schnitzler, MD, PhD',
        affiliation: 'Assistance Publique - Hôpitaux de Paris',
        role: 'STUDY_DIRECTOR',
      },
    ]);
  });

  it('reads no references or officials of a complete record that lists none as none, of a limited document as unknown', () => {
    const document = JSON.parse(readFixture('ctgov-api-v2', 'NCT02210780.json'));
    expect(parseApiV2Study(document)).toMatchObject({
      references: [],
      overallOfficials: [
        { name: 'Clinical Trial Management', affiliation: 'Regeneron Pharmaceuticals', role: 'STUDY_DIRECTOR' },
      ],
    });
    expect(parseApiV2Study(document, { complete: false }).references).toBeNull();
    delete document.protocolSection.contactsLocationsModule.overallOfficials;
    expect(parseApiV2Study(document).overallOfficials).toEqual([]);
    expect(parseApiV2Study(document, { complete: false }).overallOfficials).toBeNull();
  });

  it('reads no reference without a citation nor an official without a name, and a PubMed ID only as digits', () => {
    const document = JSON.parse(readFixture('ctgov-api-v2', 'NCT02210780.json'));
    document.protocolSection.referencesModule = {
      references: [
        { pmid: '123', type: 'RESULT' },
        { pmid: ' 36000001 ', type: 'result', citation: ' Results of the trial.\n Lancet. 2025. ' },
        { pmid: 'n/a', citation: 'A protocol.' },
      ],
    };
    document.protocolSection.contactsLocationsModule.overallOfficials = [
      { role: 'STUDY_CHAIR' },
      { name: ' Ana Lopez ' },
    ];
    expect(parseApiV2Study(document)).toMatchObject({
      references: [
        { pmid: '36000001', type: 'RESULT', citation: 'Results of the trial. Lancet. 2025.' },
        { pmid: null, type: null, citation: 'A protocol.' },
      ],
      overallOfficials: [{ name: 'Ana Lopez', affiliation: null, role: null }],
    });
  });

  describe('the day results were first submitted', () => {
    /** NCT02210780 (results posted) as a record whose results await the registry's quality-control review. */
    const awaitingReview = (unpostedEvents: unknown[]) => {
      const document = JSON.parse(readFixture('ctgov-api-v2', 'NCT02210780.json'));
      const status = document.protocolSection.statusModule;
      delete status.resultsFirstSubmitDate;
      delete status.resultsFirstSubmitQcDate;
      delete status.resultsFirstPostDateStruct;
      delete document.resultsSection;
      document.hasResults = false;
      document.annotationSection = {
        annotationModule: {
          unpostedAnnotation: { unpostedResponsibleParty: 'Regeneron Pharmaceuticals', unpostedEvents },
        },
      };
      return document;
    };

    it('reads it from the status module for posted results, submitted weeks before they were posted', () => {
      expect(study('NCT02210780')).toMatchObject({
        hasResults: true,
        resultsFirstSubmitDate: '2020-03-20',
        resultsFirstPostDate: { date: '2020-05-07', type: 'ACTUAL' },
      });
    });

    it('reads a submission awaiting review, returned with comments and submitted again, as submitted on its first day', () => {
      const document = awaitingReview([
        { type: 'RELEASE', date: '2023-05-11' },
        { type: 'RESET', date: '2023-06-20' },
        { type: 'RELEASE', date: '2023-07-02' },
      ]);
      expect(parseApiV2Study(document)).toMatchObject({
        hasResults: false,
        resultsFirstSubmitDate: '2023-05-11',
        resultsFirstPostDate: null,
      });
    });

    it('reads a submission the sponsor took back as none, and one submitted again after as submitted that day', () => {
      const withdrawn = [
        { type: 'RELEASE', date: '2023-05-11' },
        { type: 'UNRELEASE', date: '2023-05-20' },
      ];
      expect(parseApiV2Study(awaitingReview(withdrawn)).resultsFirstSubmitDate).toBeNull();
      expect(
        parseApiV2Study(awaitingReview([...withdrawn, { type: 'RELEASE', date: '2023-08-01' }])).resultsFirstSubmitDate,
      ).toBe('2023-08-01');
    });

    it('leaves out an event the registry gives no date for (dateUnknown)', () => {
      const undatedFirst = [
        { type: 'RELEASE', dateUnknown: true },
        { type: 'RESET', date: '2023-06-20' },
        { type: 'RELEASE', date: '2023-07-02' },
      ];
      expect(parseApiV2Study(awaitingReview(undatedFirst)).resultsFirstSubmitDate).toBe('2023-07-02');
      expect(
        parseApiV2Study(awaitingReview([{ type: 'RELEASE', dateUnknown: true }])).resultsFirstSubmitDate,
      ).toBeNull();
      const undatedRecall = [
        { type: 'RELEASE', date: '2023-05-11' },
        { type: 'UNRELEASE', dateUnknown: true },
      ];
      expect(parseApiV2Study(awaitingReview(undatedRecall)).resultsFirstSubmitDate).toBe('2023-05-11');
    });

    it('reads none from a complete record without results or a submission, unknown from a limited one', () => {
      expect(study('NCT00973089').resultsFirstSubmitDate).toBeNull();
      expect(readApiV2Study(JSON.parse(readFixture('ctgov-api-v2', 'NCT00973089.json'))).definitive).toContain(
        'resultsFirstSubmitDate',
      );
      const limited = { protocolSection: { identificationModule: { nctId: 'NCT02210780' }, statusModule: {} } };
      expect(readApiV2Study(limited)).toMatchObject({ facts: { resultsFirstSubmitDate: null }, definitive: [] });
      const limitedPending = { ...awaitingReview([{ type: 'RELEASE', date: '2023-05-11' }]) };
      delete limitedPending.hasResults;
      delete limitedPending.derivedSection;
      expect(readApiV2Study(limitedPending)).toMatchObject({
        facts: { resultsFirstSubmitDate: '2023-05-11' },
        definitive: [],
      });
    });
  });

  it('refuses a document without an NCT ID, naming what is missing', () => {
    const document = JSON.parse(readFixture('ctgov-api-v2', 'NCT00973089.json'));
    delete document.protocolSection.identificationModule.nctId;
    expect(() => parseApiV2Study(document)).toThrow(SnapshotParseError);
    expect(() => parseApiV2Study(document)).toThrow(/identificationModule\.nctId/);
  });
});
