import { validateFilter } from '../subscriptions/subscription.js';
import { type FilterSubject, matchesFilter } from './subscription-filter.js';

const subject = (overrides: Partial<FilterSubject> = {}): FilterSubject => ({
  eventType: 'trial.overall-status-changed',
  nctId: 'NCT04811651',
  facts: {
    conditions: ['Ischemic Stroke'],
    leadSponsor: { name: 'General Hospital of Northern Theater Command', class: 'OTHER' },
    phases: ['PHASE2'],
  },
  watchlistIds: new Set(['2b1f6c1e-8a6f-4c55-9d7e-0a9f0e3c1b11']),
  ...overrides,
});

describe('subscription filters', () => {
  it('matches when every given criterion holds, any value within one', () => {
    expect(matchesFilter({}, subject())).toBe(true);
    expect(
      matchesFilter(
        { nctIds: ['NCT00000001', 'NCT04811651'], eventTypes: ['trial.overall-status-changed'] },
        subject(),
      ),
    ).toBe(true);
    expect(
      matchesFilter(
        { conditions: ['stroke'], leadSponsors: ['northern theater'], phases: ['PHASE3', 'PHASE2'] },
        subject(),
      ),
    ).toBe(true);
    expect(matchesFilter({ watchlistIds: ['2b1f6c1e-8a6f-4c55-9d7e-0a9f0e3c1b11'] }, subject())).toBe(true);
  });

  it("lowers letters one at a time, as PostgreSQL's lower() does for the change feed", () => {
    const sponsoredBy = (name: string) =>
      subject({ facts: { conditions: [], leadSponsor: { name, class: 'OTHER' }, phases: [] } });
    // lower('İzmir') is 'izmir' and lower('ΟΜΙΛΟΣ ΙΑΤΡΙΚΟΣ') 'ομιλοσ ιατρικοσ' in PostgreSQL; JavaScript's
    // toLowerCase() gives 'i' with a combining dot, and a final 'ς'.
    expect(matchesFilter({ leadSponsors: ['izmir'] }, sponsoredBy('İzmir Katip Çelebi University'))).toBe(true);
    expect(matchesFilter({ leadSponsors: ['ομιλοσ ιατρικοσ'] }, sponsoredBy('ΟΜΙΛΟΣ ΙΑΤΡΙΚΟΣ ΑΘΗΝΩΝ'))).toBe(true);
    expect(matchesFilter({ leadSponsors: ['ÇELEBI'] }, sponsoredBy('İzmir Katip Çelebi University'))).toBe(true);
  });

  it('refuses when any criterion fails', () => {
    expect(matchesFilter({ nctIds: ['NCT00000001'] }, subject())).toBe(false);
    expect(matchesFilter({ eventTypes: ['trial.enrollment-updated'] }, subject())).toBe(false);
    expect(matchesFilter({ conditions: ['lupus'] }, subject())).toBe(false);
    expect(matchesFilter({ conditions: ['stroke'], phases: ['PHASE3'] }, subject())).toBe(false);
    expect(matchesFilter({ leadSponsors: ['Regeneron'] }, subject())).toBe(false);
    expect(matchesFilter({ watchlistIds: ['00000000-0000-0000-0000-000000000000'] }, subject())).toBe(false);
    expect(matchesFilter({ conditions: ['stroke'] }, subject({ facts: null }))).toBe(false);
  });

  it('leaves out what trialwatch learned unless the filter names trial.facts-learned', () => {
    const learned = subject({ eventType: 'trial.facts-learned' });
    expect(matchesFilter({}, learned)).toBe(false);
    expect(matchesFilter({ nctIds: ['NCT04811651'] }, learned)).toBe(false);
    expect(matchesFilter({ eventTypes: ['trial.overall-status-changed'] }, learned)).toBe(false);
    expect(matchesFilter({ eventTypes: ['trial.facts-learned'] }, learned)).toBe(true);
  });

  it('canonicalises a filter and names every problem', () => {
    expect(
      validateFilter({
        nctIds: [' nct04811651 ', 'NCT04811651'],
        phases: ['phase2'],
        conditions: [],
        eventTypes: undefined,
      }),
    ).toEqual({
      nctIds: ['NCT04811651'],
      phases: ['PHASE2'],
    });
    expect(() =>
      validateFilter({ nctIds: ['NCT1'], eventTypes: ['trial.exploded'], phases: ['PHASE9'], watchlistIds: ['abc'] }),
    ).toThrow(
      /not NCT IDs: NCT1; unknown event types: trial.exploded .*; unknown phases: PHASE9 .*; watchlist ids must be UUIDs: abc/,
    );
  });

  it('refuses a blank value, which would otherwise leave the list empty and the subscription hearing every change', () => {
    expect(() => validateFilter({ conditions: [''] })).toThrow(/blank values in: conditions/);
    expect(() => validateFilter({ nctIds: [' '], leadSponsors: ['Acme', '  '] })).toThrow(
      /blank values in: nctIds, leadSponsors/,
    );
    expect(validateFilter({ conditions: [], leadSponsors: ['Acme'] })).toEqual({ leadSponsors: ['Acme'] });
  });
});
