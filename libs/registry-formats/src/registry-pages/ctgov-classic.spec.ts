import { registryPageText } from '../../../../test/support/registry-page-fixtures.js';
import { SnapshotParseError } from '../errors.js';
import { parseCtgovClassicPage } from './ctgov-classic.js';
import { htmlToText } from './html-to-text.js';

const page002 = registryPageText('002_d185bd8e963bc08b');

const errorCodeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof SnapshotParseError) return error.code;
    throw error;
  }
  throw new Error('expected a SnapshotParseError');
};

describe('classic ClinicalTrials.gov study page (002)', () => {
  const facts = parseCtgovClassicPage(page002);

  it('reads the values of the README table', () => {
    expect(facts).toMatchObject({
      nctId: 'NCT04811651',
      overallStatus: 'RECRUITING',
      phases: ['PHASE2'],
      enrollment: { count: 200, type: 'ESTIMATED' },
      studyType: 'INTERVENTIONAL',
      lastUpdatePostDate: { date: '2022-05-25', type: null },
      startDate: { date: '2021-03-15', type: 'ACTUAL' },
      primaryCompletionDate: { date: '2023-02-01', type: 'ESTIMATED' },
      completionDate: { date: '2023-10-01', type: 'ESTIMATED' },
      studyFirstPostDate: { date: '2021-03-23', type: null },
      statusVerifiedDate: '2022-05',
      hasResults: false,
      resultsFirstPostDate: null,
    });
    expect(facts.design).toEqual({
      allocation: 'RANDOMIZED',
      interventionModel: 'PARALLEL',
      primaryPurpose: 'TREATMENT',
      masking: 'QUADRUPLE',
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

  it('shows no sponsor: the responsible party is not the lead sponsor', () => {
    expect(page002).toContain('Responsible Party: | Hui-Sheng Chen');
    expect(facts.leadSponsor).toBeNull();
    expect(facts.collaborators).toBeNull();
  });

  it('reads the titles; "(UMSIS)" in a title is not a labelled acronym', () => {
    expect(facts.briefTitle).toBe('Umbilical Cord-derived Mesenchymal Stem Cells for Ischemic Stroke (UMSIS)');
    expect(facts.officialTitle).toBe(
      'Umbilical Cord-derived Mesenchymal Stem Cells for Ischemic Stroke (UMSIS): a Prospective, Double-blinded, Randomized Controlled, Pilot Study',
    );
    expect(facts.acronym).toBeNull();
    const withAcronym = page002.replace(
      'Primary Purpose: | Treatment |',
      'Primary Purpose: | Treatment |\nAcronym: | UMSIS |',
    );
    expect(parseCtgovClassicPage(withAcronym).acronym).toBe('UMSIS');
  });

  it('reads the conditions, the interventions run together in one cell, and the arms', () => {
    expect(facts.conditions).toEqual(['Ischemic Stroke']);
    expect(facts.keywords).toBeNull();
    expect(facts.interventions).toEqual([
      { type: 'BIOLOGICAL', name: 'Umbilical Cord-derived Mesenchymal Stem Cells' },
      { type: 'DRUG', name: 'Placebo' },
    ]);
    expect(facts.armGroups).toEqual([
      { label: 'Treatment group', type: 'EXPERIMENTAL' },
      { label: 'Placebo Comparator', type: 'PLACEBO_COMPARATOR' },
    ]);
  });

  it('reads the site under its country row; contacts are not sites', () => {
    expect(facts.locations).toEqual([
      {
        facility: 'Department of Neurology, General Hospital of Northern Theater Command',
        city: 'Shenyang',
        state: null,
        country: 'China',
        status: 'RECRUITING',
      },
    ]);
  });

  it('reads the overall official from its row, with role and affiliation; the page shows no references', () => {
    expect(facts.overallOfficials).toEqual([
      {
        name: 'Chen Hui-Sheng, Doctor',
        affiliation: 'General Hospital of Shenyang Military Region',
        role: 'PRINCIPAL_INVESTIGATOR',
      },
    ]);
    expect(facts.references).toBeNull();
  });

  it('reads a study chair or director, with or without an affiliation; a site investigator is not an official', () => {
    const officials = page002.replace(
      'Principal Investigator: | Chen Hui-Sheng, Doctor | General Hospital of Shenyang Military Region |',
      '$&\nStudy Chair: | Wang Xin-Hong, MD |\nStudy Director: | Li Na | Shenyang University |',
    );
    expect(parseCtgovClassicPage(officials).overallOfficials).toEqual([
      ...facts.overallOfficials!,
      { name: 'Wang Xin-Hong, MD', affiliation: null, role: 'STUDY_CHAIR' },
      { name: 'Li Na', affiliation: 'Shenyang University', role: 'STUDY_DIRECTOR' },
    ]);
    const siteInvestigator = page002.replace(
      'Contact: Hui-Sheng Chen, Ph.D. +86 13352452086 chszh@aliyun.com |',
      '$&\nPrincipal Investigator: Zhang Wei, MD |',
    );
    expect(parseCtgovClassicPage(siteInvestigator).overallOfficials).toEqual(facts.overallOfficials);
    const none = page002.replace(/^Principal Investigator: \|.*\n/m, '');
    expect(parseCtgovClassicPage(none).overallOfficials).toBeNull();
  });

  it('reads the tables as htmlToText renders them from a study page, with several lines in a cell', () => {
    const conditionsTable = htmlToText(`<table>
      <tr><th>Condition or disease</th><th>Intervention/treatment</th><th>Phase</th></tr>
      <tr><td>Ischemic Stroke<br>Cerebral Infarction</td>
        <td>Biological: Umbilical Cord-derived Mesenchymal Stem Cells<br>Drug: Placebo</td><td>Phase 2</td></tr></table>`);
    const armsTable = htmlToText(`<table><tr><th>Arm</th><th>Intervention/treatment</th></tr>
      <tr><td>Other: Treatment group<br>intravenous cells</td><td>Other: Cells<br>one dose</td></tr>
      <tr><td>No Intervention: Control</td><td></td></tr></table>`);
    const tables = page002
      .replace(/Condition or disease \|[^]*?(?=Study Type)/, `${conditionsTable}\n`)
      .replace(/Arm \|[^]*?(?=- Proportion)/, `${armsTable}\n`);
    const read = parseCtgovClassicPage(tables);
    expect(read.conditions).toEqual(['Ischemic Stroke', 'Cerebral Infarction']);
    expect(read.interventions).toEqual(facts.interventions);
    expect(read.phases).toEqual(['PHASE2']);
    expect(read.armGroups).toEqual([
      { label: 'Treatment group', type: 'OTHER' },
      { label: 'Control', type: 'NO_INTERVENTION' },
    ]);
  });

  it('reads a site in a country whose registry name has a comma ("Korea, Republic of")', () => {
    const korea = page002
      .replace('\nChina | |\n', '\nKorea, Republic of | |\n')
      .replace('Shenyang, China, 110016 | |', 'Seoul, Korea, Republic of, 03722 | |');
    expect(korea).not.toBe(page002);
    expect(parseCtgovClassicPage(korea).locations).toEqual([
      {
        facility: 'Department of Neurology, General Hospital of Northern Theater Command',
        city: 'Seoul',
        state: null,
        country: 'Korea, Republic of',
        status: 'RECRUITING',
      },
    ]);
  });

  it('leaves the locations unknown when a row between the sites cannot be explained', () => {
    const extraRow = page002.replace(
      'Shenyang, China, 110016 | |\n',
      'Shenyang, China, 110016 | |\nSecond building, east wing |\n',
    );
    expect(parseCtgovClassicPage(extraRow).locations).toBeNull();
  });

  it('keeps the criteria from "Inclusion Criteria:" to the end of the exclusion list', () => {
    const criteria = facts.eligibility!.criteria!.split('\n');
    expect(criteria[0]).toBe('Inclusion Criteria:');
    expect(criteria[1]).toBe('* Age: 18-80 years old;');
    expect(criteria).toContain('Exclusion Criteria:');
    expect(criteria.at(-1)).toBe('* Other circumstances considered unsuitable by the researcher.');
  });

  it('reads the sex from a page of before 2017, which labels it "Genders Eligible for Study" and says "Both"', () => {
    const withGender = (value: string) =>
      parseCtgovClassicPage(
        page002.replace('Sexes Eligible for Study: | All |', `Genders Eligible for Study: | ${value} |`),
      ).eligibility;
    expect(withGender('Both')).toMatchObject({ sex: 'ALL', minimumAge: '18 Years', healthyVolunteers: false });
    expect(withGender('Female')!.sex).toBe('FEMALE');
    expect(withGender('Both')!.criteria).toBe(facts.eligibility!.criteria);
  });

  it('reads the enrollment type from "Estimated Enrollment" and an actual one from "Actual Enrollment"', () => {
    expect(facts.enrollment).toEqual({ count: 200, type: 'ESTIMATED' });
    const actual = page002.replace(
      'Estimated Enrollment : | 200 participants |',
      'Actual Enrollment : | 187 participants |',
    );
    expect(parseCtgovClassicPage(actual).enrollment).toEqual({ count: 187, type: 'ACTUAL' });
  });

  it('does not guess which outcome measures are primary when the headings are missing', () => {
    expect(page002).toContain('- Number of Adverse Events [ Time Frame: 360days ]');
    expect(facts.primaryOutcomes).toBeNull();
    expect(facts.secondaryOutcomes).toBeNull();
  });

  it('reads primary and secondary outcome measures under their headings', () => {
    const withHeadings = page002
      .replace(
        '- Proportion of modified Rankin Scale (mRS) 0-2 [ Time Frame: 90 Days ]',
        'Primary Outcome Measures :\n$&',
      )
      .replace(
        '- Proportion of modified Rankin Scale (mRS) 0-2 [ Time Frame: 180,360 Days ]',
        'Secondary Outcome Measures :\n$&',
      );
    const withOutcomes = parseCtgovClassicPage(withHeadings);
    expect(withOutcomes.primaryOutcomes).toEqual([
      { measure: 'Proportion of modified Rankin Scale (mRS) 0-2', timeFrame: '90 Days' },
    ]);
    expect(withOutcomes.secondaryOutcomes).toHaveLength(11);
    expect(withOutcomes.secondaryOutcomes![0]).toEqual({
      measure: 'Proportion of modified Rankin Scale (mRS) 0-2',
      timeFrame: '180,360 Days',
    });
    expect(withOutcomes.secondaryOutcomes!.at(-1)).toEqual({
      measure: 'Number of Adverse Events',
      timeFrame: '360days',
    });
    expect(withOutcomes.armGroups).toEqual(facts.armGroups);
  });

  it('reads the sponsor and collaborators when the page shows them', () => {
    const withSponsor = page002.replace(
      'Last Update Posted : May 25, 2022\n',
      '$&Sponsor:\nGeneral Hospital of Shenyang Military Region\nCollaborator:\nChina Medical University\nInformation provided by (Responsible Party):\nHui-Sheng Chen\n',
    );
    expect(parseCtgovClassicPage(withSponsor)).toMatchObject({
      leadSponsor: { name: 'General Hospital of Shenyang Military Region', class: null },
      collaborators: [{ name: 'China Medical University', class: null }],
    });
  });

  it('takes the sponsor, titles and acronym only from their rows, not from criteria starting with the word', () => {
    const page = page002.replace(
      '- Tumor patients;',
      '- Tumor patients;\n- Sponsor or investigator site staff directly involved in this study;\n- Acronym: none given;\n- Official Title of a competing trial;',
    );
    expect(page).not.toBe(page002);
    const read = parseCtgovClassicPage(page);
    expect(read.eligibility!.criteria).toContain('* Sponsor or investigator site staff');
    expect(read.leadSponsor).toBeNull();
    expect(read.acronym).toBeNull();
    expect(read.officialTitle).toBe(facts.officialTitle);
    expect(parseCtgovClassicPage(page.replace(/^Official Title:.*\n/m, '')).officialTitle).toBeNull();
  });

  it('reads posted results', () => {
    const withResults = page002
      .replace('- No Results Posted\n', '- Study Results\n')
      .replace('Last Update Posted : May 25, 2022\n', '$&Results First Posted : June 2, 2023\n');
    expect(parseCtgovClassicPage(withResults)).toMatchObject({
      hasResults: true,
      resultsFirstPostDate: { date: '2023-06-02', type: null },
    });
  });
});

describe('classic study page errors', () => {
  it('reports a study page without its identifier', () => {
    const withoutId = page002.replace(
      /ClinicalTrials\.gov Identifier:( \|)? NCT04811651/g,
      'ClinicalTrials.gov Identifier:$1',
    );
    expect(errorCodeOf(() => parseCtgovClassicPage(withoutId))).toBe('snapshot.missing-nct-id');
  });

  it('reports a text that is not a study page, even one quoting an identifier', () => {
    const pressRelease =
      'Trial begins enrolling\nThe study (ClinicalTrials.gov Identifier: NCT04811651) is recruiting.';
    expect(errorCodeOf(() => parseCtgovClassicPage(pressRelease))).toBe('snapshot.not-a-trial-record');
  });
});
