import * as cheerio from 'cheerio';
import type { DomainEvent } from '@app/domain';
import { changeItems, formatFieldValue, listDiff, snapshotLink, sourceHeading, sourceLink } from './change-list.js';
import { LEGACY_PAIR, recorded } from './testing/recorded-changes.js';
import { ARABIC_TITLE, directionsOf, HEBREW_NAME } from './testing/text-direction.js';

const itemsOf = (event: DomainEvent) => {
  const [change] = recorded([{ at: '2020-01-01T00:00:00.000Z', event }]);
  return cheerio.load(`<ul>${changeItems(change!).value}</ul>`);
};
const text = (value: string) => value.replace(/\s+/g, ' ').trim();

describe('change list', () => {
  it('shows a field change as before -> after, in words', () => {
    const $ = cheerio.load(`<ul>${changeItems(LEGACY_PAIR[1]!).value}</ul>`);
    const item = $('li.change[data-field="enrollment"]');
    expect(text(item.find('.change-field').text())).toBe('Enrollment');
    expect(text(item.find('.before').text())).toBe('from 500 (estimated)');
    expect(text(item.find('.after').text())).toBe('to 1000 (estimated)');
    expect(item.find('.arrow').attr('aria-hidden')).toBe('true');
  });

  it('shows what the first snapshot said', () => {
    const $ = cheerio.load(`<ul>${changeItems(LEGACY_PAIR[0]!).value}</ul>`);
    expect(text($('li.change').text())).toBe(
      'First seen Status: Recruiting; Phase: Not applicable; Enrollment: 500 (estimated); Start: Aug 2007; ' +
        'Primary completion: Dec 2017 (estimated)',
    );
  });

  it('shows a value the registry removed as going to none', () => {
    const $ = itemsOf({
      type: 'trial.eligibility-changed',
      schemaVersion: 1,
      data: { maximumAge: { from: '64 Years', to: null } },
    });
    const item = $('li.change[data-field="eligibility.maximumAge"]');
    expect(text(item.find('.before').text())).toBe('from 64 Years');
    expect(text(item.find('.after').text())).toBe('to none');
  });

  it('shows a value a complete record stated as none, then gave, as coming from none', () => {
    const item = cheerio.load(`<ul>${changeItems(LEGACY_PAIR[3]!).value}</ul>`)(
      'li.change[data-field="completionDate"]',
    );
    expect(text(item.find('.before').text())).toBe('from none');
    expect(text(item.find('.after').text())).toBe('to Jun 2018 (estimated)');
  });

  it('shows a part of the eligibility a newer record adds, where its record had none, as coming from none', () => {
    const item = itemsOf({
      type: 'trial.eligibility-changed',
      schemaVersion: 1,
      data: { maximumAge: { from: null, to: '65 Years' } },
    })('li.change[data-field="eligibility.maximumAge"]');
    expect(text(item.find('.before').text())).toBe('from none');
    expect(text(item.find('.after').text())).toBe('to 65 Years');
  });

  it('keeps a date of a new version its source may not show as coming from unknown', () => {
    const item = cheerio.load(`<ul>${changeItems(LEGACY_PAIR[5]!).value}</ul>`)(
      'li.change[data-field="lastUpdatePostDate"]',
    );
    expect(text(item.find('.before').text())).toBe('from unknown');
  });

  it('marks what trialwatch learned as learned, not as a change, with the value it learned', () => {
    const $ = itemsOf({
      type: 'trial.facts-learned',
      schemaVersion: 1,
      data: {
        facts: {
          studyFirstPostDate: { date: '2007-08-08', type: 'ACTUAL' },
          conditions: ['Lupus', 'Pregnancy'],
          collaborators: [],
        },
      },
    });
    const items = $('li.change');
    expect(items.map((_, item) => $(item).attr('data-field')).get()).toEqual([
      'studyFirstPostDate',
      'conditions',
      'collaborators',
    ]);
    expect(items.filter('.learned')).toHaveLength(3);
    expect(items.map((_, item) => text($(item).text())).get()).toEqual([
      'First posted 8 Aug 2007 (actual) Learned, not a change',
      'Conditions Lupus; Pregnancy Learned, not a change',
      'Collaborators none Learned, not a change',
    ]);
    expect($('.before, .arrow, .diff')).toHaveLength(0);
  });

  it('shows outcome measures removed and added as a diff, each tagged in words', () => {
    const $ = itemsOf({
      type: 'trial.primary-outcomes-changed',
      schemaVersion: 1,
      data: {
        removed: [{ measure: 'Flare rate', timeFrame: '12 months' }],
        added: [
          { measure: 'Flare rate', timeFrame: '6 months' },
          { measure: 'Live birth <b>rate</b>', timeFrame: null },
        ],
      },
    });
    expect($('li.change').attr('data-field')).toBe('primaryOutcomes');
    expect(
      $('.diff li')
        .map((_, item) => text($(item).text()))
        .get(),
    ).toEqual(['Removed Flare rate [12 months]', 'Added Flare rate [6 months]', 'Added Live birth <b>rate</b>']);
    expect($('.diff b')).toHaveLength(0);
    expect($('.diff-removed')).toHaveLength(1);
    expect($('.diff-added')).toHaveLength(2);
  });

  it('shows site status changes per site', () => {
    const site = { facility: 'Duke University Medical Center', city: 'Durham', state: null, country: 'United States' };
    const $ = itemsOf({
      type: 'trial.locations-changed',
      schemaVersion: 1,
      data: {
        added: [],
        removed: [],
        statusChanged: [{ location: { ...site, status: 'COMPLETED' }, from: 'RECRUITING', to: 'COMPLETED' }],
      },
    });
    expect(text($('.site-changes li').text())).toBe(
      'Duke University Medical Center, Durham, United States: from Recruiting → to Completed',
    );
  });

  it('puts long texts one under the other behind a disclosure', () => {
    const before = 'Old summary. '.repeat(20);
    const after = 'New summary.\n\nSecond paragraph. '.repeat(10);
    const $ = itemsOf({ type: 'trial.summary-changed', schemaVersion: 1, data: { from: before, to: after } });
    expect(text($('details summary').text())).toBe(`Text changed (${before.length} → ${after.length} characters)`);
    expect($('.long-text.before .long-value').text()).toBe(before);
    expect($('.long-text.after .long-value').text()).toBe(after);
  });

  it('shows the reason for stopping the record gave with the status it stopped at, and the last known status', () => {
    const stopped = itemsOf({
      type: 'trial.overall-status-changed',
      schemaVersion: 1,
      data: { from: 'RECRUITING', to: 'TERMINATED', whyStopped: 'Sponsor decision', lastKnownStatus: null },
    })('li.change[data-field="overallStatus"]');
    expect(text(stopped.text())).toBe('Overall status from Recruiting → to Terminated (why stopped: Sponsor decision)');
    expect(stopped.find('.change-note [dir="auto"]').text()).toBe('Sponsor decision');
    const unknown = itemsOf({
      type: 'trial.overall-status-changed',
      schemaVersion: 1,
      data: { from: 'RECRUITING', to: 'UNKNOWN', whyStopped: null, lastKnownStatus: 'ACTIVE_NOT_RECRUITING' },
    })('li.change[data-field="overallStatus"]');
    expect(text(unknown.text())).toBe(
      'Overall status from Recruiting → to Unknown status (last known status: Active, not recruiting)',
    );
  });

  it('shows statuses, phases, dates and results in words', () => {
    expect(
      text(
        itemsOf({
          type: 'trial.overall-status-changed',
          schemaVersion: 1,
          data: { from: 'RECRUITING', to: 'ACTIVE_NOT_RECRUITING', whyStopped: null, lastKnownStatus: null },
        })('li').text(),
      ),
    ).toBe('Overall status from Recruiting → to Active, not recruiting');
    expect(
      text(
        itemsOf({
          type: 'trial.phases-changed',
          schemaVersion: 1,
          data: { from: ['PHASE2'], to: ['PHASE2', 'PHASE3'] },
        })('li').text(),
      ),
    ).toBe('Phases from Phase 2 → to Phase 2/Phase 3');
    expect(
      text(
        itemsOf({
          type: 'trial.results-posted',
          schemaVersion: 1,
          data: { firstPostDate: { date: '2020-03-12', type: 'ACTUAL' } },
        })('li').text(),
      ),
    ).toBe('Results posted (first posted 12 Mar 2020 (actual))');
    expect(formatFieldValue('statusVerifiedDate', '2017-06')).toBe('Jun 2017');
    expect(formatFieldValue('briefTitle', '2017-06')).toBe('2017-06');
    expect(formatFieldValue('acronym', 'HEART')).toBe('HEART');
    expect(formatFieldValue('design.allocation', 'NON_RANDOMIZED')).toBe('Non randomized');
    expect(formatFieldValue('leadSponsor', { name: 'Duke University', class: 'OTHER' })).toBe(
      'Duke University (other)',
    );
    expect(formatFieldValue('completionDate', null)).toBe('unknown');
  });

  it('links the raw snapshot, or says there is none', () => {
    const $ = cheerio.load(snapshotLink('b'.repeat(64), 'of the record of 16 Jun 2017').value);
    expect($('a').attr('href')).toBe(`/ui/snapshots/${'b'.repeat(64)}`);
    expect(text($('a').text())).toBe('Raw snapshot of the record of 16 Jun 2017');
    expect($('a .visually-hidden').text()).toBe(' of the record of 16 Jun 2017');
    expect(snapshotLink(null, 'x').value).toContain('No snapshot recorded');
  });

  it('says in words what the daily check found: results overdue, a hygiene flag raised or cleared', () => {
    const overdue = itemsOf({
      type: 'trial.results-overdue',
      schemaVersion: 1,
      data: { dueDate: '2025-03-15', primaryCompletionDate: { date: '2024-03', type: 'ACTUAL' } },
    })('li.change');
    expect(overdue.attr('data-field')).toBe('resultsOverdue');
    expect(text(overdue.text())).toBe(
      'Results overdue due 15 Mar 2025 (primary completion Mar 2024 (actual)), none posted',
    );
    expect(
      text(
        itemsOf({
          type: 'trial.results-overdue',
          schemaVersion: 1,
          data: { dueDate: '2025-03-15', primaryCompletionDate: null },
        })('li').text(),
      ),
    ).toBe('Results overdue due 15 Mar 2025, none posted');
    const raised = itemsOf({
      type: 'trial.hygiene-flag-raised',
      schemaVersion: 1,
      data: { flag: 'status-verification-stale', since: '2025-03-01' },
    })('li.change');
    expect(raised.attr('data-flag')).toBe('status-verification-stale');
    expect(text(raised.text())).toBe('Hygiene flag raised Status verification stale (since 1 Mar 2025)');
    expect(
      text(
        itemsOf({ type: 'trial.hygiene-flag-cleared', schemaVersion: 1, data: { flag: 'merged-into-another' } })(
          'li',
        ).text(),
      ),
    ).toBe('Hygiene flag cleared Merged into another record');
  });

  it("heads a registry record with its date and snapshot, a daily check's finding as such, with no snapshot by nature", () => {
    const [record] = LEGACY_PAIR.slice(1);
    expect(text(cheerio.load(sourceHeading(record!).value).text())).toBe('Record of 16 Jun 2017');
    expect(cheerio.load(sourceLink(record!, 'x').value)('a.snapshot-link')).toHaveLength(1);
    const [finding] = recorded([
      {
        at: '2025-03-16T00:00:00.000Z',
        event: {
          type: 'trial.results-overdue',
          schemaVersion: 1,
          data: { dueDate: '2025-03-15', primaryCompletionDate: null },
        },
      },
    ]);
    expect(text(cheerio.load(sourceHeading(finding!).value).text())).toBe('Daily check finding of 16 Mar 2025');
    expect(text(cheerio.load(sourceLink(finding!, 'x').value).text())).toBe(
      "Found by trialwatch's daily check, not in a registry record",
    );
  });

  it('shows other identifiers and merged NCT IDs added and removed as a diff, each identifier in words', () => {
    const ids = itemsOf({
      type: 'trial.secondary-ids-changed',
      schemaVersion: 1,
      data: {
        removed: [{ id: '2004-000001-11', type: 'EUDRACT_NUMBER', domain: null }],
        added: [{ id: 'ISRCTN12345678', type: 'REGISTRY', domain: 'ISRCTN' }],
      },
    });
    expect(
      ids('.diff li')
        .map((_, item) => text(ids(item).text()))
        .get(),
    ).toEqual(['Removed 2004-000001-11 (EudraCT number)', 'Added ISRCTN12345678 (registry, ISRCTN)']);
    expect(ids('.before, .after')).toHaveLength(0);
    const aliases = itemsOf({
      type: 'trial.nct-id-aliases-changed',
      schemaVersion: 1,
      data: { removed: [], added: ['NCT01234567'] },
    });
    expect(
      aliases('.diff li')
        .map((_, item) => text(aliases(item).text()))
        .get(),
    ).toEqual(['Added NCT01234567']);
    expect(aliases('.before, .after')).toHaveLength(0);
  });

  it('shows publications cited and officials added and removed as a diff, each in words', () => {
    const listed = (event: DomainEvent) => {
      const $ = itemsOf(event);
      expect($('.before, .after')).toHaveLength(0);
      return $('.diff li')
        .map((_, item) => text($(item).text()))
        .get();
    };
    expect(
      listed({
        type: 'trial.references-changed',
        schemaVersion: 1,
        data: {
          removed: [{ pmid: null, type: 'BACKGROUND', citation: 'Smith A. Obesity. 2019.' }],
          added: [{ pmid: '36000001', type: 'RESULT', citation: 'Results of STEP-X. Lancet. 2025.' }],
        },
      }),
    ).toEqual([
      'Removed Smith A. Obesity. 2019. (background)',
      'Added Results of STEP-X. Lancet. 2025. (results, PubMed ID 36000001)',
    ]);
    expect(
      listed({
        type: 'trial.officials-changed',
        schemaVersion: 1,
        data: {
          removed: [{ name: 'John Wilding', affiliation: null, role: 'PRINCIPAL_INVESTIGATOR' }],
          added: [{ name: 'Ana Lopez, MD', affiliation: 'Mayo Clinic', role: 'PRINCIPAL_INVESTIGATOR' }],
        },
      }),
    ).toEqual([
      'Removed John Wilding (principal investigator)',
      'Added Ana Lopez, MD (principal investigator, Mayo Clinic)',
    ]);
  });

  it("shows a drug turned biological, an arm's or a collaborator's new type and a sponsor's new class, not the same name twice", () => {
    const listed = (event: DomainEvent) => {
      const $ = itemsOf(event);
      return $('.diff li')
        .map((_, item) => text($(item).text()))
        .get();
    };
    expect(
      listed({
        type: 'trial.interventions-changed',
        schemaVersion: 1,
        data: { removed: [{ type: 'DRUG', name: 'Anakinra' }], added: [{ type: 'BIOLOGICAL', name: 'Anakinra' }] },
      }),
    ).toEqual(['Removed Anakinra (Drug)', 'Added Anakinra (Biological)']);
    expect(
      listed({
        type: 'trial.arm-groups-changed',
        schemaVersion: 1,
        data: {
          removed: [{ label: 'Arm A', type: 'ACTIVE_COMPARATOR' }],
          added: [{ label: 'Arm A', type: 'PLACEBO_COMPARATOR' }],
        },
      }),
    ).toEqual(['Removed Arm A (Active comparator)', 'Added Arm A (Placebo comparator)']);
    expect(
      listed({
        type: 'trial.collaborators-changed',
        schemaVersion: 1,
        data: { removed: [{ name: 'Rho', class: 'OTHER' }], added: [{ name: 'Rho', class: 'INDUSTRY' }] },
      }),
    ).toEqual(['Removed Rho (other)', 'Added Rho (industry)']);
    expect(
      listed({
        type: 'trial.locations-changed',
        schemaVersion: 1,
        data: {
          removed: [],
          added: [{ facility: 'Duke', city: 'Durham', state: null, country: 'United States', status: 'RECRUITING' }],
          statusChanged: [],
        },
      }),
    ).toEqual(['Added Duke, Durham, United States (Recruiting)']);
    const sponsor = itemsOf({
      type: 'trial.lead-sponsor-changed',
      schemaVersion: 1,
      data: { from: { name: 'Duke University', class: 'OTHER' }, to: { name: 'Duke University', class: 'NIH' } },
    });
    expect(text(sponsor('.before').text())).toBe('from Duke University (other)');
    expect(text(sponsor('.after').text())).toBe('to Duke University (NIH)');
  });

  it('shows a learned design, eligibility and other identifiers part by part in words, never as code', () => {
    const $ = itemsOf({
      type: 'trial.facts-learned',
      schemaVersion: 1,
      data: {
        facts: {
          design: {
            allocation: 'RANDOMIZED',
            interventionModel: 'PARALLEL',
            primaryPurpose: 'TREATMENT',
            masking: 'NONE',
            observationalModel: null,
            timePerspective: null,
          },
          eligibility: {
            minimumAge: '18 Years',
            maximumAge: null,
            sex: 'FEMALE',
            healthyVolunteers: false,
            criteria: 'Pregnant women with lupus',
          },
          secondaryIds: [{ id: 'Pro00012345', type: 'ORG_STUDY_ID', domain: null }],
        },
      },
    });
    expect(
      $('li.change .change-values')
        .map((_, item) => text($(item).text()))
        .get(),
    ).toEqual([
      'Allocation: Randomized; Intervention model: Parallel; Primary purpose: Treatment; Masking: None',
      'Minimum age: 18 Years; Sex: Female; Healthy volunteers: no; Criteria: Pregnant women with lupus',
      "Pro00012345 (sponsor's ID)",
    ]);
  });

  it('renders an empty diff as an empty list', () => {
    expect(cheerio.load(listDiff([], []).value)('li')).toHaveLength(0);
  });

  it('lays out registry text written right to left in its own direction: titles, summaries, criteria, outcomes, sites', () => {
    const summary = `${HEBREW_NAME} `.repeat(12).trim();
    const site = { facility: HEBREW_NAME, city: 'תל אביב', state: null, country: 'Israel', status: 'RECRUITING' };
    const events: DomainEvent[] = [
      { type: 'trial.title-changed', schemaVersion: 1, data: { field: 'briefTitle', from: 'Lupus', to: ARABIC_TITLE } },
      { type: 'trial.summary-changed', schemaVersion: 1, data: { from: null, to: summary } },
      { type: 'trial.eligibility-changed', schemaVersion: 1, data: { criteria: { from: null, to: 'נשים בהריון' } } },
      {
        type: 'trial.primary-outcomes-changed',
        schemaVersion: 1,
        data: { removed: [], added: [{ measure: 'ضغط الدم', timeFrame: null }] },
      },
      {
        type: 'trial.locations-changed',
        schemaVersion: 1,
        data: {
          added: [],
          removed: [],
          statusChanged: [{ location: site, from: 'NOT_YET_RECRUITING', to: 'RECRUITING' }],
        },
      },
      { type: 'trial.facts-learned', schemaVersion: 1, data: { facts: { keywords: ['حمل'] } } },
    ];
    const $ = cheerio.load(`<ul>${events.map((event) => itemsOf(event)('body').html()).join('')}</ul>`);
    for (const registryText of [ARABIC_TITLE, summary, 'נשים בהריון', 'ضغط الدم', HEBREW_NAME, 'حمل'])
      expect({ registryText, directions: [...new Set(directionsOf($, registryText))] }).toEqual({
        registryText,
        directions: ['rtl'],
      });
    expect(directionsOf($, 'Lupus')).toEqual(['ltr']);
    expect(text($('li[data-field="briefTitle"] .after').text())).toBe(`to ${ARABIC_TITLE}`);
  });
});
