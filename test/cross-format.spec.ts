import {
  designChanged,
  eligibilityChanged,
  factsOf,
  foldEvents,
  type SnapshotDecision,
  type TrialFacts,
} from '@app/domain';
import { ingestAll, parseSnapshot as parse } from './support/snapshots-in-turn.js';
import { REGISTRY_PAGES, registryPageHtml, registryPageText } from './support/registry-page-fixtures.js';
import { apiV2Study, limitedApiV2Study } from './support/render-api-v2.js';
import { readFixture } from './support/fixtures.js';

/** The registry's full record of the version a page shows: the last update typed, results flag. */
const fullRecordOf = (facts: TrialFacts, extra: Partial<TrialFacts> = {}): string =>
  JSON.stringify(
    apiV2Study({
      ...facts,
      lastUpdatePostDate: facts.lastUpdatePostDate
        ? { date: facts.lastUpdatePostDate.date, type: 'ACTUAL' }
        : { date: '2026-01-05', type: 'ACTUAL' },
      hasResults: facts.hasResults ?? false,
      ...extra,
    }),
  );
const nonLearned = (decision: SnapshotDecision) => decision.events.filter((e) => e.type !== 'trial.facts-learned');

describe.each(REGISTRY_PAGES)('page %s', (page) => {
  it('text and HTML parse to the same facts', () => {
    expect(factsOf(parse(registryPageHtml(page)))).toEqual(factsOf(parse(registryPageText(page))));
  });
  it('page then its API v2 record: nothing changed', () => {
    const pageSnap = parse(registryPageText(page));
    const api = parse(fullRecordOf(factsOf(pageSnap)));
    expect(api.source.definitive.length).toBeGreaterThan(0);
    const [, second] = ingestAll([pageSnap, api]);
    expect(nonLearned(second!)).toEqual([]);
  });
  it('API v2 record then the page: nothing changed', () => {
    const pageSnap = parse(registryPageText(page), '2026-01-11T00:00:00.000Z');
    const api = parse(fullRecordOf(factsOf(pageSnap)), '2026-01-10T00:00:00.000Z');
    const [, second] = ingestAll([api, pageSnap]);
    expect(nonLearned(second!)).toEqual([]);
  });
});

const bumped = (facts: TrialFacts): Partial<TrialFacts> => {
  const next = facts.lastUpdatePostDate
    ? new Date(Date.parse(facts.lastUpdatePostDate.date) + 86_400_000 * 40)
    : new Date('2026-01-05');
  const day = next.toISOString().slice(0, 10);
  return { lastUpdatePostDate: { date: day, type: 'ACTUAL' }, lastUpdateSubmitDate: day };
};

describe.each(REGISTRY_PAGES)('page %s and a later version with the same content', (page) => {
  it('page, then the full record of a newer version with nothing else changed: only the version moves', () => {
    const pageSnap = parse(registryPageText(page), '2026-01-01T00:00:00.000Z');
    const api = parse(fullRecordOf(factsOf(pageSnap), bumped(factsOf(pageSnap))), '2026-03-01T00:00:00.000Z');
    const [, second] = ingestAll([pageSnap, api]);
    expect(
      nonLearned(second!)
        .map((e) => e.type)
        .filter((t) => t !== 'trial.last-update-posted-date-moved'),
    ).toEqual([]);
  });
});

const typesOf = (decision: SnapshotDecision) => nonLearned(decision).map((e) => e.type);
const versionMove = 'trial.last-update-posted-date-moved';

/** Page 004 (registry mirror) with two conditions that share no word, printed on one line. */
const twoConditionsOnOneLine = (): string =>
  registryPageText('004_e3c06c917fab1162').replace(
    'Multiple Sclerosis Secondary-Progressive Multiple Sclerosis Mesenchymal Stem Cells',
    'Multiple Sclerosis Mesenchymal Stem Cells',
  );

describe('two conditions that share no word, run together on a registry mirror page', () => {
  it('are not read as one condition', () => {
    expect(parse(twoConditionsOnOneLine()).conditions).not.toEqual(['Multiple Sclerosis Mesenchymal Stem Cells']);
  });

  it('page, then the API v2 record of a newer version: no condition change', () => {
    const pageSnap = parse(twoConditionsOnOneLine(), '2024-05-01T00:00:00.000Z');
    const facts = factsOf(pageSnap);
    const api = parse(
      fullRecordOf(facts, { ...bumped(facts), conditions: ['Multiple Sclerosis', 'Mesenchymal Stem Cells'] }),
      '2026-03-01T00:00:00.000Z',
    );
    const [, second] = ingestAll([pageSnap, api]);
    expect(typesOf(second!)).toEqual([versionMove]);
  });

  it('API v2 record, then a newer page: no condition change', () => {
    const facts = factsOf(parse(twoConditionsOnOneLine()));
    const api = parse(
      fullRecordOf(facts, {
        lastUpdatePostDate: { date: '2024-03-20', type: 'ACTUAL' },
        lastUpdateSubmitDate: '2024-03-19',
        conditions: ['Multiple Sclerosis', 'Mesenchymal Stem Cells'],
      }),
      '2024-03-21T00:00:00.000Z',
    );
    const [, second] = ingestAll([api, parse(twoConditionsOnOneLine(), '2024-05-01T00:00:00.000Z')]);
    expect(typesOf(second!)).toEqual([versionMove]);
  });
});

/** The 2018 legacy XML of NCT00513591 with its lead sponsor and a collaborator that legacy XML classes "Other". */
const legacyWithOtherSponsors = (): string =>
  readFixture('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml')
    .replace('<agency>Duke University</agency>', '<agency>Ministry of Health, Brazil</agency>')
    .replace(
      '</lead_sponsor>',
      '</lead_sponsor>\n    <collaborator>\n      <agency>Brazilian Stroke Network</agency>\n      <agency_class>Other</agency_class>\n    </collaborator>',
    );

/** The 2018 legacy XML of NCT00513591 as the version posted on `posted` (`June 16, 2017`), with these elements. */
const legacyVersion = (posted: string, ...elements: string[]): string =>
  readFixture('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml')
    .replace('<last_update_posted type="Actual">June 16, 2017<', `<last_update_posted type="Actual">${posted}<`)
    .replace('</clinical_study>', `${elements.join('\n  ')}\n</clinical_study>`);

describe("legacy XML showing results awaiting the registry's review", () => {
  const submitted = '<pending_results><submitted>March 26, 2019</submitted></pending_results>';
  const canceled = '<pending_results><submission_canceled>April 3, 2019</submission_canceled></pending_results>';
  const resultsEvents = (decision: SnapshotDecision) =>
    nonLearned(decision).filter((e) => e.type === 'trial.results-submitted');

  it('a later version whose submission was canceled announces it taken back', () => {
    const [, second] = ingestAll([
      parse(legacyVersion('March 28, 2019', submitted), '2019-03-29T00:00:00.000Z'),
      parse(legacyVersion('April 5, 2019', submitted, canceled), '2019-04-06T00:00:00.000Z'),
    ]);
    expect(resultsEvents(second!)).toMatchObject([{ data: { from: '2019-03-26', to: null, posted: false } }]);
  });

  it('a later version without <pending_results> takes nothing away: the format did not always show them', () => {
    const [, second] = ingestAll([
      parse(legacyVersion('March 28, 2019', submitted), '2019-03-29T00:00:00.000Z'),
      parse(legacyVersion('April 5, 2019'), '2019-04-06T00:00:00.000Z'),
    ]);
    expect(resultsEvents(second!)).toEqual([]);
  });
});

describe('legacy XML, then the API v2 record of a later version', () => {
  const laterRecord = (facts: TrialFacts, extra: Partial<TrialFacts>) =>
    parse(
      fullRecordOf(facts, {
        lastUpdatePostDate: { date: '2019-02-01', type: 'ACTUAL' },
        lastUpdateSubmitDate: '2019-01-30',
        ...extra,
      }),
      '2019-02-02T00:00:00.000Z',
    );

  it('a lead sponsor the legacy XML classes "Other" and API v2 classes OTHER_GOV is not a new lead sponsor', () => {
    const legacy = parse(legacyWithOtherSponsors(), '2018-05-11T00:00:00.000Z');
    expect(legacy.leadSponsor).toEqual({ name: 'Ministry of Health, Brazil', class: 'OTHER' });
    const api = laterRecord(factsOf(legacy), {
      leadSponsor: { name: 'Ministry of Health, Brazil', class: 'OTHER_GOV' },
    });
    const [, second] = ingestAll([legacy, api]);
    expect(typesOf(second!)).toEqual([versionMove]);
  });

  it('a collaborator the legacy XML classes "Other" and API v2 classes NETWORK is neither removed nor added', () => {
    const legacy = parse(legacyWithOtherSponsors(), '2018-05-11T00:00:00.000Z');
    expect(legacy.collaborators).toEqual([{ name: 'Brazilian Stroke Network', class: 'OTHER' }]);
    const api = laterRecord(factsOf(legacy), {
      collaborators: [{ name: 'Brazilian Stroke Network', class: 'NETWORK' }],
    });
    const [, second] = ingestAll([legacy, api]);
    expect(typesOf(second!)).toEqual([versionMove]);
  });

  it('a collaborator reclassed from "Other" to NETWORK as another is added: the added one is held once', () => {
    const legacy = parse(legacyWithOtherSponsors(), '2018-05-11T00:00:00.000Z');
    const collaborators = [
      { name: 'Brazilian Stroke Network', class: 'NETWORK' },
      { name: 'Sanofi', class: 'INDUSTRY' },
    ];
    const api = laterRecord(factsOf(legacy), { collaborators });
    const next = parse(
      fullRecordOf(factsOf(legacy), {
        lastUpdatePostDate: { date: '2019-06-01', type: 'ACTUAL' },
        lastUpdateSubmitDate: '2019-05-30',
        collaborators,
      }),
      '2019-06-02T00:00:00.000Z',
    );
    const [first, second, third] = ingestAll([legacy, api, next]);
    expect(typesOf(second!)).toEqual(['trial.collaborators-changed', versionMove]);
    // The version after changes no collaborator: none is removed.
    expect(typesOf(third!)).toEqual([versionMove]);
    const state = foldEvents([...first!.events, ...second!.events])!;
    expect(state.collaborators).toEqual(collaborators);
  });

  it('a sponsor the legacy XML classes "Other" and API v2 classes INDUSTRY is a change', () => {
    const legacy = parse(legacyWithOtherSponsors(), '2018-05-11T00:00:00.000Z');
    const api = laterRecord(factsOf(legacy), {
      leadSponsor: { name: 'Ministry of Health, Brazil', class: 'INDUSTRY' },
    });
    const [, second] = ingestAll([legacy, api]);
    expect(typesOf(second!)).toEqual(['trial.lead-sponsor-changed', versionMove]);
  });
});

describe('two API v2 records of the same trial', () => {
  it('a sponsor reclassed from OTHER_GOV to NETWORK is a change', () => {
    const facts = factsOf(parse(readFixture('ctgov-api-v2', 'NCT06171568.json')));
    const first = parse(
      fullRecordOf(facts, { leadSponsor: { name: 'Ministry of Health, Brazil', class: 'OTHER_GOV' } }),
      '2024-01-01T00:00:00.000Z',
    );
    const second = parse(
      fullRecordOf(facts, {
        ...bumped(facts),
        leadSponsor: { name: 'Ministry of Health, Brazil', class: 'NETWORK' },
      }),
      '2026-03-01T00:00:00.000Z',
    );
    const [, decision] = ingestAll([first, second]);
    expect(typesOf(decision!)).toContain('trial.lead-sponsor-changed');
  });
});

describe('two API v2 records of a trial whose next version drops (or introduces) its upper age limit and its masking', () => {
  /** A version of the real record NCT02210780 (ages 18 to 64, triple masked), last updated on `posted`. */
  type Protocol = Record<'statusModule' | 'eligibilityModule', Record<string, unknown>> & {
    designModule: { designInfo: Record<string, unknown> };
  };
  const versionOf = (posted: string, edit: (protocol: Protocol) => void = () => {}): string => {
    const study = JSON.parse(readFixture('ctgov-api-v2', 'NCT02210780.json')) as { protocolSection: Protocol };
    study.protocolSection.statusModule['lastUpdatePostDateStruct'] = { date: posted, type: 'ACTUAL' };
    study.protocolSection.statusModule['lastUpdateSubmitDate'] = posted;
    edit(study.protocolSection);
    return JSON.stringify(study);
  };

  it('announces both as gone, and the trial no longer holds them', () => {
    const first = parse(versionOf('2021-01-05'), '2021-01-06T00:00:00.000Z');
    const second = parse(
      versionOf('2021-03-05', (protocol) => {
        delete protocol.eligibilityModule['maximumAge'];
        delete protocol.designModule.designInfo['maskingInfo'];
      }),
      '2021-03-06T00:00:00.000Z',
    );
    const [, decision] = ingestAll([first, second]);
    expect(nonLearned(decision!)).toEqual(
      expect.arrayContaining([
        designChanged({ masking: { from: 'TRIPLE', to: null } }),
        eligibilityChanged({ maximumAge: { from: '64 Years', to: null } }),
      ]),
    );
    const events = [...ingestAll([first])[0]!.events, ...decision!.events];
    const state = foldEvents(events)!;
    expect(state.eligibility?.maximumAge).toBeNull();
    expect(state.design?.masking).toBeNull();
  });

  it('the other way round, a version that introduces an upper age limit and a masking announces both', () => {
    const first = parse(
      versionOf('2021-01-05', (protocol) => {
        delete protocol.eligibilityModule['maximumAge'];
        delete protocol.designModule.designInfo['maskingInfo'];
      }),
      '2021-01-06T00:00:00.000Z',
    );
    const second = parse(versionOf('2021-03-05'), '2021-03-06T00:00:00.000Z');
    const [registered, decision] = ingestAll([first, second]);
    expect(nonLearned(decision!)).toEqual(
      expect.arrayContaining([
        designChanged({ masking: { from: null, to: 'TRIPLE' } }),
        eligibilityChanged({ maximumAge: { from: null, to: '64 Years' } }),
      ]),
    );
    const state = foldEvents([...registered!.events, ...decision!.events])!;
    expect(state.eligibility?.maximumAge).toBe('64 Years');
    expect(state.design?.masking).toBe('TRIPLE');
  });
});

/** Page 002 (classic ClinicalTrials.gov) of a trial for children from one year old. */
const fromOneYear = (): string =>
  registryPageText('002_d185bd8e963bc08b').replace(
    '18 Years to 80 Years (Adult, Older Adult)',
    '1 Year to 17 Years (Child)',
  );

describe('a minimum age of one year ("1 Year" in API v2, "1 Year to 17 Years" on the classic page)', () => {
  it('page, then the API v2 record of a newer version: no eligibility change', () => {
    const pageSnap = parse(fromOneYear(), '2022-06-01T00:00:00.000Z');
    const facts = factsOf(pageSnap);
    const api = parse(
      fullRecordOf(facts, { ...bumped(facts), eligibility: { ...facts.eligibility!, minimumAge: '1 Year' } }),
      '2026-03-01T00:00:00.000Z',
    );
    const [, second] = ingestAll([pageSnap, api]);
    expect(typesOf(second!)).toEqual([versionMove]);
  });

  it('API v2 record, then a newer page: no eligibility change', () => {
    const facts = factsOf(parse(fromOneYear()));
    const api = parse(
      fullRecordOf(facts, {
        lastUpdatePostDate: { date: '2022-01-10', type: 'ACTUAL' },
        lastUpdateSubmitDate: '2022-01-09',
        eligibility: { ...facts.eligibility!, minimumAge: '1 Year' },
      }),
      '2022-01-11T00:00:00.000Z',
    );
    const [, second] = ingestAll([api, parse(fromOneYear(), '2022-06-01T00:00:00.000Z')]);
    expect(typesOf(second!)).toEqual([versionMove]);
  });
});

describe('a fields= search result observed between two full records', () => {
  it("announces the second record's changes of fields the search result never showed", () => {
    const v1 = factsOf(parse(readFixture('ctgov-api-v2', 'NCT06171568.json'))); // posted 2023-12-14
    const first = parse(JSON.stringify(apiV2Study(v1)), '2023-12-15T00:00:00.000Z');
    // A watchlist search (fields=) seen 2024-06-01: status and dates without types, no primary completion.
    const search = parse(JSON.stringify(limitedApiV2Study(v1)), '2024-06-01T00:00:00.000Z');
    expect(search.source.definitive).toEqual([]);
    expect(search.primaryCompletionDate).toBeNull();
    // Version 2, posted 2024-05-02: the sponsor pushed the primary completion date back a year.
    const v2: TrialFacts = {
      ...v1,
      lastUpdateSubmitDate: '2024-05-01',
      lastUpdatePostDate: { date: '2024-05-02', type: 'ACTUAL' },
      primaryCompletionDate: { date: '2026-02-01', type: 'ESTIMATED' },
    };
    const second = parse(JSON.stringify(apiV2Study(v2)), '2024-07-01T00:00:00.000Z');
    const [, middle, last] = ingestAll([first, search, second]);
    expect(middle!.outcome).toBe('unchanged');
    expect(last!.events.map((event) => event.type)).toContain('trial.primary-completion-date-changed');
  });
});

/** The 2018 legacy XML of NCT00513591 with its overall official given in parts, as the XML schema allows. */
const legacyWithOfficialInParts = (): string =>
  readFixture('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml').replace(
    // The first one is the official's; the overall contact's follows.
    '<last_name>Megan E. B. Clowse, MD, MPH</last_name>',
    '<first_name>Megan</first_name> <middle_name>E B</middle_name> <last_name>Clowse</last_name> <degrees>M.D., M.P.H.</degrees>',
  );

/** The 2018 legacy XML of NCT00513591 citing a paper, as a `<reference>` (no type) with its PubMed ID. */
const legacyWithReference = (citation: string): string =>
  readFixture('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml').replace(
    '  <overall_official>',
    `  <reference>\n    <citation>${citation}</citation>\n    <PMID>18519994</PMID>\n  </reference>\n  <overall_official>`,
  );

const thompson =
  'Thompson V, Craig RG, Curro FA, Green WS, Ship JA. Treatment of deep carious lesions by complete excavation or partial removal: a critical review. J Am Dent Assoc. 2008 Jun;139(6):705-12.';

describe('the overall official of legacy XML, then the API v2 record of a later version', () => {
  const official = (name: string) => ({ name, affiliation: 'Duke University', role: 'PRINCIPAL_INVESTIGATOR' });
  const laterRecord = (facts: TrialFacts, overallOfficials: TrialFacts['overallOfficials']) =>
    parse(
      fullRecordOf(facts, {
        lastUpdatePostDate: { date: '2019-02-01', type: 'ACTUAL' },
        lastUpdateSubmitDate: '2019-01-30',
        overallOfficials,
      }),
      '2019-02-02T00:00:00.000Z',
    );
  const fixture = () =>
    parse(readFixture('ctgov-legacy-xml', 'NCT00513591.2018-05-11.xml'), '2018-05-11T00:00:00.000Z');

  it('reads the name as the registry prints it', () => {
    expect(fixture().overallOfficials).toEqual([official('Megan E. B. Clowse, MD, MPH')]);
  });

  it.each([
    ['the same spelling', 'Megan E. B. Clowse, MD, MPH'],
    ['degrees with dots', 'Megan E. B. Clowse, M.D., M.P.H.'],
    ['initials without dots, degrees run together', 'Megan E B Clowse, MD MPH'],
    ['initials without a space', 'Megan E.B. Clowse, MD, MPH'],
    ['in capitals', 'MEGAN E. B. CLOWSE, MD, MPH'],
    ['without degrees', 'Megan E. B. Clowse'],
    ['another degree added', 'Megan E. B. Clowse, MD, MPH, PhD'],
    ['without middle initials', 'Megan Clowse, MD, MPH'],
  ])('%s ("%s") is the same official: no change', (_, name) => {
    const legacy = fixture();
    const [, second] = ingestAll([legacy, laterRecord(factsOf(legacy), [official(name)])]);
    expect(typesOf(second!)).toEqual([versionMove]);
  });

  it('an official the XML gives in parts ("Megan", "E B", "Clowse", "M.D., M.P.H.") is the one API v2 names whole', () => {
    const legacy = parse(legacyWithOfficialInParts(), '2018-05-11T00:00:00.000Z');
    expect(legacy.overallOfficials).toEqual([official('Megan E B Clowse, M.D., M.P.H.')]);
    const [, second] = ingestAll([legacy, laterRecord(factsOf(legacy), [official('Megan E. B. Clowse, MD, MPH')])]);
    expect(typesOf(second!)).toEqual([versionMove]);
  });

  it.each([
    ['another surname', 'Megan E. B. Smith, MD, MPH'],
    ['another first name', 'Mary E. B. Clowse, MD, MPH'],
    ['other middle initials', 'Megan A. Clowse, MD, MPH'],
  ])('%s ("%s") is another official: the officials changed', (_, name) => {
    const legacy = fixture();
    const [, second] = ingestAll([legacy, laterRecord(factsOf(legacy), [official(name)])]);
    expect(typesOf(second!)).toEqual(['trial.officials-changed', versionMove]);
  });
});

describe('a reference of legacy XML, then the API v2 record of a later version', () => {
  const laterRecord = (facts: TrialFacts, references: TrialFacts['references']) =>
    parse(
      fullRecordOf(facts, {
        lastUpdatePostDate: { date: '2019-02-01', type: 'ACTUAL' },
        lastUpdateSubmitDate: '2019-01-30',
        references,
      }),
      '2019-02-02T00:00:00.000Z',
    );

  it('the XML leaves its type unknown; API v2 typing it BACKGROUND or DERIVED is no change', () => {
    const legacy = parse(legacyWithReference(thompson), '2018-05-11T00:00:00.000Z');
    expect(legacy.references).toEqual([{ pmid: '18519994', type: null, citation: thompson }]);
    for (const type of ['BACKGROUND', 'DERIVED']) {
      const api = laterRecord(factsOf(legacy), [
        { pmid: '18519994', type, citation: `${thompson} doi: 10.14219/jada.archive.2008.0252.` },
      ]);
      const [, second] = ingestAll([legacy, api]);
      expect(typesOf(second!)).toEqual([versionMove]);
    }
  });

  it('a citation re-wrapped, with markdown escapes and its PubMed ID written into it rather than beside it, is the same paper', () => {
    const wrapped = thompson.replace('Treatment of', 'Treatment\n      of').replace('705-12.', '705\\-12.');
    const legacy = parse(legacyWithReference(wrapped), '2018-05-11T00:00:00.000Z');
    const api = laterRecord(factsOf(legacy), [
      { pmid: null, type: 'BACKGROUND', citation: `${thompson} PMID: 18519994` },
    ]);
    const [, second] = ingestAll([legacy, api]);
    expect(typesOf(second!)).toEqual([versionMove]);
  });

  it('another paper (another PubMed ID) in its place is a change', () => {
    const legacy = parse(legacyWithReference(thompson), '2018-05-11T00:00:00.000Z');
    const api = laterRecord(factsOf(legacy), [{ pmid: '18519995', type: 'BACKGROUND', citation: thompson }]);
    const [, second] = ingestAll([legacy, api]);
    expect(typesOf(second!)).toEqual(['trial.references-changed', versionMove]);
  });
});
