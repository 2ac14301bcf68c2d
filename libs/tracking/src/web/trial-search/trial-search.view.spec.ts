import * as cheerio from 'cheerio';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { MaterialChange, TrialSummary } from '../../read-models/index.js';
import { ARABIC_TITLE, directionsOf, HEBREW_NAME } from '../testing/text-direction.js';
import { TrialSearchParams } from './trial-search.params.js';
import { trialSearchPage } from './trial-search.view.js';

const TRIAL: TrialSummary = {
  nctId: 'NCT00513591',
  briefTitle: 'Duke Autoimmunity in Pregnancy Registry',
  overallStatus: 'RECRUITING',
  phases: ['NA'],
  studyType: 'OBSERVATIONAL',
  leadSponsor: 'Duke University',
  conditions: ['Lupus'],
  streamVersion: 7,
  lastChangedAt: '2017-06-16T00:00:00.000Z',
  lastEventType: 'trial.last-update-posted-date-moved',
};
const MATERIAL: MaterialChange = {
  nctId: 'NCT00513591',
  eventId: '00000000-0000-4000-8000-000000000003',
  type: 'trial.primary-completion-date-changed',
  streamVersion: 3,
  occurredAt: '2017-06-16T00:00:00.000Z',
  materiality: {
    tier: 'high',
    subtype: 'date-slipped-later',
    reason: 'Primary completion date slipped 6 months later',
  },
};
const text = (value: string) => value.replace(/\s+/g, ' ').trim();

describe('trial search page', () => {
  it('shows each trial with its current status and its last material change, and counts every match', () => {
    const $ = cheerio.load(
      trialSearchPage({
        result: { trials: [TRIAL], nextCursor: 'NCT00513591', total: 51 },
        lastMaterialChanges: new Map([[TRIAL.nctId, MATERIAL]]),
        filters: { status: 'RECRUITING', q: 'duke' },
        on: '2026-01-15',
      }),
    );
    expect(text($('.result-count').text())).toBe('51 trials match.');
    const cells = $('#trial-results tbody td')
      .map((_, cell) => text($(cell).text()))
      .get();
    expect(cells.slice(0, 4)).toEqual([
      'NCT00513591Duke Autoimmunity in Pregnancy Registry',
      'Recruiting',
      'Not applicable',
      'Duke University',
    ]);
    expect(cells[4]).toBe(
      'Primary completion date changed of NCT00513591 16 Jun 2017 High materiality Primary completion date slipped 6 months later',
    );
    expect($('a[rel="next"]').attr('href')).toBe('/ui/trials?q=duke&status=RECRUITING&cursor=NCT00513591');
    expect($('#search-status option[selected]').attr('value')).toBe('RECRUITING');
    expect($('#search-q').attr('value')).toBe('duke');
    for (const id of $('form.filters')
      .find('input, select')
      .map((_, control) => $(control).attr('id'))
      .get())
      expect($(`label[for="${id}"]`)).toHaveLength(1);
  });

  it('says when nothing matches, and when nothing is tracked yet', () => {
    const empty = { trials: [], nextCursor: null, total: 0 };
    const searched = cheerio.load(
      trialSearchPage({ result: empty, lastMaterialChanges: new Map(), filters: { q: 'x' }, on: '2026-01-15' }),
    );
    expect(text(searched('.empty').text())).toBe('No trial matches this search.');
    const fresh = cheerio.load(
      trialSearchPage({ result: empty, lastMaterialChanges: new Map(), filters: {}, on: '2026-01-15' }),
    );
    expect(text(fresh('.empty').text())).toMatch(/^No trial is tracked yet/);
  });

  it("offers and accepts every overall status the registry gives, an expanded-access programme's too", () => {
    const $ = cheerio.load(
      trialSearchPage({
        result: { trials: [], nextCursor: null },
        lastMaterialChanges: new Map(),
        filters: {},
        on: '2026-01-15',
      }),
    );
    const offered = $('#search-status option')
      .map((_, option) => $(option).attr('value'))
      .get()
      .filter(Boolean);
    expect(offered.slice(0, 2)).toEqual(['NOT_YET_RECRUITING', 'RECRUITING']);
    expect(offered).toEqual(
      expect.arrayContaining(['AVAILABLE', 'NO_LONGER_AVAILABLE', 'APPROVED_FOR_MARKETING', 'WITHHELD']),
    );
    const errorsOf = (status: string) => validateSync(plainToInstance(TrialSearchParams, { status }));
    expect(errorsOf('AVAILABLE')).toEqual([]);
    expect(errorsOf('TEMPORARILY_NOT_AVAILABLE')).toEqual([]);
    expect(errorsOf('EXPLODED')).toHaveLength(1);
  });

  it("lays out a trial's title and sponsor written right to left in their own direction", () => {
    const $ = cheerio.load(
      trialSearchPage({
        result: { trials: [{ ...TRIAL, briefTitle: ARABIC_TITLE, leadSponsor: HEBREW_NAME }], nextCursor: null },
        lastMaterialChanges: new Map(),
        filters: {},
        on: '2026-01-15',
      }),
    );
    expect([directionsOf($, ARABIC_TITLE), directionsOf($, HEBREW_NAME)]).toEqual([['rtl'], ['rtl']]);
  });

  it('links the next page of a search by results-due state or hygiene flag to the day it was computed for', () => {
    const nextOf = (filters: TrialSearchParams) =>
      cheerio
        .load(
          trialSearchPage({
            result: { trials: [TRIAL], nextCursor: 'NCT00513591' },
            lastMaterialChanges: new Map(),
            filters,
            on: '2026-01-15',
          }),
        )('a[rel="next"]')
        .attr('href');
    expect(nextOf({ resultsDue: 'overdue' })).toBe('/ui/trials?resultsDue=overdue&on=2026-01-15&cursor=NCT00513591');
    expect(nextOf({ hygiene: 'status-verification-stale' })).toBe(
      '/ui/trials?hygiene=status-verification-stale&on=2026-01-15&cursor=NCT00513591',
    );
    expect(nextOf({ q: 'duke' })).toBe('/ui/trials?q=duke&cursor=NCT00513591');
  });
});
