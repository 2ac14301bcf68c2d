import type { Outcome, OutcomeChangeTiming } from '@app/domain';
import type { OutcomeSwitchingReport, SwitchedTrial } from '../../read-models/index.js';
import { listDiff } from '../change-list.js';
import { formatDateStruct, formatDay } from '../format.js';
import { html, registryText, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { dataTable, pager, textField, trialCell } from '../report-table.js';
import { queryOf } from '../../shared/query-string.js';
import type { OutcomeSwitchingReportParams } from './outcome-switching-report.params.js';

export const OUTCOME_SWITCHING_PAGE = '/ui/reports/outcome-switching';

const TIMING_LABELS: Record<OutcomeChangeTiming, string> = {
  'before-start': 'Before the start',
  'after-start': 'After the start',
  'after-primary-completion': 'After primary completion',
};

const filterForm = (filters: OutcomeSwitchingReportParams): SafeHtml =>
  html`<form class="filters" action="${OUTCOME_SWITCHING_PAGE}" method="get" aria-label="Filter the report">
    ${textField('filter-since', 'since', 'Changed on or after', filters.since, 'date')}
    ${textField('filter-sponsor', 'sponsor', 'Sponsor contains', filters.sponsor)}
    ${textField('filter-condition', 'condition', 'Condition contains', filters.condition)}
    <div class="filter-actions">
      <button type="submit">Filter</button>
      ${filters.since || filters.sponsor || filters.condition ? html`<a href="${OUTCOME_SWITCHING_PAGE}">Clear filters</a>` : ''}
    </div>
  </form>`;

/** Removed and added outcomes, with rewordings and new time frames as a removal of the old and an addition of the new. */
const switchDiff = (entry: SwitchedTrial['switches'][number]): SafeHtml => {
  const before: Outcome[] = [
    ...entry.removed,
    ...entry.reworded.map((pair) => pair.before),
    ...entry.timeFrameChanged.map((pair) => pair.before),
  ];
  const after: Outcome[] = [
    ...entry.added,
    ...entry.reworded.map((pair) => pair.after),
    ...entry.timeFrameChanged.map((pair) => pair.after),
  ];
  return listDiff(before, after);
};

const kinds = (entry: SwitchedTrial['switches'][number]): string =>
  [
    entry.added.length > 0 ? `${entry.added.length} added` : '',
    entry.removed.length > 0 ? `${entry.removed.length} removed` : '',
    entry.reworded.length > 0 ? `${entry.reworded.length} reworded` : '',
    entry.timeFrameChanged.length > 0 ? `${entry.timeFrameChanged.length} with another time frame` : '',
  ]
    .filter(Boolean)
    .join(', ');

/** The dates the change's timing was judged by, as they stood then (a later move of the start does not show here). */
const datesNote = (entry: SwitchedTrial['switches'][number]): SafeHtml | string => {
  if (entry.datesThen === null) return '';
  const { startDate, primaryCompletionDate } = entry.datesThen;
  return entry.timing === 'after-primary-completion'
    ? html`<span class="cell-note">primary completion ${formatDateStruct(primaryCompletionDate)}</span>`
    : html`<span class="cell-note">start ${formatDateStruct(startDate)}</span>`;
};

const rows = (trial: SwitchedTrial): SafeHtml[] =>
  trial.switches.map(
    (entry) =>
      html`<tr data-timing="${entry.timing}">
        <td>${trialCell(trial.nctId, trial.briefTitle)}</td>
        <td>${trial.leadSponsor ? registryText(trial.leadSponsor) : 'unknown'}</td>
        <td>
          <time datetime="${entry.occurredAt.slice(0, 10)}">${formatDay(entry.occurredAt)}</time>
          ${datesNote(entry)}
        </td>
        <td><strong>${TIMING_LABELS[entry.timing]}</strong> <span class="cell-note">${kinds(entry)}</span></td>
        <td>${switchDiff(entry)}</td>
      </tr>`,
  );

/** Trials whose primary outcomes changed after the study started, one row per change, with a CSV. */
export const outcomeSwitchingReportPage = (
  report: OutcomeSwitchingReport,
  filters: OutcomeSwitchingReportParams,
): string => {
  const kept = { since: filters.since, sponsor: filters.sponsor, condition: filters.condition };
  return page({
    title: 'Outcome switching',
    main: html`<h1>Outcome switching</h1>
      <p class="lede">
        Trials whose primary outcomes were added, removed, reworded or given another time frame after the study started,
        each change placed against the start and primary completion dates as they stood then.
      </p>
      ${filterForm(filters)}
      <ul class="download-links">
        <li>
          <a href="${OUTCOME_SWITCHING_PAGE}.csv${queryOf(kept)}" download>Download this report as CSV</a> (every page,
          one row per change)
        </li>
      </ul>
      <h2 id="trials-heading">Changes to primary outcomes</h2>
      ${
        report.trials.length === 0
          ? html`<p class="empty">
              No trial's primary outcomes changed after its
              start${filters.since || filters.sponsor || filters.condition ? ' among those these filters select' : ''}.
            </p>`
          : dataTable(
              'outcome-switching',
              'Primary-outcome changes after the start, by NCT ID',
              ['Trial', 'Sponsor', 'Changed', 'When', 'Outcomes'],
              report.trials.flatMap(rows),
            )
      }
      ${pager(OUTCOME_SWITCHING_PAGE, kept, report.nextCursor, Boolean(filters.cursor))}`,
  });
};
