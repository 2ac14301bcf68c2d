import * as cheerio from 'cheerio';
import type { Watchlist, WatchlistRun } from '../../watchlists/index.js';
import { LEGACY_PAIR } from '../testing/recorded-changes.js';
import { ARABIC_TITLE, directionsOf } from '../testing/text-direction.js';
import { watchlistDashboardPage } from './watchlist-dashboard.view.js';

const WATCHLIST: Watchlist = {
  id: '6f1c2d4e-0000-4000-8000-000000000001',
  name: 'lupus <trials>',
  nctIds: ['NCT00513591'],
  search: null,
  pageUrls: [],
  schedule: { cron: '0 6 * * *', timeZone: 'UTC' },
  backfillHistory: false,
  lastSuccessfulSyncAt: '2026-01-15T06:00:00.000Z',
  lastDataTimestamp: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const run = (status: WatchlistRun['status'], errors: WatchlistRun['errors'] = []): WatchlistRun => ({
  id: `run-${status}`,
  watchlistId: WATCHLIST.id,
  trigger: 'schedule',
  status,
  queuedAt: '2026-01-15T06:00:00.000Z',
  startedAt: '2026-01-15T06:00:01.000Z',
  endedAt: '2026-01-15T06:00:05.000Z',
  requested: {},
  studiesFetched: 1,
  appended: 0,
  learned: 0,
  unchanged: 1,
  stale: 0,
  rejected: 0,
  eventsAppended: 0,
  errors,
  notes: [],
});
const text = (value: string) => value.replace(/\s+/g, ' ').trim();

describe('watchlist dashboard', () => {
  const render = (briefTitle = 'Duke Autoimmunity in Pregnancy Registry') =>
    cheerio.load(
      watchlistDashboardPage({
        watchlist: WATCHLIST,
        trialCount: 1,
        since: '2017-01-01',
        minMateriality: undefined,
        trials: [
          {
            nctId: 'NCT00513591',
            briefTitle,
            changes: LEGACY_PAIR.slice(1).reverse(),
          },
        ],
        truncated: false,
        runs: [
          run('partial', [{ scope: 'NCT00513592', code: 'watchlist.trial-removed', message: 'no longer listed' }]),
          run('succeeded'),
        ],
      }),
    );

  it('groups the changes since the day by trial, then by record, in the registry diff order', () => {
    const $ = render();
    expect(text($('h1').text())).toBe('Watchlist lupus <trials>');
    expect(text($('#changes-heading').text())).toBe('Changes since 1 Jan 2017');
    expect(text($('.result-count').text())).toBe('5 changes in 1 trial.');
    const group = $('li.change-group[data-nct-id="NCT00513591"]');
    expect(group.find('h3 a').attr('href')).toBe('/ui/trials/NCT00513591');
    expect(
      group
        .find('li.change')
        .map((_, item) => $(item).attr('data-field'))
        .get()
        .slice(0, 2),
    ).toEqual(['enrollment', 'primaryCompletionDate']);
  });

  it('lists the last runs with their status in words and their errors', () => {
    const $ = render();
    const rows = $('#watchlist-runs tbody tr');
    expect(rows.map((_, row) => $(row).attr('data-status')).get()).toEqual(['partial', 'succeeded']);
    expect(text($(rows[0]).find('td').first().text())).toBe('Partial');
    expect(text($(rows[0]).find('.run-error').text())).toBe('NCT00513592: no longer listed watchlist.trial-removed');
    expect(text($(rows[1]).find('td').last().text())).toBe('none');
  });

  it("lays out a trial's title written right to left in its own direction", () => {
    expect(directionsOf(render(ARABIC_TITLE), ARABIC_TITLE)).toEqual(['rtl']);
  });
});
