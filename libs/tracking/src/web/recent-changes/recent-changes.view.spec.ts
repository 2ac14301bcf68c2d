import * as cheerio from 'cheerio';
import { LEGACY_PAIR, SHA_2017 } from '../testing/recorded-changes.js';
import { ARABIC_TITLE, directionsOf } from '../testing/text-direction.js';
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

  it('says an older page with nothing left holds no older changes, and links back to the latest with the same filters', () => {
    const $ = cheerio.load(
      recentChangesPage({ changes: [], olderCursor: null }, { sponsor: 'duke & co', before: '100.1' }),
    );
    expect(text($('.empty').text())).toBe('No older changes match these filters.');
    expect($('.pager a').attr('href')).toBe('/ui?sponsor=duke+%26+co');
    expect(text($('.pager a').text())).toBe('Latest changes');
    expect(
      text(
        cheerio
          .load(recentChangesPage({ changes: [], olderCursor: null }, { before: '100.1' }))('.empty')
          .text(),
      ),
    ).toBe('There are no older changes.');
    const older = cheerio.load(recentChangesPage({ changes: FEED, olderCursor: '100.5' }, { before: '100.11' }));
    expect(
      older('.pager a')
        .map((_, link) => [[older(link).text(), older(link).attr('href')]])
        .get(),
    ).toEqual([
      ['Latest changes', '/ui'],
      ['Older changes', '/ui?before=100.5'],
    ]);
  });

  it("says what trialwatch's daily check found, and that no registry record carried it", () => {
    const finding = (type: string, data: unknown, index: number): RecentChange => ({
      cursor: `200.${index}`,
      eventId: `00000000-0000-4000-8000-00000000020${index}`,
      nctId: 'NCT00513591',
      briefTitle: 'Duke Autoimmunity in Pregnancy Registry',
      type,
      schemaVersion: 1,
      streamVersion: 10 + index,
      data,
      metadata: {},
      occurredAt: '2025-03-16T00:00:00.000Z',
      recordedAt: '2025-03-16T06:00:00.000Z',
      materiality: null,
    });
    const $ = cheerio.load(
      recentChangesPage(
        {
          changes: [
            finding('trial.hygiene-flag-cleared', { flag: 'completion-past-while-recruiting' }, 3),
            finding(
              'trial.results-overdue',
              { dueDate: '2025-03-15', primaryCompletionDate: { date: '2024-03-15', type: 'ACTUAL' } },
              2,
            ),
            finding('trial.hygiene-flag-raised', { flag: 'status-verification-stale', since: '2025-03-01' }, 1),
          ],
          olderCursor: null,
        },
        {},
      ),
    );
    const groups = $('.feed .change-group');
    expect(groups.map((_, group) => text($(group).find('ul.changes').text())).get()).toEqual([
      'Hygiene flag cleared Completion passed while recruiting',
      'Results overdue due 15 Mar 2025 (primary completion 15 Mar 2024 (actual)), none posted',
      'Hygiene flag raised Status verification stale (since 1 Mar 2025)',
    ]);
    groups.each((_, group) => {
      const meta = text($(group).find('.group-meta').text());
      expect(meta).toMatch(/^Daily check finding of 16 Mar 2025 · Recorded 16 Mar 2025, 06:00 UTC · /);
      expect(meta).toContain("Found by trialwatch's daily check, not in a registry record");
      expect(meta).not.toContain('No snapshot recorded');
    });
  });

  it("lays out a trial's title written right to left in its own direction", () => {
    const feed = FEED.map((entry) => ({ ...entry, briefTitle: ARABIC_TITLE }));
    const $ = cheerio.load(recentChangesPage({ changes: feed, olderCursor: null }, {}));
    expect(directionsOf($, ARABIC_TITLE)).toEqual(['rtl', 'rtl']);
  });
});
