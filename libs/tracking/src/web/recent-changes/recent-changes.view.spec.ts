import * as cheerio from 'cheerio';
import { LEGACY_PAIR, SHA_2017 } from '../testing/recorded-changes.js';
import type { RecentChange } from '../../read-models/index.js';
import { recentChangesPage } from './recent-changes.view.js';

/** The legacy pair as the feed returns it: newest commit first. */
const FEED: RecentChange[] = [...LEGACY_PAIR].reverse().map((change, index) => ({
  cursor: `100.${10 - index}`,
  eventId: change.eventId,
  nctId: 'NCT00513591',
  briefTitle: 'Duke Autoimmunity in Pregnancy Registry',
  type: change.event.type,
  schemaVersion: 1,
  streamVersion: change.streamVersion,
  data: change.event.data,
  metadata: { contentSha256: change.contentSha256 },
  occurredAt: change.occurredAt,
  recordedAt: change.recordedAt,
  materiality: null,
}));

const text = (value: string) => value.replace(/\s+/g, ' ').trim();

describe('recent changes page', () => {
  it('groups the feed by trial and record, newest record first, its changes in registry order', () => {
    const $ = cheerio.load(recentChangesPage({ changes: FEED, olderCursor: null }, {}));
    const groups = $('.feed .change-group');
    expect(groups).toHaveLength(2);
    expect($(groups[0]).find('.feed-title a').attr('href')).toBe('/ui/trials/NCT00513591');
    expect(text($(groups[0]).find('.feed-title').text())).toBe('NCT00513591 Duke Autoimmunity in Pregnancy Registry');
    expect($(groups[0]).find('a.snapshot-link').attr('href')).toBe(`/ui/snapshots/${SHA_2017}`);
    expect($(groups[0]).find('li.change').first().attr('data-field')).toBe('enrollment');
    expect($('.pager')).toHaveLength(0);
  });

  it('keeps the chosen filters in the form, escaped', () => {
    const hostile = '"><script>alert(1)</script>';
    const $ = cheerio.load(
      recentChangesPage({ changes: [], olderCursor: null }, { type: 'trial.enrollment-updated', sponsor: hostile }),
    );
    expect($('#filter-type option[selected]').attr('value')).toBe('trial.enrollment-updated');
    expect($('#filter-sponsor').attr('value')).toBe(hostile);
    expect($('script:not([src])')).toHaveLength(0);
    expect(text($('.empty').text())).toBe('No changes match these filters.');
    expect($('a[href="/ui"]').filter((_, link) => $(link).text() === 'Clear filters')).toHaveLength(1);
  });

  it('offers every event type by name', () => {
    const $ = cheerio.load(recentChangesPage({ changes: [], olderCursor: null }, {}));
    const options = $('#filter-type option')
      .map((_, option) => text($(option).text()))
      .get();
    expect(options[0]).toBe('All changes');
    expect(options).toContain('Primary completion date changed');
    expect(options).toContain('Overall status changed');
    expect(text($('.empty').text())).toMatch(/^No changes have been recorded yet/);
  });

  it('links older changes with the same filters', () => {
    const $ = cheerio.load(recentChangesPage({ changes: FEED, olderCursor: '100.5' }, { sponsor: 'duke & co' }));
    expect($('.pager a').attr('href')).toBe('/ui?sponsor=duke+%26+co&before=100.5');
    expect($('.pager a').attr('rel')).toBe('next');
  });
});
