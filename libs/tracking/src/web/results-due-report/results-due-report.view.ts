import { RESULTS_DUE_STATES } from '@app/domain';
import type { ResultsDueEntry, ResultsDueReport } from '../../read-models/index.js';
import { statusBadge } from '../charts/status-timeline.js';
import { formatCount, formatDateStruct, formatPartialDate } from '../format.js';
import { html, registryText, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { dataTable, pager, selectField, textField, trialCell } from '../report-table.js';
import { daysOverdueNote, reportedNotes, RESULTS_DUE_PAGE, resultsDueStateLabel } from '../signals.js';
import { queryOf } from '../../shared/query-string.js';
import type { ResultsDueReportParams } from './results-due-report.params.js';

const filterForm = (filters: ResultsDueReportParams, on: string): SafeHtml =>
  html`<form class="filters" action="${RESULTS_DUE_PAGE}" method="get" aria-label="Filter the report">
    ${selectField(
      'filter-state',
      'state',
      'Results state',
      'Every state',
      RESULTS_DUE_STATES.map((state) => [state, resultsDueStateLabel(state)] as const),
      filters.state,
    )}
    ${textField('filter-sponsor', 'sponsor', 'Sponsor contains', filters.sponsor)}
    ${textField('filter-on', 'on', 'State on the day', filters.on ?? on, 'date')}
    <div class="filter-actions">
      <button type="submit">Filter</button>
      ${filters.state || filters.sponsor || filters.on ? html`<a href="${RESULTS_DUE_PAGE}">Clear filters</a>` : ''}
    </div>
  </form>`;

const row = (entry: ResultsDueEntry): SafeHtml =>
  html`<tr data-state="${entry.state}">
    <td>${trialCell(entry.nctId, entry.briefTitle)}</td>
    <td>${entry.leadSponsor ? registryText(entry.leadSponsor) : 'unknown'}</td>
    <td>${statusBadge(entry.overallStatus)}</td>
    <td>${formatDateStruct(entry.primaryCompletionDate)}</td>
    <td>${formatPartialDate(entry.dueDate)}</td>
    <td>
      <strong>${resultsDueStateLabel(entry.state)}</strong>
      ${daysOverdueNote(entry.daysOverdue)} ${reportedNotes(entry)}
    </td>
  </tr>`;

/** Trials that probably must post results under FDAAA 801, with their state on a day, counts per state and a CSV. */
export const resultsDueReportPage = (report: ResultsDueReport, filters: ResultsDueReportParams): string => {
  // The day the page was computed for, chosen or today's: a link followed after midnight shows the same day.
  const kept = { state: filters.state, sponsor: filters.sponsor, on: report.on };
  const total = RESULTS_DUE_STATES.reduce((sum, state) => sum + report.counts[state], 0);
  return page({
    title: 'Results due',
    main: html`<h1>Results due</h1>
      <p class="lede">
        Trials that look like applicable clinical trials under FDAAA 801, with the day their results are due (one year
        after primary completion) and their state on ${formatPartialDate(report.on)}. An approximation: the record does
        not show certifications of delay or extensions.
      </p>
      ${filterForm(filters, report.on)}
      <h2 id="counts-heading">Trials in each state</h2>
      <ul class="counts" aria-labelledby="counts-heading">
        <li>
          <a href="${RESULTS_DUE_PAGE}${queryOf({ sponsor: filters.sponsor, on: report.on })}">All</a>:
          ${formatCount(total)}
        </li>
        ${RESULTS_DUE_STATES.map(
          (state) =>
            html`<li data-state="${state}">
              <a href="${RESULTS_DUE_PAGE}${queryOf({ ...kept, state })}">${resultsDueStateLabel(state)}</a>:
              ${formatCount(report.counts[state])}
            </li>`,
        )}
      </ul>
      <ul class="download-links">
        <li><a href="${RESULTS_DUE_PAGE}.csv${queryOf(kept)}" download>Download this report as CSV</a> (every page)</li>
      </ul>
      <h2 id="trials-heading">Trials</h2>
      ${
        report.trials.length === 0
          ? html`<p class="empty">No trial matches these filters.</p>`
          : dataTable(
              'results-due',
              html`Results due on
              ${formatPartialDate(report.on)}${
                filters.state ? html`, ${resultsDueStateLabel(filters.state).toLowerCase()}` : ''
              },
              by due date`,
              ['Trial', 'Sponsor', 'Status', 'Primary completion', 'Results due', 'Results state'],
              report.trials.map(row),
            )
      }
      ${pager(RESULTS_DUE_PAGE, kept, report.nextCursor, Boolean(filters.cursor))}`,
  });
};
