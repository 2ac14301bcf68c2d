import * as cheerio from 'cheerio';
import { LEGACY_FACTS, LEGACY_PAIR, recorded } from '../testing/recorded-changes.js';
import { ARABIC_TITLE, directionsOf, HEBREW_NAME } from '../testing/text-direction.js';
import { compareVersionsPage } from './compare-versions.view.js';
import { compareRecords, recordVersionsOf, TrialVersionNotFoundError } from './record-versions.js';

const SHA_2018 = 'c'.repeat(64);
/** The legacy pair (its first snapshot not showing the keywords), then a snapshot of 2018 that only taught trialwatch the keywords. */
const { keywords: _keywordsNotShown, ...FACTS_WITHOUT_KEYWORDS } = LEGACY_FACTS;
const WITH_LEARNED = recorded([
  ...LEGACY_PAIR.map(({ occurredAt, event, contentSha256 }, index) => ({
    at: occurredAt,
    event:
      index === 0
        ? { type: 'trial.registered' as const, schemaVersion: 2 as const, data: { facts: FACTS_WITHOUT_KEYWORDS } }
        : event,
    sha: contentSha256 ?? undefined,
  })),
  {
    at: '2018-05-11T00:00:00.000Z',
    sha: SHA_2018,
    event: { type: 'trial.facts-learned', schemaVersion: 1, data: { facts: { keywords: ['pregnancy', 'lupus'] } } },
  },
]);

const render = (from: number, to: number) => {
  const comparison = compareRecords('NCT00513591', WITH_LEARNED, from, to);
  return cheerio.load(
    compareVersionsPage({
      nctId: 'NCT00513591',
      briefTitle: 'Duke Autoimmunity in Pregnancy Registry',
      records: recordVersionsOf(WITH_LEARNED),
      comparison,
    }),
  );
};
const text = (value: string) => value.replace(/\s+/g, ' ').trim();
const rowsOf = ($: cheerio.CheerioAPI, table: string) =>
  $(`${table} tbody tr`)
    .map((_, row) => [
      [
        text($(row).find('th').text()),
        ...$(row)
          .find('td')
          .map((__, cell) => text($(cell).text()))
          .get(),
      ],
    ])
    .get();

describe('comparing two records of a trial', () => {
  it('lists each record once, named by the version of its last event', () => {
    expect(recordVersionsOf(WITH_LEARNED).map(({ firstVersion, version }) => [firstVersion, version])).toEqual([
      [1, 1],
      [2, 6],
      [7, 7],
    ]);
  });

  it('sets the fields the registry changed side by side, the older record first', () => {
    const $ = render(6, 1);
    expect(text($('h1').text())).toBe('Compare two records of NCT00513591');
    expect(text($('#changed-caption').text())).toBe(
      'Fields the registry changed between the record of 14 Jun 2016 and the record of 16 Jun 2017',
    );
    expect(
      $('#changed-caption-table thead th')
        .map((_, cell) => text($(cell).text()))
        .get(),
    ).toEqual(['Field', 'Record of 14 Jun 2016', 'Record of 16 Jun 2017']);
    expect(rowsOf($, '#changed-caption-table')).toEqual(
      expect.arrayContaining([
        ['Enrollment', '500 (estimated)', '1000 (estimated)'],
        ['Primary completion date', 'Dec 2017 (estimated)', 'Jun 2018 (estimated)'],
        // The legacy XML is a complete record: the 2016 one, leaving the completion date out, stated none.
        ['Completion date', 'none', 'Jun 2018 (estimated)'],
      ]),
    );
    expect(text($('.result-count').text())).toMatch(/^\d+ fields changed, 0 learned, \d+ unchanged\.$/);
    expect($('#learned-caption')).toHaveLength(0);
    expect(
      $('a.snapshot-link')
        .map((_, link) => $(link).attr('href'))
        .get(),
    ).toEqual([`/ui/snapshots/${'a'.repeat(64)}`, `/ui/snapshots/${'b'.repeat(64)}`]);
  });

  it('marks what trialwatch only learned apart from the changes, and folds the unchanged fields', () => {
    const $ = render(6, 7);
    expect($('#changed-caption-table')).toHaveLength(0);
    expect(text($('#changed-heading').next().text())).toBe(
      'The registry changed no field between the record of 16 Jun 2017 and the record of 11 May 2018.',
    );
    expect(rowsOf($, '#learned-caption-table')).toEqual([
      ['Keywords Learned, not a change', 'unknown', 'pregnancylupus'],
    ]);
    expect(
      $('#learned-caption-table td li')
        .map((_, item) => $(item).text())
        .get(),
    ).toEqual(['pregnancy', 'lupus']);
    expect($('details.unchanged-fields > summary').text()).toMatch(/^Show the \d+ unchanged fields$/);
    expect(rowsOf($, 'details.unchanged-fields table')).toContainEqual([
      'Enrollment',
      '1000 (estimated)',
      '1000 (estimated)',
    ]);
  });

  it('offers every record in the two pickers, the compared ones selected', () => {
    const $ = render(1, 7);
    expect(
      $('#compare-from option')
        .map((_, option) => text($(option).text()))
        .get(),
    ).toEqual([
      'Record of 14 Jun 2016 (version 1)',
      'Record of 16 Jun 2017 (version 6)',
      'Record of 11 May 2018 (version 7)',
    ]);
    expect($('#compare-from option[selected]').attr('value')).toBe('1');
    expect($('#compare-to option[selected]').attr('value')).toBe('7');
    expect($('label[for="compare-from"]').text()).toBe('Older record');
  });

  it('refuses a version the trial does not have, naming the range it has', () => {
    expect(() => compareRecords('NCT00513591', WITH_LEARNED, 1, 9)).toThrow(
      new TrialVersionNotFoundError('NCT00513591', 9, 7),
    );
    expect(() => compareRecords('NCT00513591', WITH_LEARNED, 1, 9)).toThrow(
      'NCT00513591 has no version 9: its versions run from 1 to 7',
    );
  });
});

describe('comparing across a value the registry removed', () => {
  // A source that did not show the first-posted date: the field is left out of the facts, not null.
  const { studyFirstPostDate: _notShown, ...shownFacts } = LEGACY_FACTS;
  const SUSPENDED = recorded([
    {
      at: '2019-03-01T00:00:00.000Z',
      sha: 'd'.repeat(64),
      event: {
        type: 'trial.registered',
        schemaVersion: 2,
        data: {
          facts: {
            ...shownFacts,
            overallStatus: 'SUSPENDED',
            whyStopped: 'Drug supply interrupted',
          },
        },
      },
    },
    {
      at: '2019-09-01T00:00:00.000Z',
      sha: 'e'.repeat(64),
      event: {
        type: 'trial.overall-status-changed',
        schemaVersion: 1,
        data: { from: 'SUSPENDED', to: 'RECRUITING', whyStopped: null, lastKnownStatus: null },
      },
    },
    {
      at: '2019-09-01T00:00:00.000Z',
      sha: 'e'.repeat(64),
      event: {
        type: 'trial.why-stopped-changed',
        schemaVersion: 1,
        data: { from: 'Drug supply interrupted', to: null },
      },
    },
  ]);

  it('says the removed value is none, and a value no record has shown is unknown', () => {
    const $ = cheerio.load(
      compareVersionsPage({
        nctId: 'NCT00513591',
        briefTitle: null,
        records: recordVersionsOf(SUSPENDED),
        comparison: compareRecords('NCT00513591', SUSPENDED, 1, 3),
      }),
    );
    expect(rowsOf($, '#changed-caption-table')).toContainEqual(['Why stopped', 'Drug supply interrupted', 'none']);
    // The legacy facts state no completion date (a complete record left it out); the first-posted date no record showed.
    expect(rowsOf($, 'details.unchanged-fields table')).toEqual(
      expect.arrayContaining([
        ['Completion date', 'none', 'none'],
        ['First posted', 'unknown', 'unknown'],
      ]),
    );
  });
});

describe('comparing records of a trial the daily check found something about', () => {
  /** The legacy pair, a finding of the daily check (no registry record), then the 2018 record. */
  const WITH_FINDING = recorded([
    ...LEGACY_PAIR.map(({ occurredAt, event, contentSha256 }) => ({
      at: occurredAt,
      event,
      sha: contentSha256 ?? undefined,
    })),
    {
      at: '2018-07-01T06:00:00.000Z',
      event: {
        type: 'trial.results-overdue',
        schemaVersion: 1,
        data: { dueDate: '2018-06-30', primaryCompletionDate: { date: '2017-06', type: 'ACTUAL' } },
      },
    },
    {
      at: '2018-09-01T00:00:00.000Z',
      sha: 'f'.repeat(64),
      event: {
        type: 'trial.enrollment-updated',
        schemaVersion: 1,
        data: { from: { count: 1000, type: 'ESTIMATED' }, to: { count: 1200, type: 'ACTUAL' } },
      },
    },
  ]);

  it('offers only registry records in the pickers, not the finding', () => {
    expect(recordVersionsOf(WITH_FINDING).map(({ firstVersion, version }) => [firstVersion, version])).toEqual([
      [1, 1],
      [2, 6],
      [8, 8],
    ]);
  });

  it('reads the version of a finding as the record in force then, and still names every version in its refusal', () => {
    const comparison = compareRecords('NCT00513591', WITH_FINDING, 7, 8);
    expect([comparison.from.version, comparison.to.version]).toEqual([6, 8]);
    expect(comparison.fields.filter((field) => field.comparison === 'changed').map((field) => field.field)).toEqual([
      'enrollment',
    ]);
    expect(() => compareRecords('NCT00513591', WITH_FINDING, 1, 9)).toThrow(
      'NCT00513591 has no version 9: its versions run from 1 to 8',
    );
  });
});

describe('comparing records whose design and interventions differ', () => {
  const design = {
    allocation: 'RANDOMIZED',
    interventionModel: 'PARALLEL',
    primaryPurpose: null,
    masking: 'NONE',
    observationalModel: null,
    timePerspective: null,
  };
  const CHANGES = recorded([
    {
      at: '2019-03-01T00:00:00.000Z',
      sha: 'd'.repeat(64),
      event: {
        type: 'trial.registered',
        schemaVersion: 2,
        data: { facts: { ...LEGACY_FACTS, design, interventions: [{ type: 'DRUG', name: 'Anakinra' }] } },
      },
    },
    {
      at: '2019-09-01T00:00:00.000Z',
      sha: 'e'.repeat(64),
      event: { type: 'trial.design-changed', schemaVersion: 1, data: { masking: { from: 'NONE', to: 'DOUBLE' } } },
    },
    {
      at: '2019-09-01T00:00:00.000Z',
      sha: 'e'.repeat(64),
      event: {
        type: 'trial.interventions-changed',
        schemaVersion: 1,
        data: { removed: [{ type: 'DRUG', name: 'Anakinra' }], added: [{ type: 'BIOLOGICAL', name: 'Anakinra' }] },
      },
    },
  ]);

  it('sets the design out part by part in words and tags an intervention whose type changed', () => {
    const $ = cheerio.load(
      compareVersionsPage({
        nctId: 'NCT00513591',
        briefTitle: null,
        records: recordVersionsOf(CHANGES),
        comparison: compareRecords('NCT00513591', CHANGES, 1, 3),
      }),
    );
    expect(rowsOf($, '#changed-caption-table')).toEqual([
      [
        'Design',
        'Allocation: Randomized; Intervention model: Parallel; Masking: None',
        'Allocation: Randomized; Intervention model: Parallel; Masking: Double',
      ],
      ['Interventions', 'Removed Anakinra (Drug)', 'Added Anakinra (Biological)'],
    ]);
  });
});

describe('comparing records of a trial whose registry text is written right to left', () => {
  it('lays out registry text written right to left in its own direction: the title, values and list items', () => {
    const newTitle = `${ARABIC_TITLE} الجديدة`;
    const stream = recorded([
      {
        at: '2016-06-14T00:00:00.000Z',
        event: {
          type: 'trial.registered',
          schemaVersion: 2,
          data: {
            facts: { ...LEGACY_FACTS, briefTitle: ARABIC_TITLE, leadSponsor: { name: HEBREW_NAME, class: 'OTHER' } },
          },
        },
      },
      {
        at: '2017-06-16T00:00:00.000Z',
        event: {
          type: 'trial.title-changed',
          schemaVersion: 1,
          data: { field: 'briefTitle', from: ARABIC_TITLE, to: newTitle },
        },
      },
      {
        at: '2017-06-16T00:00:00.000Z',
        event: { type: 'trial.conditions-changed', schemaVersion: 1, data: { removed: [], added: ['זאבת'] } },
      },
    ]);
    const $ = cheerio.load(
      compareVersionsPage({
        nctId: 'NCT00513591',
        briefTitle: newTitle,
        records: recordVersionsOf(stream),
        comparison: compareRecords('NCT00513591', stream, 1, 3),
      }),
    );
    for (const registryText of [ARABIC_TITLE, newTitle, 'זאבת', HEBREW_NAME])
      expect({ registryText, directions: [...new Set(directionsOf($, registryText))] }).toEqual({
        registryText,
        directions: ['rtl'],
      });
  });
});

describe('comparing records of a trial whose publications and investigators trialwatch learned, then saw change', () => {
  const { references: _references, overallOfficials: _officials, ...factsBeforeTheyWereRead } = LEGACY_FACTS;
  const background = { pmid: '31000002', type: 'BACKGROUND', citation: 'Smith A. Lupus in pregnancy. Lancet. 2019.' };
  const results = { pmid: '36000001', type: 'RESULT', citation: 'Clowse ME, et al. Outcomes. JAMA. 2024.' };
  const investigator = { name: 'Megan Clowse, MD', affiliation: 'Duke University', role: 'PRINCIPAL_INVESTIGATOR' };
  const STREAM = recorded([
    {
      at: '2016-06-14T00:00:00.000Z',
      event: { type: 'trial.registered', schemaVersion: 2, data: { facts: factsBeforeTheyWereRead } },
    },
    {
      at: '2023-06-10T00:00:00.000Z',
      event: {
        type: 'trial.facts-learned',
        schemaVersion: 1,
        data: { facts: { references: [background], overallOfficials: [investigator] } },
      },
    },
    {
      at: '2024-06-10T00:00:00.000Z',
      event: { type: 'trial.references-changed', schemaVersion: 1, data: { added: [results], removed: [] } },
    },
    {
      at: '2024-06-10T00:00:00.000Z',
      event: {
        type: 'trial.officials-changed',
        schemaVersion: 1,
        data: { added: [{ ...investigator, name: 'Amanda Eudy, PhD' }], removed: [investigator] },
      },
    },
  ]);
  const render = (from: number, to: number) =>
    cheerio.load(
      compareVersionsPage({
        nctId: 'NCT00513591',
        briefTitle: null,
        records: recordVersionsOf(STREAM),
        comparison: compareRecords('NCT00513591', STREAM, from, to),
      }),
    );

  it('sets them side by side in words: unknown before a record showed them, then each publication and investigator', () => {
    expect(rowsOf(render(1, 2), '#learned-caption-table')).toEqual([
      [
        'References Learned, not a change',
        'unknown',
        'Smith A. Lupus in pregnancy. Lancet. 2019. (background, PubMed ID 31000002)',
      ],
      [
        'Overall officials Learned, not a change',
        'unknown',
        'Megan Clowse, MD (principal investigator, Duke University)',
      ],
    ]);
    const $ = render(2, 4);
    expect(rowsOf($, '#changed-caption-table').map(([field]) => field)).toEqual(['References', 'Overall officials']);
    const items = (field: string, column: number) =>
      $(`#changed-caption-table tr[data-field="${field}"] td`)
        .eq(column)
        .find('li')
        .map((_, item) => text($(item).text()))
        .get();
    expect(items('references', 0)).toEqual([
      'Smith A. Lupus in pregnancy. Lancet. 2019. (background, PubMed ID 31000002)',
    ]);
    expect(items('references', 1)).toEqual([
      'Smith A. Lupus in pregnancy. Lancet. 2019. (background, PubMed ID 31000002)',
      'Added Clowse ME, et al. Outcomes. JAMA. 2024. (results, PubMed ID 36000001)',
    ]);
    expect(items('overallOfficials', 0)).toEqual([
      'Removed Megan Clowse, MD (principal investigator, Duke University)',
    ]);
    expect(items('overallOfficials', 1)).toEqual(['Added Amanda Eudy, PhD (principal investigator, Duke University)']);
  });
});
