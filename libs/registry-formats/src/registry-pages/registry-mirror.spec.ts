import { registryPageText } from '../../../../test/support/registry-page-fixtures.js';
import { SnapshotParseError } from '../errors.js';
import { parseRegistryMirrorPage } from './registry-mirror.js';

const page000 = registryPageText('000_9a6c380331072caa');
const page001 = registryPageText('001_62d3a4c51b163d2a');
const page004 = registryPageText('004_e3c06c917fab1162');

const errorOf = (run: () => unknown): SnapshotParseError => {
  try {
    run();
  } catch (error) {
    if (error instanceof SnapshotParseError) return error;
    throw error;
  }
  throw new Error('expected a SnapshotParseError');
};

describe('registry mirror page, labelled (001)', () => {
  const facts = parseRegistryMirrorPage(page001);

  it('reads the values of the README table', () => {
    expect(facts).toMatchObject({
      nctId: 'NCT07197606',
      overallStatus: 'NOT_YET_RECRUITING',
      phases: ['PHASE2'],
      enrollment: { count: 86, type: null },
      studyType: 'INTERVENTIONAL',
      lastUpdatePostDate: { date: '2025-09-29', type: null },
      startDate: { date: '2025-10-01', type: null },
      primaryCompletionDate: null,
      completionDate: { date: '2027-12-31', type: null },
      studyFirstPostDate: null,
      statusVerifiedDate: null,
      hasResults: false,
      leadSponsor: { name: 'Shanghai IxCell Biotechnology Co., LTD', class: 'OTHER' },
    });
    expect(facts.design).toEqual({
      allocation: 'RANDOMIZED',
      interventionModel: 'PARALLEL',
      primaryPurpose: 'TREATMENT',
      masking: 'TRIPLE',
      observationalModel: null,
      timePerspective: null,
    });
    expect(facts.eligibility).toMatchObject({
      minimumAge: '18 Years',
      maximumAge: '70 Years',
      sex: 'ALL',
      healthyVolunteers: false,
    });
  });

  it('reads the title, summary, conditions, interventions, groups, sponsors and sites', () => {
    expect(facts.briefTitle).toBe(
      'Clinical Trial of Umbilical Cord Mesenchymal Stem Cells in Subacute Ischemic Stroke',
    );
    expect(facts.officialTitle).toBeNull();
    expect(facts.acronym).toBeNull();
    expect(facts.briefSummary).toMatch(
      /^The goal of this clinical trial is to evaluate the efficacy.*ischemic stroke\.$/,
    );
    expect(facts.conditions).toEqual(['Ischemic Stroke']);
    expect(facts.keywords).toBeNull();
    expect(facts.interventions).toEqual([
      { type: 'DRUG', name: 'Placebo' },
      { type: 'DRUG', name: 'IxCell hUC-MSC-S (Human Umbilical Cord Mesenchymal Stem Cells)' },
    ]);
    expect(facts.armGroups).toEqual([
      { label: 'MSCs treatment', type: 'EXPERIMENTAL' },
      { label: 'Placebo', type: 'PLACEBO_COMPARATOR' },
    ]);
    expect(facts.collaborators).toEqual([]);
    expect(facts.locations).toEqual([
      {
        facility: 'Xuanwu Hospital, Capital Medical University',
        city: 'Beijing',
        state: 'Beijing Municipality',
        country: 'China',
        status: null,
      },
    ]);
    expect(facts.primaryOutcomes).toBeNull();
    expect(facts.secondaryOutcomes).toBeNull();
  });

  it('keeps the criteria lines, with the registry markdown bullets, up to the first eligibility label', () => {
    const criteria = facts.eligibility!.criteria!.split('\n');
    expect(criteria[0]).toBe('Inclusion Criteria');
    expect(criteria[1]).toBe('* Age ≥18 years and ≤70 years, regardless of gender.');
    expect(criteria).toContain('Exclusion Criteria');
    expect(criteria.at(-1)).toBe('* Severe pulmonary diseases.');
    expect(criteria).toHaveLength(12);
  });

  it('takes its own NCT ID from "NCT ID:", not from the related trials listed on the page', () => {
    expect(page001).toContain('NCT01922908 WITHDRAWN PHASE1/PHASE2');
    expect(facts.nctId).toBe('NCT07197606');
    const relatedFirst = page001.replace(/^/, 'More Related Trials\nNCT01922908 WITHDRAWN PHASE1/PHASE2\n');
    expect(parseRegistryMirrorPage(relatedFirst)).toEqual(facts);
  });

  it('reads a site in a country whose registry name has a comma ("Korea, Republic of")', () => {
    const korea = page001.replace('Beijing, Beijing Municipality, China', 'Seoul, Seoul, Korea, Republic of');
    expect(korea).not.toBe(page001);
    expect(parseRegistryMirrorPage(korea).locations).toEqual([
      {
        facility: 'Xuanwu Hospital, Capital Medical University',
        city: 'Seoul',
        state: 'Seoul',
        country: 'Korea, Republic of',
        status: null,
      },
    ]);
    const iran = page001.replace('Beijing, Beijing Municipality, China', 'Tehran, , Iran, Islamic Republic of');
    expect(parseRegistryMirrorPage(iran).locations).toMatchObject([
      { city: 'Tehran', state: null, country: 'Iran, Islamic Republic of' },
    ]);
  });

  it('reads a label and its value printed on one line the same as on two', () => {
    const labels = [
      'Recruitment Status',
      'Clinical Phase',
      'Total Enrollment',
      'Study Classification',
      'Study Start Date',
      'Study Completion Date',
      'Allocation Method',
      'Intervention Model',
      'Primary Study Purpose',
      'Blinding Strategy',
      'Minimum Eligible Age',
      'Maximum Eligible Age',
      'Eligible Sex',
      'Accepts Healthy Volunteers',
    ];
    const oneLine = labels.reduce((text, label) => text.replace(`${label}\n\n`, `${label}: `), page001);
    expect(oneLine).not.toContain('Recruitment Status\n');
    expect(parseRegistryMirrorPage(oneLine)).toEqual(facts);
  });

  it('shows no officials nor references: both stay unknown, and contacts with a role are not officials', () => {
    expect(page001).toContain('Role: CONTACT');
    expect(facts.overallOfficials).toBeNull();
    expect(facts.references).toBeNull();
    expect(parseRegistryMirrorPage(page000)).toMatchObject({ overallOfficials: null, references: null });
  });

  it('reads a design value printed as the API v2 token (Allocation Method NON_RANDOMIZED)', () => {
    const nonRandomized = page001.replace('Allocation Method\n\nRANDOMIZED', 'Allocation Method\n\nNON_RANDOMIZED');
    expect(nonRandomized).not.toBe(page001);
    expect(parseRegistryMirrorPage(nonRandomized).design?.allocation).toBe('NON_RANDOMIZED');
  });
});

describe('registry mirror page, labelled (004)', () => {
  const facts = parseRegistryMirrorPage(page004);

  it('reads the values of the README table', () => {
    expect(facts).toMatchObject({
      nctId: 'NCT06360861',
      overallStatus: 'COMPLETED',
      phases: ['PHASE1'],
      enrollment: { count: 5, type: null },
      studyType: 'INTERVENTIONAL',
      lastUpdatePostDate: { date: '2024-04-11', type: null },
      startDate: { date: '2019-07-23', type: null },
      primaryCompletionDate: null,
      completionDate: { date: '2024-03-06', type: null },
      studyFirstPostDate: null,
      statusVerifiedDate: null,
      hasResults: false,
      leadSponsor: { name: 'Tehran University of Medical Sciences', class: 'OTHER' },
      collaborators: [],
    });
    expect(facts.design).toEqual({
      allocation: 'NA',
      interventionModel: 'SINGLE_GROUP',
      primaryPurpose: 'TREATMENT',
      masking: 'NONE',
      observationalModel: null,
      timePerspective: null,
    });
    expect(facts.eligibility).toMatchObject({
      minimumAge: '17 Years',
      maximumAge: '45 Years',
      sex: 'ALL',
      healthyVolunteers: false,
    });
  });

  it('reads the title, interventions, groups and the site with its blank state and status', () => {
    expect(facts.briefTitle).toBe(
      'Evaluate the Safety and Feasibility of Allogeneic Mesenchymal Stem Cells in Patients With Multiple Sclerosis',
    );
    expect(facts.interventions).toEqual([
      { type: 'BIOLOGICAL', name: 'Allogenic placenta derived mesenchymal stem cells' },
    ]);
    expect(facts.armGroups).toEqual([{ label: 'Placenta derived mesenchymal cells', type: 'EXPERIMENTAL' }]);
    expect(facts.locations).toEqual([
      {
        facility: 'Tehran University of Medical Sciences,Tehran, Iran',
        city: 'Tehran',
        state: null,
        country: 'Iran',
        status: null,
      },
    ]);
    expect(facts.eligibility!.criteria).toMatch(/^Inclusion Criteria\n\* Age between 17-45 years/);
  });

  it('splits the three conditions printed on one line without separators', () => {
    expect(page004).toContain('Multiple Sclerosis Secondary-Progressive Multiple Sclerosis Mesenchymal Stem Cells\n');
    expect(facts.conditions).toEqual([
      'Multiple Sclerosis',
      'Secondary-Progressive Multiple Sclerosis',
      'Mesenchymal Stem Cells',
    ]);
  });

  it('leaves the conditions unknown when the page text does not attest one split', () => {
    const withoutSummary = page004.replace(/secondary progressive Multiple Sclerosis/g, 'SPMS');
    expect(parseRegistryMirrorPage(withoutSummary).conditions).toBeNull();
  });

  it('reads a site status when the page shows one', () => {
    const recruiting = page004.replace('Site Status\n', 'Site Status RECRUITING\n');
    expect(parseRegistryMirrorPage(recruiting).locations![0]!.status).toBe('RECRUITING');
  });

  it('reads the overall officials under "Principal Investigators", each with its role and affiliation', () => {
    expect(facts.overallOfficials).toEqual([
      {
        name: 'Abdorreza Naser Moghadasi, MD',
        affiliation: 'Multiple Sclerosis Research Center,Neuroscience Institute,Sina Hospital,Tehran, Iran.',
        role: 'STUDY_DIRECTOR',
      },
      {
        name: 'Mohsen Nikbakht, PhD',
        affiliation:
          'Research Institute for Oncology, Hematology& Cell Therapy Facility, Shariati Hospital ,Tehran, Iran.',
        role: 'STUDY_DIRECTOR',
      },
      {
        name: 'Ameneh Shokati, PhD',
        affiliation: 'Applied Cell Sciences,Tehran University of Medical Sciences,Tehran, Iran.',
        role: 'PRINCIPAL_INVESTIGATOR',
      },
    ]);
  });

  it('reads an official without an affiliation, or with a role it does not know, as not showing them', () => {
    const withoutAffiliation = page004.replace(
      'Multiple Sclerosis Research Center,Neuroscience Institute,Sina Hospital,Tehran, Iran.\n\n',
      '',
    );
    expect(parseRegistryMirrorPage(withoutAffiliation).overallOfficials).toEqual([
      { name: 'Abdorreza Naser Moghadasi, MD', affiliation: null, role: 'STUDY_DIRECTOR' },
      ...facts.overallOfficials!.slice(1),
    ]);
    const lastWithoutAffiliation = page004.replace(
      'Applied Cell Sciences,Tehran University of Medical Sciences,Tehran, Iran.\n',
      '',
    );
    expect(parseRegistryMirrorPage(lastWithoutAffiliation).overallOfficials!.at(-1)).toEqual({
      name: 'Ameneh Shokati, PhD',
      affiliation: null,
      role: 'PRINCIPAL_INVESTIGATOR',
    });
    const unknownRole = page004.replace('Role: PRINCIPAL_INVESTIGATOR', 'Role: SITE_COORDINATOR');
    expect(parseRegistryMirrorPage(unknownRole).overallOfficials!.at(-1)).toMatchObject({ role: null });
  });

  it('leaves the officials unknown when their lines cannot be told apart', () => {
    const roleMissing = page004.replace('Role: STUDY_DIRECTOR\n\nResearch Institute', 'Research Institute');
    expect(parseRegistryMirrorPage(roleMissing).overallOfficials).toBeNull();
    const roleFirst = page004.replace(
      'Principal Investigators\n\nLearn about the lead researchers overseeing the trial and their institutional affiliations.\n\n',
      '$&Role: STUDY_CHAIR\n\n',
    );
    expect(parseRegistryMirrorPage(roleFirst).overallOfficials).toBeNull();
  });

  it('reads the references with their type and PubMed ID', () => {
    expect(facts.references).toEqual([
      {
        pmid: '34256857',
        type: 'BACKGROUND',
        citation:
          'Shokati A, Naser Moghadasi A, Nikbakht M, Sahraian MA, Mousavi SA, Ai J. A focus on allogeneic mesenchymal stromal cells as a versatile therapeutic tool for treating multiple sclerosis. Stem Cell Res Ther. 2021 Jul 13;12(1):400. doi: 10.1186/s13287-021-02477-5.',
      },
      {
        pmid: '32504294',
        type: 'BACKGROUND',
        citation:
          'Ebrahimi-Barough S, Ai J, Payab M, Alavi-Moghadam S, Shokati A, Aghayan HR, Larijani B, Arjmand B. Standard Operating Procedure for the Good Manufacturing Practice-Compliant Production of Human Endometrial Stem Cells for Multiple Sclerosis. Methods Mol Biol. 2021;2286:199-212. doi: 10.1007/7651_2020_281.',
      },
    ]);
  });

  it('reads a results or derived reference, and one without a type or PubMed ID as not showing them', () => {
    const changed = page004
      .replace('Reference Type BACKGROUND\nPMID: 34256857 (View on PubMed)', 'Reference Type RESULT')
      .replace('Reference Type BACKGROUND\nPMID: 32504294', 'Reference Type DERIVED\nPMID: 32504294');
    expect(parseRegistryMirrorPage(changed).references).toMatchObject([
      { pmid: null, type: 'RESULT' },
      { pmid: '32504294', type: 'DERIVED' },
    ]);
    const bare = page004.replace('Reference Type BACKGROUND\nPMID: 34256857 (View on PubMed)\n', '');
    expect(parseRegistryMirrorPage(bare).references).toMatchObject([
      { pmid: null, type: null, citation: expect.stringMatching(/^Shokati A/) },
      { pmid: '32504294', type: 'BACKGROUND' },
    ]);
  });

  it('leaves the references unknown when a type or PubMed ID belongs to no citation', () => {
    const doubled = page004.replace('PMID: 34256857 (View on PubMed)', '$&\nPMID: 34256858');
    expect(parseRegistryMirrorPage(doubled).references).toBeNull();
    const typeFirst = page004.replace(
      'Explore related publications, articles, or registry entries linked to this study.\n\n',
      '$&Reference Type RESULT\n\n',
    );
    expect(parseRegistryMirrorPage(typeFirst).references).toBeNull();
  });

  it('reads no other trial listed after the references as one of them', () => {
    const relatedAfterReferences = page004.replace(/Other Identifiers\n[^]*?(?=More Related Trials)/, '');
    expect(relatedAfterReferences).toContain('(View on PubMed)\n\nMore Related Trials');
    expect(parseRegistryMirrorPage(relatedAfterReferences).references).toEqual(facts.references);
    const unlabelledRelated = page004.replace(
      'More Related Trials\n\nAdditional clinical trials that may be relevant based on similarity analysis.\n',
      'Related Clinical Trials\n',
    );
    expect(parseRegistryMirrorPage(unlabelledRelated).references).toEqual(facts.references);
  });
});

describe('registry mirror page without labels (000)', () => {
  const facts = parseRegistryMirrorPage(page000);

  it('reads the values of the README table by their position and shape', () => {
    expect(facts).toMatchObject({
      nctId: 'NCT06518902',
      overallStatus: 'NOT_YET_RECRUITING',
      phases: ['PHASE1'],
      enrollment: { count: 18, type: null },
      studyType: 'INTERVENTIONAL',
      lastUpdatePostDate: { date: '2024-07-25', type: null },
      startDate: { date: '2024-08-31', type: null },
      primaryCompletionDate: null,
      completionDate: { date: '2025-12-31', type: null },
      studyFirstPostDate: null,
      statusVerifiedDate: null,
      hasResults: false,
      leadSponsor: { name: 'National Engineering Center of Cell Products', class: 'OTHER' },
      collaborators: [],
    });
    expect(facts.design).toEqual({
      allocation: 'NA',
      interventionModel: 'SINGLE_GROUP',
      primaryPurpose: 'TREATMENT',
      masking: 'NONE',
      observationalModel: null,
      timePerspective: null,
    });
    expect(facts.eligibility).toMatchObject({
      minimumAge: '18 Years',
      maximumAge: '80 Years',
      sex: 'ALL',
      healthyVolunteers: false,
    });
  });

  it('ends the criteria where the trailing bare eligibility values start', () => {
    const criteria = facts.eligibility!.criteria!.split('\n');
    expect(criteria[0]).toBe('Inclusion Criteria');
    expect(criteria.at(-1)).toMatch(/^17\. Combining other serious systemic diseases.*not suitable for inclusion\.$/);
  });

  it('leaves unknown what an unlabelled page cannot tell apart', () => {
    expect(facts.briefTitle).toBe(
      'Umbilical Cord-derived Mesenchymal Stem Cell Infusion for Treating Acute Ischemic Stroke',
    );
    // The Conditions section is empty: every registry record has conditions, so they are not shown, not absent.
    expect(facts.conditions).toBeNull();
    // Names and descriptions of groups and interventions have the same shape without their type labels.
    expect(facts.interventions).toBeNull();
    expect(facts.armGroups).toBeNull();
    expect(facts.locations).toBeNull();
    expect(facts.primaryOutcomes).toBeNull();
    expect(facts.secondaryOutcomes).toBeNull();
  });

  it('takes its own NCT ID from "NCT ID:", not from the related trials', () => {
    expect(page000).toContain('NCT07197606');
    const relatedFirst = page000.replace(/^/, 'Related Clinical Trials\nNCT07197606\nNCT07084012\n');
    expect(parseRegistryMirrorPage(relatedFirst)).toEqual(facts);
  });

  it('does not guess when a bare value could be two fields or a kind has more values than fields', () => {
    const threeDates = page000.replace('2025-12-31\n', '2025-06-30\n2025-12-31\n');
    expect(parseRegistryMirrorPage(threeDates)).toMatchObject({ startDate: null, completionDate: null });
    expect(parseRegistryMirrorPage(threeDates).overallStatus).toBe('NOT_YET_RECRUITING');
    const oneAge = page000.replace('18 Years\n80 Years\n', '18 Years\n');
    expect(parseRegistryMirrorPage(oneAge).eligibility).toMatchObject({
      minimumAge: null,
      maximumAge: null,
      sex: 'ALL',
    });
  });

  it('reads a page with tens of thousands of bare values at once, leaving them unknown', () => {
    const manyDates = page000.replace('2025-12-31\n', `2025-12-31\n${'2025-06-30\n'.repeat(30_000)}`);
    const started = performance.now();
    expect(parseRegistryMirrorPage(manyDates)).toMatchObject({
      startDate: null,
      completionDate: null,
      overallStatus: 'NOT_YET_RECRUITING',
    });
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('registry mirror page errors', () => {
  it('reports a mirror page without its NCT ID', () => {
    const error = errorOf(() => parseRegistryMirrorPage(page001.replace('NCT ID: NCT07197606', 'NCT ID:')));
    expect(error.code).toBe('snapshot.missing-nct-id');
  });

  it('reports a text that is not a registry mirror page', () => {
    expect(errorOf(() => parseRegistryMirrorPage('Stem cells for stroke: a new hope\nNCT ID: NCT07197606')).code).toBe(
      'snapshot.not-a-trial-record',
    );
    expect(errorOf(() => parseRegistryMirrorPage('')).code).toBe('snapshot.not-a-trial-record');
  });
});
