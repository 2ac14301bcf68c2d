import { HYGIENE_FLAGS } from '@app/domain';
import type { HygieneEntry, HygieneReport } from '../../read-models/index.js';
import { statusBadge } from '../charts/status-timeline.js';
import { formatPartialDate, hygieneFlagLabel } from '../format.js';
import { html, registryText, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { dataTable, pager, selectField, textField, trialCell } from '../report-table.js';
import { HYGIENE_PAGE, hygieneFlagItem } from '../signals.js';
import { queryOf } from '../../shared/query-string.js';
import type { HygieneReportParams } from './hygiene-report.params.js';

const filterForm = (filters: HygieneReportParams, on: string): SafeHtml =>
  html`<form class="filters" action="${HYGIENE_PAGE}" method="get" aria-label="Filter the report">
    ${selectField(
      'filter-flag',
      'flag',
      'Hygiene flag',
      'Any flag',
      HYGIENE_FLAGS.map((flag) => [flag, hygieneFlagLabel(flag)] as const),
      filters.flag,
    )}
    ${textField('filter-sponsor', 'sponsor', 'Sponsor contains', filters.sponsor)}
    ${textField('filter-on', 'on', 'Flags holding on the day', filters.on ?? on, 'date')}
    <div class="filter-actions">
      <button type="submit">Filter</button>
      ${filters.flag || filters.sponsor || filters.on ? html`<a href="${HYGIENE_PAGE}">Clear filters</a>` : ''}
    </div>
  </form>`;

const row = (entry: HygieneEntry): SafeHtml =>
  html`<tr>
    <td>${trialCell(entry.nctId, entry.briefTitle)}</td>
    <td>${entry.leadSponsor ? registryText(entry.leadSponsor) : 'unknown'}</td>
    <td>${statusBadge(entry.overallStatus)}</td>
    <td>
      <ul class="cell-list">
        ${entry.flags.map(hygieneFlagItem)}
      </ul>
    </td>
  </tr>`;

/** Trials with a registry-hygiene flag holding on a day, with a CSV. */
export const hygieneReportPage = (report: HygieneReport, filters: HygieneReportParams): string => {
  // The day the page was computed for, chosen or today's: a link followed after midnight shows the same day.
  const kept = { flag: filters.flag, sponsor: filters.sponsor, on: report.on };
  return page({
    title: 'Registry hygiene',
    main: html`<h1>Registry hygiene</h1>
      <p class="lede">
        Trials whose records need attention on ${formatPartialDate(report.on)}: a status not verified for over two
        years, a completion date passed while still recruiting, a record merged into another.
      </p>
      ${filterForm(filters, report.on)}
      <ul class="download-links">
        <li><a href="${HYGIENE_PAGE}.csv${queryOf(kept)}" download>Download this report as CSV</a> (every page)</li>
      </ul>
      <h2 id="trials-heading">Flagged trials</h2>
      ${
        report.trials.length === 0
          ? html`<p class="empty">No trial has ${filters.flag ? 'this flag' : 'a flag'} on that day.</p>`
          : dataTable(
              'hygiene',
              html`Trials with ${filters.flag ? hygieneFlagLabel(filters.flag).toLowerCase() : 'a hygiene flag'} on
              ${formatPartialDate(report.on)}, by NCT ID`,
              ['Trial', 'Sponsor', 'Status', 'Flags'],
              report.trials.map(row),
            )
      }
      ${pager(HYGIENE_PAGE, kept, report.nextCursor, Boolean(filters.cursor))}`,
  });
};
