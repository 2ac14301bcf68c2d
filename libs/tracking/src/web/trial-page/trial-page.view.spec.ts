import * as cheerio from 'cheerio';
import { baselineOf, type Official, type Reference } from '@app/domain';
import type { TrialBaseline, TrialSignalsView, TrialView, StatusHistory } from '../../read-models/index.js';
import type { RecordedChange } from '../recorded-change.js';
import { LEGACY_FACTS, LEGACY_PAIR, SHA_2016, SHA_2017 } from '../testing/recorded-changes.js';
import { ARABIC_TITLE, directionsOf, HEBREW_NAME } from '../testing/text-direction.js';
import { trialPage } from './trial-page.view.js';

const TRIAL: TrialView = {
  nctId: 'NCT00513591',
  streamVersion: 6,
  asOf: 'current',
  state: { ...LEGACY_FACTS, enrollment: { count: 1000, type: 'ESTIMATED' }, unknownFields: [] },
  registeredAt: '2016-06-14T00:00:00.000Z',
  lastChange: null,
};

const STATUS_HISTORY: StatusHistory = {
  nctId: 'NCT00513591',
  currentStatus: 'RECRUITING',
  periods: [{ status: 'RECRUITING', from: '2016-06-14T00:00:00.000Z', to: null, days: 3502, current: true }],
};

const BASELINE: TrialBaseline = {
  nctId: 'NCT00513591',
  streamVersion: 6,
  fields: baselineOf(LEGACY_PAIR.map(({ event, occurredAt }) => ({ event, occurredAt })))!,
};

/** A trial that does not look applicable (an observational registry) and has no hygiene flag. */
const SIGNALS: TrialSignalsView = { nctId: 'NCT00513591', on: '2026-01-15', resultsDue: null, hygieneFlags: [] };

const render = (trial: TrialView = TRIAL, changes = LEGACY_PAIR, signals: TrialSignalsView = SIGNALS) =>
  cheerio.load(
    trialPage({
      trial,
      statusHistory: STATUS_HISTORY,
      baseline: BASELINE,
      signals,
      changes,
      now: new Date('2026-01-15T10:00:00.000Z'),
    }),
  );
const text = (value: string) => value.replace(/\s+/g, ' ').trim();

describe('trial page', () => {
  it('heads the page with the title, sponsor, current status, phase and enrollment', () => {
    const $ = render();
    expect($('head > title').text()).toBe('NCT00513591: Duke Autoimmunity in Pregnancy Registry · trialwatch');
    expect(text($('h1').text())).toBe('Duke Autoimmunity in Pregnancy Registry');
    const facts = Object.fromEntries(
      $('.facts > div')
        .map((_, fact) => [[text($(fact).find('dt').text()), text($(fact).find('dd').text())]])
        .get(),
    );
    expect(facts).toMatchObject({
      Sponsor: 'Duke University',
      'Current status': 'Recruiting',
      Phase: 'Not applicable',
      Enrollment: '1000 (estimated)',
      Tracked: '6 events since the record of 14 Jun 2016',
    });
  });

  it('names the trial in the page title as its heading does, when the registry gave no brief title', () => {
    const withoutBrief = render({
      ...TRIAL,
      state: { ...TRIAL.state, briefTitle: null, officialTitle: 'A registry of pregnancies' },
    });
    expect(withoutBrief('head > title').text()).toBe('NCT00513591: A registry of pregnancies · trialwatch');
    expect(text(withoutBrief('h1').text())).toBe('A registry of pregnancies');
    const untitled = render({ ...TRIAL, state: { ...TRIAL.state, briefTitle: null, officialTitle: null } });
    expect(untitled('head > title').text()).toBe('NCT00513591 · trialwatch');
  });

  it('heads the page with none for a value the registry stated as none, unknown for one no record showed', () => {
    const facts = ($: cheerio.CheerioAPI) =>
      Object.fromEntries(
        $('.facts > div')
          .map((_, fact) => [[text($(fact).find('dt').text()), text($(fact).find('dd').text())]])
          .get(),
      );
    const withoutDate = { ...TRIAL.state, primaryCompletionDate: null, conditions: [] };
    expect(facts(render({ ...TRIAL, state: { ...withoutDate, unknownFields: [] } }))).toMatchObject({
      Conditions: 'none',
      'Primary completion': 'none',
    });
    expect(
      facts(render({ ...TRIAL, state: { ...withoutDate, unknownFields: ['primaryCompletionDate'] } })),
    ).toMatchObject({ 'Primary completion': 'unknown' });
  });

  it("names every table with a caption, the charts' data tables too", () => {
    const $ = render();
    const tables = $('table');
    expect(tables.length).toBeGreaterThan(4);
    expect(
      tables
        .map((_, table) => [[$(table).closest('[id]').attr('id') ?? '', text($(table).children('caption').text())]])
        .get()
        .filter(([, caption]) => caption === ''),
    ).toEqual([]);
  });

  describe('signals', () => {
    const withSignals = (signals: Partial<TrialSignalsView>) => render(TRIAL, LEGACY_PAIR, { ...SIGNALS, ...signals });
    const signalFacts = ($: cheerio.CheerioAPI) =>
      Object.fromEntries(
        $('#signals .facts > div')
          .map((_, fact) => [[text($(fact).find('dt').text()), text($(fact).find('dd').text())]])
          .get(),
      );

    it("says today's results are overdue, since when they were due and by how many days", () => {
      const $ = withSignals({
        resultsDue: { dueDate: '2024-01-15', state: 'overdue', submittedOn: null, reportedOn: null, daysOverdue: 731 },
      });
      expect(signalFacts($)).toEqual({
        'Results due': 'Overdue due 15 Jan 2024 731 days overdue',
        'Hygiene flags': 'none',
      });
      expect($('#signals [data-state]').attr('data-state')).toBe('overdue');
    });

    it("says results submitted and not yet posted await the registry's review", () => {
      const $ = withSignals({
        resultsDue: {
          dueDate: '2024-01-15',
          state: 'reported-on-time',
          submittedOn: '2023-05-11',
          reportedOn: null,
          daysOverdue: null,
        },
      });
      expect(signalFacts($)['Results due']).toBe(
        "Reported on time due 15 Jan 2024 submitted 11 May 2023, awaiting the registry's review",
      );
      const posted = withSignals({
        resultsDue: {
          dueDate: '2024-01-15',
          state: 'reported-late',
          submittedOn: '2024-03-10',
          reportedOn: '2024-06-01',
          daysOverdue: null,
        },
      });
      expect(signalFacts(posted)['Results due']).toBe(
        'Reported late due 15 Jan 2024 submitted 10 Mar 2024 posted 1 Jun 2024',
      );
    });

    it('says a trial that does not look like an applicable clinical trial owes no results under FDAAA 801', () => {
      expect(signalFacts(render())['Results due']).toBe(
        'Does not look like an applicable clinical trial under FDAAA 801',
      );
    });

    it('lists each hygiene flag holding with the day it started, a merge with the trial it went into', () => {
      const $ = withSignals({
        hygieneFlags: [
          { flag: 'status-verification-stale', since: '2022-04-30' },
          { flag: 'merged-into-another', since: null, mergedInto: 'NCT09900001' },
        ],
      });
      expect(
        $('#signals li[data-flag]')
          .map((_, item) => text($(item).text()))
          .get(),
      ).toEqual(['Status verification stale since 30 Apr 2022', 'Merged into another record into NCT09900001']);
      expect($('#signals li[data-flag] a').attr('href')).toBe('/ui/trials/NCT09900001');
    });

    it('links the results-due and registry hygiene reports', () => {
      const $ = render();
      expect(
        $('#signals .links a')
          .map((_, link) => [[text($(link).text()), $(link).attr('href')]])
          .get(),
      ).toEqual([
        ['Results due report', '/ui/reports/results-due'],
        ['Registry hygiene report', '/ui/reports/hygiene'],
      ]);
    });
  });

  it('draws the status timeline, three date-slip charts and enrollment on one time axis', () => {
    const $ = render();
    expect(
      $('section h2')
        .map((_, heading) => $(heading).text())
        .get(),
    ).toEqual([
      'Signals',
      'First registered versus current',
      'Status timeline',
      'Date slips',
      'Enrollment over time',
      'Investigators',
      'Publications',
      'Changes',
    ]);
    expect($('.status-timeline g.status-band')).toHaveLength(1);
    expect(
      $('figure.chart-figure')
        .map((_, figure) => $(figure).attr('id'))
        .get(),
    ).toEqual(['slip-startDate', 'slip-primaryCompletionDate', 'slip-completionDate', 'enrollment']);
    const axes = $('.time-axis')
      .map((_, axis) => text($(axis).text()))
      .get();
    expect(new Set(axes)).toEqual(new Set(['2018 2020 2022 2024 2026']));
  });

  it('lists the changes newest first, one group per record with its raw snapshot', () => {
    const $ = render();
    const groups = $('.change-group');
    expect(groups.map((_, group) => text($(group).find('h3').text())).get()).toEqual([
      'Record of 16 Jun 2017',
      'Record of 14 Jun 2016 (first seen)',
    ]);
    expect(groups.map((_, group) => $(group).find('a.snapshot-link').attr('href')).get()).toEqual([
      `/ui/snapshots/${SHA_2017}`,
      `/ui/snapshots/${SHA_2016}`,
    ]);
    expect(
      $(groups[0])
        .find('li.change')
        .map((_, item) => $(item).attr('data-field'))
        .get(),
    ).toEqual([
      'enrollment',
      'primaryCompletionDate',
      'completionDate',
      'statusVerifiedDate',
      'lastUpdatePostDate',
      'lastUpdateSubmitDate',
    ]);
  });

  it('sets the first registered values beside the current ones, counting the registry changes in between', () => {
    const $ = render();
    expect(text($('table.baseline caption').text())).toBe('First known and current values');
    const rows = $('table.baseline tbody tr')
      .map((_, row) => [
        $(row)
          .children()
          .map((__, cell) => text($(cell).text()))
          .get(),
      ])
      .get();
    expect(rows).toContainEqual([
      'Enrollment',
      '500 (estimated) known since 14 Jun 2016',
      '1000 (estimated)',
      '1 change, last 16 Jun 2017',
    ]);
    expect(rows).toContainEqual(['Overall status', 'Recruiting known since 14 Jun 2016', 'Recruiting', 'unchanged']);
    // The 2016 legacy record, a complete record, gave no completion date: none, known since then.
    expect(rows).toContainEqual([
      'Completion date',
      'none known since 14 Jun 2016',
      'Jun 2018 (estimated)',
      '1 change, last 16 Jun 2017',
    ]);
  });

  it('says unknown for a baseline field no record has shown yet', () => {
    const { completionDate: _notShown, ...shown } = LEGACY_FACTS;
    const fields = baselineOf([
      { event: { type: 'trial.registered', schemaVersion: 2, data: { facts: shown } }, occurredAt: '2016-06-14' },
    ])!;
    const $ = cheerio.load(
      trialPage({
        trial: TRIAL,
        statusHistory: STATUS_HISTORY,
        baseline: { ...BASELINE, fields },
        signals: SIGNALS,
        changes: LEGACY_PAIR,
        now: new Date('2026-01-15T10:00:00.000Z'),
      }),
    );
    const completion = $('table.baseline tbody tr')
      .filter((_, row) => text($(row).children('th').text()) === 'Completion date')
      .children()
      .map((_, cell) => text($(cell).text()))
      .get();
    expect(completion).toEqual(['Completion date', 'unknown', 'unknown', 'unchanged']);
  });

  it('links each record to a comparison with the one before it, the first record to the current one', () => {
    const $ = render();
    expect(
      $('.change-group a.compare-link')
        .map((_, link) => [[text($(link).text()), $(link).attr('href')]])
        .get(),
    ).toEqual([
      ['Compare with the previous record (the record of 16 Jun 2017)', '/ui/trials/NCT00513591/compare?from=1&to=6'],
      ['Compare with the current record (the record of 14 Jun 2016)', '/ui/trials/NCT00513591/compare?from=1&to=6'],
    ]);
  });

  it('compares records with records only: a daily check finding offers no comparison and is not a record', () => {
    const finding: RecordedChange = {
      ...LEGACY_PAIR.at(-1)!,
      eventId: '00000000-0000-4000-8000-000000000099',
      streamVersion: 7,
      event: {
        type: 'trial.results-overdue',
        schemaVersion: 1,
        data: { dueDate: '2019-06-30', primaryCompletionDate: { date: '2018-06', type: 'ESTIMATED' } },
      },
      occurredAt: '2019-07-01T06:00:00.000Z',
      contentSha256: null,
    };
    const $ = render({ ...TRIAL, streamVersion: 7 }, [...LEGACY_PAIR, finding]);
    const groups = $('.change-group');
    expect(groups.map((_, group) => text($(group).find('h3').text())).get()).toEqual([
      'Daily check finding of 1 Jul 2019',
      'Record of 16 Jun 2017',
      'Record of 14 Jun 2016 (first seen)',
    ]);
    expect($(groups[0]).find('a.compare-link')).toHaveLength(0);
    expect(
      $('.change-group a.compare-link')
        .map((_, link) => [[text($(link).text()), $(link).attr('href')]])
        .get(),
    ).toEqual([
      ['Compare with the previous record (the record of 16 Jun 2017)', '/ui/trials/NCT00513591/compare?from=1&to=6'],
      ['Compare with the current record (the record of 14 Jun 2016)', '/ui/trials/NCT00513591/compare?from=1&to=6'],
    ]);
  });

  it('marks each change with its materiality in words, with the reason', () => {
    const graded = LEGACY_PAIR.map((change) =>
      change.event.type === 'trial.enrollment-updated'
        ? {
            ...change,
            materiality: { tier: 'medium' as const, subtype: 'enrollment-up', reason: 'Enrollment up 100%' },
          }
        : change,
    );
    const $ = render(TRIAL, graded);
    const enrollment = $('li.change[data-field="enrollment"] .materiality');
    expect(enrollment.attr('data-tier')).toBe('medium');
    expect(text(enrollment.text())).toBe('Medium materiality Enrollment up 100%');
    expect($('li.change[data-field="completionDate"] .materiality')).toHaveLength(0);
  });

  describe('investigators and publications', () => {
    const OFFICIALS: Official[] = [
      { name: 'Megan E. B. Clowse, MD, MPH', affiliation: 'Duke University', role: 'PRINCIPAL_INVESTIGATOR' },
      { name: 'Amanda Eudy, PhD', affiliation: null, role: 'STUDY_CHAIR' },
      { name: 'Jane Roe', affiliation: 'Duke Clinical Research Institute', role: 'STUDY_DIRECTOR' },
      // A registry page may list a name without its role or affiliation.
      { name: 'Ann Page', affiliation: null, role: null },
    ];
    const REFERENCES: Reference[] = [
      { pmid: '31000002', type: 'BACKGROUND', citation: 'Smith A. Lupus in pregnancy. Lancet. 2019.' },
      { pmid: null, type: null, citation: 'Duke Autoimmunity in Pregnancy Registry handbook. 2015.' },
      { pmid: '36000001', type: 'RESULT', citation: 'Clowse ME, et al. Outcomes of the registry. JAMA. 2024.' },
      { pmid: '36500000', type: 'DERIVED', citation: 'Doe J. Pregnancy in lupus, a cohort. 2024.' },
      { pmid: null, type: 'RESULT', citation: 'Clowse ME. Registry results, a poster. 2023.' },
    ];
    const withState = (state: Partial<TrialView['state']>) => render({ ...TRIAL, state: { ...TRIAL.state, ...state } });
    const officialRows = ($: cheerio.CheerioAPI) =>
      $('#officials table tbody tr')
        .map((_, row) => [
          $(row)
            .children()
            .map((__, cell) => text($(cell).text()))
            .get(),
        ])
        .get();
    const publications = ($: cheerio.CheerioAPI) =>
      $('#publications li.publication')
        .map((_, item) => ({
          type: text($(item).find('.publication-type').text()),
          citation: text($(item).find('.citation').text()),
          link: $(item).find('a').attr('href') ?? null,
          linkText: text($(item).find('a').text()),
        }))
        .get();

    it('lists the investigators, each with the role in words and the affiliation', () => {
      const $ = withState({ overallOfficials: OFFICIALS });
      expect(text($('#officials table caption').text())).toBe('Investigators the record names');
      expect(
        $('#officials table thead th')
          .map((_, cell) => text($(cell).text()))
          .get(),
      ).toEqual(['Name', 'Role', 'Affiliation']);
      expect(officialRows($)).toEqual([
        ['Megan E. B. Clowse, MD, MPH', 'Principal investigator', 'Duke University'],
        ['Amanda Eudy, PhD', 'Study chair', 'not given'],
        ['Jane Roe', 'Study director', 'Duke Clinical Research Institute'],
        ['Ann Page', 'not given', 'not given'],
      ]);
      expect($('#officials tbody th[scope="row"] [dir="auto"]')).toHaveLength(4);
      expect($('#officials tbody td:last-child [dir="auto"]').first().text()).toBe('Duke University');
    });

    it('lists the publications, results first, each with its type in words and a link to PubMed when it has a PubMed ID', () => {
      const $ = withState({ references: REFERENCES });
      expect(publications($)).toEqual([
        {
          type: 'Results',
          citation: 'Clowse ME, et al. Outcomes of the registry. JAMA. 2024.',
          link: 'https://pubmed.ncbi.nlm.nih.gov/36000001/',
          linkText: 'PubMed ID 36000001',
        },
        { type: 'Results', citation: 'Clowse ME. Registry results, a poster. 2023.', link: null, linkText: '' },
        {
          type: 'Background',
          citation: 'Smith A. Lupus in pregnancy. Lancet. 2019.',
          link: 'https://pubmed.ncbi.nlm.nih.gov/31000002/',
          linkText: 'PubMed ID 31000002',
        },
        {
          type: 'Type not given',
          citation: 'Duke Autoimmunity in Pregnancy Registry handbook. 2015.',
          link: null,
          linkText: '',
        },
        {
          type: 'Linked from PubMed',
          citation: 'Doe J. Pregnancy in lupus, a cohort. 2024.',
          link: 'https://pubmed.ncbi.nlm.nih.gov/36500000/',
          linkText: 'PubMed ID 36500000',
        },
      ]);
      expect($('#publications .citation[dir="auto"]')).toHaveLength(5);
      expect($('#publications a').attr('rel')).toBe('noopener noreferrer');
    });

    it('says the record names no investigators and cites no publications when a complete record showed none', () => {
      for (const none of [[], null]) {
        const $ = withState({ overallOfficials: none, references: none, unknownFields: [] });
        expect($('#officials table')).toHaveLength(0);
        expect($('#publications li.publication')).toHaveLength(0);
        expect(text($('#officials .empty').text())).toBe('The registry record names no investigators.');
        expect(text($('#publications .empty').text())).toBe('The registry record cites no publications.');
      }
    });

    it('says trialwatch does not know them, rather than none, when no record it read showed them', () => {
      const $ = withState({
        overallOfficials: null,
        references: null,
        unknownFields: ['overallOfficials', 'references'],
      });
      expect($('#officials table')).toHaveLength(0);
      expect($('#publications li.publication')).toHaveLength(0);
      expect(text($('#officials .empty').text())).toBe(
        'Not known: no record trialwatch read of this trial showed its investigators (a registry page that leaves them out, or records read before trialwatch read investigators). The next complete record will show them.',
      );
      expect(text($('#publications .empty').text())).toBe(
        'Not known: no record trialwatch read of this trial showed its publications (a registry page that leaves them out, or records read before trialwatch read publications). The next complete record will show them.',
      );
    });

    it('escapes a citation, name or affiliation that holds markup, and links only a PubMed ID of digits', () => {
      const hostile = '<img src=x onerror=alert(1)><script>window.injected = 1</script>';
      const $ = withState({
        overallOfficials: [{ name: hostile, affiliation: `"><b>${hostile}`, role: 'PRINCIPAL_INVESTIGATOR' }],
        references: [
          { pmid: '1"><script>alert(1)</script>', type: 'RESULT', citation: hostile },
          { pmid: '36000001', type: 'RESULT', citation: `${hostile} twice` },
        ],
      });
      expect($('img, script:not([src]), b')).toHaveLength(0);
      expect(officialRows($)).toEqual([[hostile, 'Principal investigator', `"><b>${hostile}`]]);
      expect(publications($)).toEqual([
        { type: 'Results', citation: hostile, link: null, linkText: '' },
        {
          type: 'Results',
          citation: `${hostile} twice`,
          link: 'https://pubmed.ncbi.nlm.nih.gov/36000001/',
          linkText: 'PubMed ID 36000001',
        },
      ]);
    });

    it('lays out an investigator or citation written right to left in its own direction', () => {
      const $ = withState({
        overallOfficials: [{ name: 'ד"ר רות כהן', affiliation: HEBREW_NAME, role: 'PRINCIPAL_INVESTIGATOR' }],
        references: [{ pmid: null, type: 'BACKGROUND', citation: ARABIC_TITLE }],
      });
      for (const registryText of ['ד"ר רות כהן', HEBREW_NAME, ARABIC_TITLE])
        expect({ registryText, directions: directionsOf($, registryText) }).toEqual({
          registryText,
          directions: ['rtl'],
        });
    });
  });

  it('escapes what the registry wrote', () => {
    const $ = render({ ...TRIAL, state: { ...TRIAL.state, briefTitle: '<img src=x onerror=alert(1)>' } });
    expect($('img')).toHaveLength(0);
    expect(text($('h1').text())).toBe('<img src=x onerror=alert(1)>');
  });

  it('loads only its own stylesheet and script', () => {
    const $ = render();
    expect($('link[rel="stylesheet"]').attr('href')).toMatch(/^\/ui\/assets\/trialwatch\.css\?v=[0-9a-f]{12}$/);
    expect($('script').attr('src')).toMatch(/^\/ui\/assets\/trialwatch\.js\?v=[0-9a-f]{12}$/);
    expect($('[style]')).toHaveLength(0);
    expect($('html').attr('lang')).toBe('en');
  });

  it('lays out a title, acronym, sponsor or condition written right to left in its own direction', () => {
    const $ = render({
      ...TRIAL,
      state: {
        ...TRIAL.state,
        briefTitle: ARABIC_TITLE,
        officialTitle: `${ARABIC_TITLE} الرسمي`,
        acronym: 'حمل',
        leadSponsor: { name: HEBREW_NAME, class: 'OTHER' },
        conditions: ['Lupus', 'זאבת'],
      },
    });
    expect(text($('h1').text())).toBe(ARABIC_TITLE);
    for (const registryText of [`${ARABIC_TITLE} الرسمي`, 'حمل', HEBREW_NAME, 'זאבת'])
      expect({ registryText, directions: directionsOf($, registryText) }).toEqual({
        registryText,
        directions: ['rtl'],
      });
    expect(directionsOf($, ARABIC_TITLE)).toEqual(['rtl', 'rtl']);
    expect(directionsOf($, 'Lupus')).toEqual(['ltr']);
    expect(directionsOf($, 'NCT00513591 ·')).toEqual(['ltr']);
  });
});
