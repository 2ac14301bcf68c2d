import { DOMAIN_EVENT_TYPES, MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import { changeItems, recordedAt, sourceHeading, sourceLink } from '../change-list.js';
import { eventTypeLabel, formatDay } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import {
  groupConsecutive,
  type RecordedChange,
  snapshotKey,
  toRecordedChanges,
  trialPagePath,
} from '../recorded-change.js';
import type { RecentChange, RecentChangesPage } from '../../read-models/index.js';

export interface RecentChangesFilters {
  type?: string;
  sponsor?: string;
  condition?: string;
  minMateriality?: MaterialityTier;
  before?: string;
}

interface TrialChange {
  nctId: string;
  briefTitle: string | null;
  change: RecordedChange;
}

const filterForm = (filters: RecentChangesFilters): SafeHtml =>
  html`<form class="filters" action="/ui" method="get" aria-label="Filter the changes">
    <div>
      <label for="filter-type">Type of change</label>
      <select id="filter-type" name="type">
        <option value="">All changes</option>
        ${DOMAIN_EVENT_TYPES.map(
          (type) =>
            html`<option value="${type}" ${type === filters.type ? html`selected` : ''}>
              ${eventTypeLabel(type)}
            </option>`,
        )}
      </select>
    </div>
    <div>
      <label for="filter-sponsor">Sponsor contains</label>
      <input id="filter-sponsor" name="sponsor" type="text" value="${filters.sponsor ?? ''}" maxlength="200" />
    </div>
    <div>
      <label for="filter-condition">Condition contains</label>
      <input id="filter-condition" name="condition" type="text" value="${filters.condition ?? ''}" maxlength="200" />
    </div>
    <div>
      <label for="filter-materiality">How much it matters</label>
      <select id="filter-materiality" name="minMateriality">
        <option value="">Every change</option>
        ${MATERIALITY_TIERS.filter((tier) => tier !== 'noise').map(
          (tier) =>
            html`<option value="${tier}" ${tier === filters.minMateriality ? html`selected` : ''}>
              ${tier === 'high' ? 'High only' : `${tier[0]!.toUpperCase()}${tier.slice(1)} or higher`}
            </option>`,
        )}
      </select>
    </div>
    <div class="filter-actions">
      <button type="submit">Filter</button>
      ${filters.type || filters.sponsor || filters.condition || filters.minMateriality ? html`<a href="/ui">Clear filters</a>` : ''}
    </div>
  </form>`;

const entryGroup = (group: readonly TrialChange[]): SafeHtml => {
  const { nctId, briefTitle, change } = group[0]!;
  const context = `of ${nctId}, record of ${formatDay(change.occurredAt)}`;
  return html`<li class="change-group">
    <h3 class="feed-title">
      <a href="${trialPagePath(nctId)}">${nctId}</a
      >${briefTitle ? html` <span class="feed-trial" dir="auto">${briefTitle}</span>` : ''}
    </h3>
    <p class="group-meta">
      ${sourceHeading(change)} · ${recordedAt(change.recordedAt)} · ${sourceLink(change, context)}
    </p>
    <ul class="changes">
      ${group.map((entry) => changeItems(entry.change))}
    </ul>
  </li>`;
};

/** The filters as a query string, the cursor left out. */
const filterQuery = (filters: RecentChangesFilters): URLSearchParams => {
  const query = new URLSearchParams();
  for (const key of ['type', 'sponsor', 'condition', 'minMateriality'] as const) {
    const value = filters[key];
    if (value) query.set(key, value);
  }
  return query;
};

const pathWith = (query: URLSearchParams): string => (query.size > 0 ? `/ui?${query.toString()}` : '/ui');

/** "Latest changes" once past the first page, "Older changes" while there are more, both with the same filters. */
const pager = (filters: RecentChangesFilters, olderCursor: string | null): SafeHtml | '' => {
  if (!filters.before && !olderCursor) return '';
  const older = filterQuery(filters);
  if (olderCursor) older.set('before', olderCursor);
  return html`<nav class="pager" aria-label="Pages">
    ${filters.before ? html`<a href="${pathWith(filterQuery(filters))}">Latest changes</a>` : ''}
    ${olderCursor ? html`<a href="${pathWith(older)}" rel="next">Older changes</a>` : ''}
  </nav>`;
};

const toTrialChanges = (changes: readonly RecentChange[]): TrialChange[] =>
  changes.flatMap((entry) =>
    toRecordedChanges([entry]).map((change) => ({ nctId: entry.nctId, briefTitle: entry.briefTitle, change })),
  );

/** Recent changes across all trials, newest first, grouped by trial and record, with filters and the NCT ID search. */
export const recentChangesPage = (result: RecentChangesPage, filters: RecentChangesFilters): string => {
  const entries = toTrialChanges(result.changes);
  // Newest record first, but each record's changes in the order the registry diff lists them, as on a trial's page.
  const groups = groupConsecutive(entries, (entry) => `${entry.nctId}|${snapshotKey(entry.change)}`).map((group) =>
    group.reverse(),
  );
  const filtered = Boolean(filters.type || filters.sponsor || filters.condition || filters.minMateriality);
  const empty = filters.before
    ? filtered
      ? 'No older changes match these filters.'
      : 'There are no older changes.'
    : filtered
      ? 'No changes match these filters.'
      : 'No changes have been recorded yet. Ingest a snapshot (POST /snapshots or trialwatch ingest) to start tracking a trial.';
  return page({
    title: 'Recent changes',
    main: html`<h1>Recent changes</h1>
      <p class="lede">
        What changed in the tracked trials, newest first. Open a trial for its status timeline and date slips.
      </p>
      ${filterForm(filters)}
      <h2 id="feed-heading">${filters.before ? 'Older changes' : 'Latest changes'}</h2>
      ${
        groups.length === 0
          ? html`<p class="empty">${empty}</p>`
          : html`<ol class="feed change-groups" aria-labelledby="feed-heading">
              ${groups.map(entryGroup)}
            </ol>`
      }
      ${pager(filters, result.olderCursor)}`,
  });
};
