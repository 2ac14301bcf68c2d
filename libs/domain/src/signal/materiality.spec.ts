import {
  completionDateChanged,
  enrollmentUpdated,
  factsLearned,
  keywordsChanged,
  lastUpdatePostedDateMoved,
  locationsChanged,
  officialsChanged,
  overallStatusChanged,
  primaryCompletionDateChanged,
  primaryOutcomesChanged,
  referencesChanged,
  resultsPosted,
  resultsSubmitted,
  secondaryOutcomesChanged,
  startDateChanged,
  statusVerifiedDateMoved,
  type DomainEvent,
  designChanged,
  eligibilityChanged,
  hygieneFlagCleared,
  leadSponsorChanged,
  titleChanged,
} from '../events/index.js';
import { EVERY_EVENT_TYPE, NOT_WORDS } from '../testing/every-event-type.js';
import { actual, aLocation, anOutcome, estimated } from '../testing/trial-facts.js';
import { materialityOf, type MaterialityContext, outcomeChangeTiming } from './materiality.js';

/** A trial that started in January 2024 and expects its primary completion in December 2026. */
const RUNNING: MaterialityContext['before'] = {
  startDate: actual('2024-01-15'),
  primaryCompletionDate: estimated('2026-12'),
};
const at = (occurredAt: string, before: MaterialityContext['before'] = RUNNING): MaterialityContext => ({
  before,
  occurredAt,
});
const DURING = at('2025-06-01T00:00:00.000Z');

const given = (event: DomainEvent, context: MaterialityContext = DURING) => {
  const materiality = materialityOf(event, context);
  return {
    materiality,
    thenIs: (tier: string, subtype: string) => expect([materiality.tier, materiality.subtype]).toEqual([tier, subtype]),
  };
};

describe('materiality: status', () => {
  it.each(['TERMINATED', 'WITHDRAWN', 'SUSPENDED'])('a trial stopped (%s) is high', (to) => {
    given(overallStatusChanged({ from: 'RECRUITING', to, whyStopped: null, lastKnownStatus: null })).thenIs(
      'high',
      'status-stopped',
    );
  });

  it('completion, resumption and other moves are medium, each with its subtype and words', () => {
    const completed = given(
      overallStatusChanged({ from: 'ACTIVE_NOT_RECRUITING', to: 'COMPLETED', whyStopped: null, lastKnownStatus: null }),
    );
    completed.thenIs('medium', 'status-completed');
    expect(completed.materiality.reason).toBe('Status Active, not recruiting to Completed');
    given(
      overallStatusChanged({ from: 'SUSPENDED', to: 'RECRUITING', whyStopped: null, lastKnownStatus: null }),
    ).thenIs('medium', 'status-resumed');
    given(
      overallStatusChanged({ from: 'NOT_YET_RECRUITING', to: 'RECRUITING', whyStopped: null, lastKnownStatus: null }),
    ).thenIs('medium', 'status-changed');
  });
});

describe('materiality: status in words', () => {
  it('names statuses as the pages and feeds do, and the reason for stopping the record gave, cut when long', () => {
    const reasonOf = (data: Parameters<typeof overallStatusChanged>[0]) =>
      given(overallStatusChanged(data)).materiality.reason;
    expect(reasonOf({ from: 'RECRUITING', to: 'TERMINATED', whyStopped: 'Funding', lastKnownStatus: null })).toBe(
      'Status Recruiting to Terminated: Funding',
    );
    expect(reasonOf({ from: null, to: 'WITHDRAWN', whyStopped: null, lastKnownStatus: null })).toBe(
      'Status none to Withdrawn',
    );
    expect(reasonOf({ from: 'RECRUITING', to: 'UNKNOWN', whyStopped: null, lastKnownStatus: 'RECRUITING' })).toBe(
      'Status Recruiting to Unknown status: the registry lost track',
    );
    const long = reasonOf({ from: 'RECRUITING', to: 'SUSPENDED', whyStopped: 'x'.repeat(500), lastKnownStatus: null });
    expect(long).toBe(`Status Recruiting to Suspended: ${'x'.repeat(197)}…`);
  });
});

describe('materiality: dates', () => {
  it('a completion date slipping more than six months is high', () => {
    const slip = given(completionDateChanged({ from: estimated('2026-12'), to: estimated('2027-09') }));
    slip.thenIs('high', 'date-slipped-later');
    expect(slip.materiality.reason).toBe('Completion date slipped 9 months later, to 2027-09');
  });

  it('a slip of one to six months is medium, of less than a month low', () => {
    given(primaryCompletionDateChanged({ from: estimated('2026-12'), to: estimated('2027-03') })).thenIs(
      'medium',
      'date-slipped-later',
    );
    given(primaryCompletionDateChanged({ from: estimated('2026-12-01'), to: estimated('2026-12-20') })).thenIs(
      'low',
      'date-slipped-later',
    );
  });

  it('says a move of less than a month in days, as its tier counts it: 19 days is no month', () => {
    const slip = given(primaryCompletionDateChanged({ from: estimated('2026-12-01'), to: estimated('2026-12-20') }));
    slip.thenIs('low', 'date-slipped-later');
    expect(slip.materiality.reason).toBe('Primary completion date slipped 19 days later, to 2026-12-20');
    expect(
      given(startDateChanged({ from: estimated('2026-06-02'), to: estimated('2026-06-01') })).materiality.reason,
    ).toBe('Start date pulled 1 day earlier, to 2026-06-01');
    const month = given(completionDateChanged({ from: estimated('2026-06'), to: estimated('2026-07-05') }));
    month.thenIs('medium', 'date-slipped-later');
    expect(month.materiality.reason).toBe('Completion date slipped 1 month later, to 2026-07-05');
  });

  it('never says a slip graded as more than six months is six months', () => {
    const slip = given(completionDateChanged({ from: estimated('2026-01-01'), to: estimated('2026-07-03') }));
    slip.thenIs('high', 'date-slipped-later');
    expect(slip.materiality.reason).toBe('Completion date slipped more than 6 months later, to 2026-07-03');
    const under = given(completionDateChanged({ from: estimated('2026-01-01'), to: estimated('2026-06-30') }));
    under.thenIs('medium', 'date-slipped-later');
    expect(under.materiality.reason).toBe('Completion date slipped 6 months later, to 2026-06-30');
  });

  it('a start date slipping more than six months is medium, not high', () => {
    given(startDateChanged({ from: estimated('2025-01'), to: estimated('2025-10') })).thenIs(
      'medium',
      'date-slipped-later',
    );
  });

  it('an estimated date becoming actual on the same day is low; pulled earlier is its own subtype', () => {
    given(completionDateChanged({ from: estimated('2026-12-01'), to: actual('2026-12-01') })).thenIs(
      'low',
      'date-estimated-to-actual',
    );
    given(completionDateChanged({ from: estimated('2026-12'), to: estimated('2026-01') })).thenIs(
      'medium',
      'date-pulled-earlier',
    );
  });

  it('a month or year given to the day within it has not moved: no slip, only what else changed', () => {
    const refined = given(completionDateChanged({ from: estimated('2026-06'), to: actual('2026-06-20') }));
    expect(refined.materiality.findings.map((item) => item.subtype)).toEqual(['date-estimated-to-actual']);
    expect(refined.materiality.reason).toBe('Completion date became actual: 2026-06-20');
    given(primaryCompletionDateChanged({ from: estimated('2026'), to: estimated('2026-11-30') })).thenIs(
      'noise',
      'unchanged',
    );
    given(startDateChanged({ from: estimated('2026-06-20'), to: estimated('2026-06') })).thenIs('noise', 'unchanged');
    given(completionDateChanged({ from: estimated('2026-06'), to: estimated('2026-07-05') })).thenIs(
      'medium',
      'date-slipped-later',
    );
  });

  it('a date that slips as it becomes actual carries both findings, the slip first', () => {
    const { materiality } = given(completionDateChanged({ from: estimated('2026-01'), to: actual('2026-11-30') }));
    expect(materiality.findings.map((item) => [item.subtype, item.tier])).toEqual([
      ['date-slipped-later', 'high'],
      ['date-estimated-to-actual', 'low'],
    ]);
  });
});

describe('materiality: enrollment', () => {
  it('a change of more than 20 % is medium, of half or more downwards high, small ones low', () => {
    given(enrollmentUpdated({ from: { count: 100, type: 'ESTIMATED' }, to: { count: 130, type: 'ESTIMATED' } })).thenIs(
      'medium',
      'enrollment-up',
    );
    given(enrollmentUpdated({ from: { count: 100, type: 'ESTIMATED' }, to: { count: 40, type: 'ESTIMATED' } })).thenIs(
      'high',
      'enrollment-down',
    );
    given(enrollmentUpdated({ from: { count: 100, type: 'ESTIMATED' }, to: { count: 90, type: 'ESTIMATED' } })).thenIs(
      'low',
      'enrollment-down',
    );
  });

  it('estimated becoming actual is low, and says the count', () => {
    const { materiality } = given(
      enrollmentUpdated({ from: { count: 100, type: 'ESTIMATED' }, to: { count: 100, type: 'ACTUAL' } }),
    );
    expect(materiality).toMatchObject({
      tier: 'low',
      subtype: 'enrollment-estimated-to-actual',
      reason: 'Enrollment became actual: 100',
    });
  });
});

describe('materiality: outcomes', () => {
  const switched = primaryOutcomesChanged({
    removed: [anOutcome('Modified Rankin Scale', '90 days')],
    added: [anOutcome('Modified Rankin Scale', '5 years')],
  });

  it('a primary outcome changed after the study start is high; before the start medium', () => {
    given(switched).thenIs('high', 'outcome-time-frame-changed');
    given(switched, at('2023-06-01T00:00:00.000Z')).thenIs('medium', 'outcome-time-frame-changed');
    expect(materialityOf(switched, DURING).reason).toBe(
      'Primary outcome time frame changed after the study started: 90 days to 5 years (Modified Rankin Scale)',
    );
  });

  it('tells added, removed and reworded outcomes apart', () => {
    const { materiality } = given(
      primaryOutcomesChanged({
        removed: [anOutcome('Rate of major bleeding events'), anOutcome('All-cause mortality', '1 year')],
        added: [anOutcome('Rate of major bleeding events at 30 days'), anOutcome('Quality of life (EQ-5D)')],
      }),
    );
    expect(materiality.findings.map((item) => item.subtype).sort()).toEqual([
      'outcome-added',
      'outcome-removed',
      'outcome-reworded',
    ]);
  });

  it('secondary outcomes matter less: medium after the start, low before', () => {
    const added = secondaryOutcomesChanged({ removed: [], added: [anOutcome('Length of stay')] });
    given(added).thenIs('medium', 'outcome-added');
    given(added, at('2023-06-01T00:00:00.000Z')).thenIs('low', 'outcome-added');
  });

  it('times a change against the start and primary completion known before it', () => {
    expect(outcomeChangeTiming(at('2023-12-31T00:00:00.000Z'))).toBe('before-start');
    expect(outcomeChangeTiming(at('2024-01-15T00:00:00.000Z'))).toBe('after-start');
    expect(outcomeChangeTiming(at('2027-01-02T00:00:00.000Z'))).toBe('after-primary-completion');
    // An estimated start still in the future, or no start known: not started.
    expect(
      outcomeChangeTiming(
        at('2025-01-01T00:00:00.000Z', { startDate: estimated('2025-03'), primaryCompletionDate: null }),
      ),
    ).toBe('before-start');
    expect(outcomeChangeTiming(at('2025-01-01T00:00:00.000Z', null))).toBe('before-start');
  });
});

describe('materiality: the rest of the table', () => {
  it('results posted is high', () => {
    given(resultsPosted({ firstPostDate: actual('2025-05-01') })).thenIs('high', 'results-posted');
  });

  it('site changes are low, each kind its own subtype', () => {
    const site = aLocation();
    const { materiality } = given(
      locationsChanged({
        added: [site],
        removed: [],
        statusChanged: [{ location: site, from: null, to: 'RECRUITING' }],
      }),
    );
    expect(materiality.tier).toBe('low');
    expect(materiality.findings.map((item) => item.subtype)).toEqual(['site-added', 'site-status-changed']);
  });

  it('bookkeeping, keywords and learned facts are noise', () => {
    given(
      lastUpdatePostedDateMoved({
        from: actual('2025-01-01'),
        to: actual('2025-02-01'),
        submitDate: { from: '2024-12-31', to: '2025-01-31' },
      }),
    ).thenIs('noise', 'record-updated');
    given(statusVerifiedDateMoved({ from: '2025-01', to: '2025-02' })).thenIs('noise', 'status-verified');
    given(keywordsChanged({ added: ['stroke'], removed: [] })).thenIs('noise', 'keywords-changed');
    given(factsLearned({ facts: { locations: [aLocation()] } })).thenIs('noise', 'learned');
  });
});

describe('materiality: results submitted', () => {
  it("results submitted, awaiting the registry's review, are medium, saying the day they were submitted", () => {
    const submitted = given(resultsSubmitted({ from: null, to: '2023-05-11', posted: false }));
    submitted.thenIs('medium', 'results-submitted');
    expect(submitted.materiality.reason).toBe(
      'Results submitted on 2023-05-11: the registry posts them after its quality-control review',
    );
  });

  it('the day results were submitted, given by the record that posts them, is low: the posting is the news', () => {
    const posted = given(resultsSubmitted({ from: null, to: '2023-05-11', posted: true }));
    posted.thenIs('low', 'results-submit-date-given');
    expect(posted.materiality.reason).toBe("Results first submitted on 2023-05-11, posted after the registry's review");
  });

  it('a submission taken back is medium; another first day given is low', () => {
    const withdrawn = given(resultsSubmitted({ from: '2023-05-11', to: null, posted: false }));
    withdrawn.thenIs('medium', 'results-submission-withdrawn');
    expect(withdrawn.materiality.reason).toBe('Results submitted on 2023-05-11 were taken back');
    given(resultsSubmitted({ from: '2023-05-11', to: '2023-07-02', posted: false })).thenIs(
      'low',
      'results-submit-date-changed',
    );
  });
});

describe('materiality: publications and officials', () => {
  const results = {
    pmid: '36000001',
    type: 'RESULT',
    citation: 'Wilding JPH, et al. Once-Weekly Semaglutide in Adults with Overweight or Obesity. N Engl J Med. 2021.',
  };
  const background = { pmid: '31000002', type: 'BACKGROUND', citation: 'Smith A. Obesity. Lancet. 2019.' };
  const derived = { pmid: '37000003', type: 'DERIVED', citation: 'Jones B. Semaglutide. BMJ. 2023.' };

  it("a results publication cited is medium: the trial's results published in a journal, named with its PubMed ID", () => {
    const added = given(referencesChanged({ added: [background, results], removed: [] }));
    added.thenIs('medium', 'publication-added');
    expect(added.materiality.reason).toBe(`Results publication added: ${results.citation} (PubMed ID 36000001)`);
    expect(added.materiality.findings.map((item) => [item.subtype, item.tier])).toEqual([
      ['publication-added', 'medium'],
      ['references-changed', 'noise'],
    ]);
  });

  it('a results publication no longer cited is low, a publication the registry linked from PubMed low', () => {
    given(referencesChanged({ added: [], removed: [results] })).thenIs('low', 'publication-removed');
    given(referencesChanged({ added: [derived], removed: [] })).thenIs('low', 'derived-publication-added');
  });

  it('background reading added or removed is noise', () => {
    const changed = given(referencesChanged({ added: [background], removed: [{ ...background, pmid: null }] }));
    changed.thenIs('noise', 'references-changed');
    expect(changed.materiality.reason).toBe('References: 1 added, 1 removed');
  });

  it('officials changed (a new principal investigator) is low', () => {
    const changed = given(
      officialsChanged({
        added: [{ name: 'Ana Lopez, MD', affiliation: 'Mayo Clinic', role: 'PRINCIPAL_INVESTIGATOR' }],
        removed: [{ name: 'John Wilding, MD', affiliation: null, role: 'PRINCIPAL_INVESTIGATOR' }],
      }),
    );
    changed.thenIs('low', 'officials-changed');
    expect(changed.materiality.reason).toBe('Principal investigator now Ana Lopez, MD (Mayo Clinic)');
    given(
      officialsChanged({ added: [], removed: [{ name: 'Ana Lopez, MD', affiliation: null, role: 'STUDY_CHAIR' }] }),
    ).thenIs('low', 'officials-changed');
  });
});

describe('materiality: reasons in words', () => {
  it.each(Object.entries(EVERY_EVENT_TYPE).flatMap(([type, events]) => events.map((event) => [type, event] as const)))(
    'gives every reason of a %s in words: no field names, JSON, null or undefined',
    (_type, event) => {
      for (const { reason } of materialityOf(event, DURING).findings) expect(reason).not.toMatch(NOT_WORDS);
    },
  );

  it('names the parts of the design and eligibility that changed as the feed labels them', () => {
    expect(
      materialityOf(designChanged({ interventionModel: { from: 'PARALLEL', to: 'CROSSOVER' } }), DURING).reason,
    ).toBe('Design changed: intervention model');
    expect(
      materialityOf(
        eligibilityChanged({
          healthyVolunteers: { from: false, to: true },
          minimumAge: { from: '18 Years', to: null },
        }),
        DURING,
      ).reason,
    ).toBe('Eligibility changed: healthy volunteers, minimum age');
  });

  it('says which title changed: an acronym or official title is not the title', () => {
    expect(materialityOf(titleChanged({ field: 'acronym', from: 'STEP', to: 'STEP-X' }), DURING).reason).toBe(
      'Acronym changed',
    );
    expect(materialityOf(titleChanged({ field: 'officialTitle', from: 'A', to: 'B' }), DURING).reason).toBe(
      'Official title changed',
    );
    expect(materialityOf(titleChanged({ field: 'briefTitle', from: 'A', to: 'B' }), DURING).reason).toBe(
      'Title changed',
    );
  });

  it("says a lead sponsor's new class, and a sponsor removed as removed", () => {
    expect(
      materialityOf(
        leadSponsorChanged({
          from: { name: 'Duke University', class: 'OTHER' },
          to: { name: 'Duke University', class: 'NIH' },
        }),
        DURING,
      ).reason,
    ).toBe('Lead sponsor now Duke University (NIH)');
    expect(
      materialityOf(leadSponsorChanged({ from: { name: 'Duke University', class: 'OTHER' }, to: null }), DURING).reason,
    ).toBe('Lead sponsor removed (was Duke University)');
  });

  it('keeps the letter case of a flag cleared: an NCT ID stays an NCT ID', () => {
    expect(materialityOf(hygieneFlagCleared({ flag: 'merged-into-another' }), DURING).reason).toBe(
      'No longer: the registry merged this NCT ID into another trial',
    );
  });
});
