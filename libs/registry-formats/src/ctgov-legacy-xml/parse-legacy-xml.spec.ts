import { readFixture } from '../../../../test/support/fixtures.js';
import { parseSnapshots } from '../parse-snapshots.js';
import { parseLegacyXml } from './parse-legacy-xml.js';

const version2016 = readFixture('ctgov-legacy-xml', 'NCT00513591.2016-06-29.xml');
const version2018 = readFixture('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml');

const common = {
  nctId: 'NCT00513591',
  briefTitle: 'Duke Autoimmunity in Pregnancy Registry',
  officialTitle: 'Duke Autoimmunity in Pregnancy Registry',
  acronym: 'DAP Registry',
  overallStatus: 'RECRUITING',
  startDate: { date: '2007-08', type: null },
  studyFirstSubmitDate: '2007-08-06',
  studyType: 'OBSERVATIONAL',
  design: {
    allocation: null,
    interventionModel: null,
    primaryPurpose: null,
    masking: null,
    observationalModel: 'COHORT',
    timePerspective: 'PROSPECTIVE',
  },
  conditions: [
    'Pregnancy',
    'Systemic Lupus Erythematosus',
    'Cutaneous Lupus',
    'Rheumatoid Arthritis',
    "Sjogren's Syndrome",
    'Scleroderma',
  ],
  armGroups: [
    { label: '1', type: null },
    { label: '2', type: null },
    { label: '3', type: null },
  ],
  interventions: [],
  primaryOutcomes: [],
  secondaryOutcomes: [],
  leadSponsor: { name: 'Duke University', class: 'OTHER' },
  collaborators: [],
  overallOfficials: [
    { name: 'Megan E. B. Clowse, MD, MPH', affiliation: 'Duke University', role: 'PRINCIPAL_INVESTIGATOR' },
  ],
  references: [],
  locations: [
    {
      facility: 'Duke University Medical Center',
      city: 'Durham',
      state: 'North Carolina',
      country: 'United States',
      status: 'RECRUITING',
    },
  ],
  hasResults: false,
};

describe('legacy ClinicalTrials.gov XML', () => {
  it('reads the 2016 file with the pre-2017 date tag names', () => {
    const facts = parseLegacyXml(version2016);
    expect(facts).toMatchObject({
      ...common,
      enrollment: { count: 500, type: 'ESTIMATED' },
      primaryCompletionDate: { date: '2017-12', type: 'ESTIMATED' },
      completionDate: null,
      statusVerifiedDate: '2016-06',
      lastUpdateSubmitDate: '2016-06-14',
      lastUpdatePostDate: null,
      studyFirstPostDate: null,
      phases: ['NA'],
    });
    expect(facts.eligibility).toMatchObject({
      minimumAge: '18 Years',
      maximumAge: null,
      sex: 'FEMALE',
      healthyVolunteers: true,
    });
    expect(facts.eligibility?.criteria).toMatch(/^Inclusion Criteria:\n\n {2}- {2}18 years of age or older/);
  });

  it('reads the 2018 file with the later date tag names', () => {
    expect(parseLegacyXml(version2018)).toMatchObject({
      ...common,
      enrollment: { count: 1000, type: 'ESTIMATED' },
      primaryCompletionDate: { date: '2018-06', type: 'ESTIMATED' },
      completionDate: { date: '2018-06', type: 'ESTIMATED' },
      statusVerifiedDate: '2017-06',
      lastUpdateSubmitDate: '2017-06-15',
      lastUpdatePostDate: { date: '2017-06-16', type: 'ACTUAL' },
      studyFirstPostDate: { date: '2007-08-08', type: 'ESTIMATED' },
      phases: null,
    });
  });

  it('refuses a record without <nct_id>', () => {
    expect(() => parseLegacyXml(version2016.replace(/<nct_id>.*<\/nct_id>/, ''))).toThrow(
      expect.objectContaining({ code: 'snapshot.missing-nct-id', message: expect.stringMatching(/nct_id/) }),
    );
  });

  it('refuses XML that is not well-formed, saying where', () => {
    expect(() => parseLegacyXml(version2016.slice(0, 2000))).toThrow(
      expect.objectContaining({ code: 'snapshot.malformed', message: expect.stringMatching(/line \d+/) }),
    );
  });

  const withTitle = (title: string) =>
    version2018.replace(/<brief_title>[^<]*<\/brief_title>/, `<brief_title>${title}</brief_title>`);

  it('reads character references as the characters they stand for', () => {
    const literal = parseLegacyXml(withTitle('Sj\u00f6gren\u2019s Syndrome\u00a0in Pregnancy'));
    const referenced = parseLegacyXml(withTitle('Sj&#246;gren&#8217;s Syndrome&#xA0;in Pregnancy'));
    expect(literal.briefTitle).toBe('Sj\u00f6gren\u2019s Syndrome in Pregnancy');
    expect(referenced.briefTitle).toBe(literal.briefTitle);
    expect(parseLegacyXml(withTitle('A &amp; B &lt;2&gt; &quot;C&apos;s&quot;')).briefTitle).toBe('A & B <2> "C\'s"');
  });

  it('refuses a reference to an entity XML does not define (&nbsp; without a DTD), instead of keeping it as text', () => {
    expect(() => parseLegacyXml(withTitle('Duke&nbsp;Registry'))).toThrow(
      expect.objectContaining({ code: 'snapshot.malformed', message: expect.stringMatching(/&nbsp; is not defined/) }),
    );
    // Escaped, it is text like any other.
    expect(parseLegacyXml(withTitle('Duke&amp;nbsp;Registry')).briefTitle).toBe('Duke&nbsp;Registry');
    // Declared in the document's DTD, it is defined.
    const declared = withTitle('Duke&nbsp;Registry').replace(
      '<clinical_study',
      '<!DOCTYPE clinical_study [<!ENTITY nbsp "\u00a0">]>\n<clinical_study',
    );
    expect(parseLegacyXml(declared).briefTitle).toBe('Duke Registry');
  });

  it('reads CDATA sections as the text they hold, keeping the spaces around them', () => {
    expect(parseLegacyXml(withTitle('<![CDATA[A &amp; B <2>]]>')).briefTitle).toBe('A &amp; B <2>');
    expect(parseLegacyXml(withTitle("Lupus <![CDATA[& Sjogren's]]> in Pregnancy")).briefTitle).toBe(
      "Lupus & Sjogren's in Pregnancy",
    );
    expect(parseLegacyXml(withTitle('<![CDATA[Lupus]]> <![CDATA[Registry]]>')).briefTitle).toBe('Lupus Registry');
    expect(parseLegacyXml(withTitle('Lupus &amp; <![CDATA[Sj]]>&#246;gren')).briefTitle).toBe('Lupus & Sjögren');
  });

  it('reads no site from a <location> that names no place', () => {
    const xml = version2018.replace('<location>', '<location><status>Recruiting</status></location>\n  <location>');
    expect(parseLegacyXml(xml).locations).toEqual(common.locations);
  });

  it('reads results references as results publications, other references without saying which kind', () => {
    const xml = version2018.replace(
      '<overall_official>',
      `<reference>
    <citation>Clowse ME. Lupus activity in pregnancy. Rheum Dis Clin North Am. 2007;33(2):237-52.</citation>
    <PMID>17499705</PMID>
  </reference>
  <results_reference>
    <citation>Clowse ME, et al. Outcomes of the
      Duke Autoimmunity in Pregnancy Registry. Lupus. 2019.</citation>
    <PMID> 31000001 </PMID>
  </results_reference>
  <results_reference><PMID>31000002</PMID></results_reference>
  <overall_official>`,
    );
    expect(parseLegacyXml(xml).references).toEqual([
      // Legacy XML does not tell background reading from a publication the registry linked from PubMed.
      {
        pmid: '17499705',
        type: null,
        citation: 'Clowse ME. Lupus activity in pregnancy. Rheum Dis Clin North Am. 2007;33(2):237-52.',
      },
      {
        pmid: '31000001',
        type: 'RESULT',
        citation: 'Clowse ME, et al. Outcomes of the Duke Autoimmunity in Pregnancy Registry. Lupus. 2019.',
      },
    ]);
  });

  it("reads an official's name from its parts, and one without a role or affiliation", () => {
    const xml = version2018.replace(
      /<overall_official>[\s\S]*?<\/overall_official>/,
      `<overall_official><first_name>Megan</first_name><last_name>Clowse</last_name><degrees>MD</degrees></overall_official>
  <overall_official><role>Study Chair</role></overall_official>`,
    );
    expect(parseLegacyXml(xml).overallOfficials).toEqual([{ name: 'Megan Clowse, MD', affiliation: null, role: null }]);
  });
  it('reads the day results were first submitted where it shows them, and leaves it unknown where it does not', () => {
    const withResults = version2018.replace(
      '<last_update_submitted>',
      `<results_first_submitted>March 20, 2020</results_first_submitted>
  <results_first_submitted_qc>April 23, 2020</results_first_submitted_qc>
  <results_first_posted type="Actual">May 7, 2020</results_first_posted>
  <last_update_submitted>`,
    );
    expect(parseLegacyXml(withResults).resultsFirstSubmitDate).toBe('2020-03-20');
    expect(
      parseLegacyXml(
        version2016.replace(
          '</firstreceived_date>',
          '</firstreceived_date>\n  <firstreceived_results_date>March 20, 2020</firstreceived_results_date>',
        ),
      ).resultsFirstSubmitDate,
    ).toBe('2020-03-20');
    // The format shows no submission awaiting the registry's review: without results, whether one was made is not shown.
    const [snapshot] = parseSnapshots(version2018, { receivedAt: '2026-01-01T00:00:00.000Z' });
    expect(snapshot!.resultsFirstSubmitDate).toBeNull();
    expect(snapshot!.source.definitive).not.toContain('resultsFirstSubmitDate');
    expect(snapshot!.source.definitive).toContain('whyStopped');
  });

  describe("a submission awaiting the registry's quality-control review (<pending_results>)", () => {
    /** The 2018 version without results, with these `<pending_results>` elements. */
    const pending = (...elements: string[]) =>
      version2018.replace('</clinical_study>', `${elements.join('\n  ')}\n</clinical_study>`);
    const read = (xml: string) => parseSnapshots(xml, { receivedAt: '2026-01-01T00:00:00.000Z' })[0]!;
    const submitted = (date: string) => `<pending_results><submitted>${date}</submitted></pending_results>`;
    const returned = (date: string) => `<pending_results><returned>${date}</returned></pending_results>`;
    const canceled = (date: string) =>
      `<pending_results><submission_canceled>${date}</submission_canceled></pending_results>`;

    it('reads results submitted and not yet posted as submitted that day, which the record states', () => {
      const snapshot = read(pending(submitted('March 26, 2019')));
      expect(snapshot).toMatchObject({ resultsFirstSubmitDate: '2019-03-26', hasResults: false });
      expect(snapshot.source.definitive).toContain('resultsFirstSubmitDate');
    });

    it('reads a submission returned with comments and submitted again as submitted on its first day', () => {
      const events = [submitted('March 26, 2019'), returned('May 2, 2019'), submitted('June 14, 2019')];
      expect(parseLegacyXml(pending(...events)).resultsFirstSubmitDate).toBe('2019-03-26');
      // in date order, however the record lists them, and in one element as well as in several
      expect(parseLegacyXml(pending(...[...events].reverse())).resultsFirstSubmitDate).toBe('2019-03-26');
      const together =
        '<pending_results><submitted>June 14, 2019</submitted><returned>May 2, 2019</returned><submitted>March 26, 2019</submitted></pending_results>';
      expect(parseLegacyXml(pending(together)).resultsFirstSubmitDate).toBe('2019-03-26');
    });

    it('reads a submission canceled and made again as submitted on the day it was made again', () => {
      const xml = pending(submitted('March 26, 2019'), canceled('April 3, 2019'), submitted('August 1, 2019'));
      expect(parseLegacyXml(xml).resultsFirstSubmitDate).toBe('2019-08-01');
    });

    it('reads a submission canceled last as none: the record states that no submission awaits review', () => {
      const snapshot = read(pending(submitted('March 26, 2019'), canceled('April 3, 2019')));
      expect(snapshot.resultsFirstSubmitDate).toBeNull();
      expect(snapshot.source.definitive).toContain('resultsFirstSubmitDate');
    });

    it('leaves out an event whose date it cannot read', () => {
      const xml = pending(submitted('sometime in spring'), returned('May 2, 2019'), submitted('June 14, 2019'));
      expect(parseLegacyXml(xml).resultsFirstSubmitDate).toBe('2019-06-14');
      const undatedCancel = pending(submitted('March 26, 2019'), canceled(''));
      expect(parseLegacyXml(undatedCancel).resultsFirstSubmitDate).toBe('2019-03-26');
      // a cancellation it can read after a submission it cannot: whether one awaits review is not known
      const unreadable = read(pending(canceled('April 3, 2019'), submitted('sometime in spring')));
      expect(unreadable.resultsFirstSubmitDate).toBeNull();
      expect(unreadable.source.definitive).not.toContain('resultsFirstSubmitDate');
    });

    it('reads the day of posted results first, as API v2 does', () => {
      const withResults = pending(submitted('June 14, 2021')).replace(
        '<last_update_submitted>',
        `<results_first_submitted>March 20, 2020</results_first_submitted>
  <results_first_posted type="Actual">May 7, 2020</results_first_posted>
  <last_update_submitted>`,
      );
      expect(parseLegacyXml(withResults).resultsFirstSubmitDate).toBe('2020-03-20');
    });
  });
});
