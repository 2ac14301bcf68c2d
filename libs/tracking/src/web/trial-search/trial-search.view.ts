import { HYGIENE_FLAGS, RESULTS_DUE_STATES } from '@app/domain';
import type { MaterialChange, TrialSearchPage, TrialSummary } from '../../read-models/index.js';
import { materialityBadge, registryDate } from '../change-list.js';
import { statusBadge } from '../charts/status-timeline.js';
import { enumLabel, eventTypeLabel, formatCount, formatPartialDate, hygieneFlagLabel, phasesLabel } from '../format.js';
import { html, registryText, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { trialPagePath } from '../recorded-change.js';
import { dataTable, pager, selectField, textField, trialCell } from '../report-table.js';
import { resultsDueStateLabel } from '../signals.js';
import { OVERALL_STATUSES, PHASES, type TrialSearchParams } from './trial-search.params.js';

export const TRIAL_SEARCH_PAGE = '/ui/trials';

export interface TrialSearchData {
  result: TrialSearchPage;
  lastMaterialChanges: ReadonlyMap<string, MaterialChange>;
  filters: TrialSearchParams;
  /** The day results-due states and hygiene flags are for. */
  on: string;
}

const FILTER_KEYS = [
  'q',
  'status',
  'phase',
  'sponsor',
  'condition',
  'secondaryId',
  'resultsDue',
  'hygiene',
  'on',
] as const;

export const keptFilters = (filters: TrialSearchParams): Record<string, string | undefined> =>
  Object.fromEntries(FILTER_KEYS.map((key) => [key, filters[key]]));

const isFiltered = (filters: TrialSearchParams): boolean => FILTER_KEYS.some((key) => filters[key]);

/** The filters for the other pages: a search by a state on a day keeps the day, so a page after midnight matches. */
const pagedFilters = (filters: TrialSearchParams, on: string): Record<string, string | undefined> =>
  filters.resultsDue || filters.hygiene ? { ...keptFilters(filters), on } : keptFilters(filters);

const searchForm = (filters: TrialSearchParams, on: string): SafeHtml =>
  html`<form class="filters" action="${TRIAL_SEARCH_PAGE}" method="get" aria-label="Search the trials">
    ${textField('search-q', 'q', 'Words in the ID, title or conditions', filters.q, 'search')}
    ${selectField(
      'search-status',
      'status',
      'Current status',
      'Any status',
      OVERALL_STATUSES.map((status) => [status, enumLabel(status)] as const),
      filters.status,
    )}
    ${selectField(
      'search-phase',
      'phase',
      'Phase',
      'Any phase',
      PHASES.map((phase) => [phase, enumLabel(phase)] as const),
      filters.phase,
    )}
    ${textField('search-sponsor', 'sponsor', 'Sponsor contains', filters.sponsor)}
    ${textField('search-condition', 'condition', 'Condition contains', filters.condition)}
    ${textField('search-secondary-id', 'secondaryId', 'Other identifier (EudraCT, ISRCTN, …)', filters.secondaryId)}
    ${selectField(
      'search-results-due',
      'resultsDue',
      'Results due state',
      'Any',
      RESULTS_DUE_STATES.map((state) => [state, resultsDueStateLabel(state)] as const),
      filters.resultsDue,
    )}
    ${selectField(
      'search-hygiene',
      'hygiene',
      'Hygiene flag',
      'Any',
      HYGIENE_FLAGS.map((flag) => [flag, hygieneFlagLabel(flag)] as const),
      filters.hygiene,
    )}
    ${textField('search-on', 'on', 'Results and flags on the day', filters.on ?? on, 'date')}
    <div class="filter-actions">
      <button type="submit">Search</button>
      ${isFiltered(filters) ? html`<a href="${TRIAL_SEARCH_PAGE}">Clear the search</a>` : ''}
    </div>
  </form>`;

const lastMaterialCell = (trial: TrialSummary, change: MaterialChange | undefined): SafeHtml =>
  change
    ? html`<a href="${trialPagePath(trial.nctId)}#changes-heading"
          >${eventTypeLabel(change.type)}<span class="visually-hidden"> of ${trial.nctId}</span></a
        >
        <span class="cell-note">${registryDate(change.occurredAt)}</span> ${materialityBadge(change.materiality)}`
    : html`<span class="cell-note">none graded medium or high</span>`;

const row = (trial: TrialSummary, change: MaterialChange | undefined): SafeHtml =>
  html`<tr>
    <td>${trialCell(trial.nctId, trial.briefTitle)}</td>
    <td>${statusBadge(trial.overallStatus)}</td>
    <td>${phasesLabel(trial.phases)}</td>
    <td>${trial.leadSponsor ? registryText(trial.leadSponsor) : 'unknown'}</td>
    <td>${lastMaterialCell(trial, change)}</td>
  </tr>`;

/** Trials by their current state, with each one's status and last material change, counted and paged. */
export const trialSearchPage = ({ result, lastMaterialChanges, filters, on }: TrialSearchData): string => {
  const total = result.total ?? result.trials.length;
  const about = filters.resultsDue || filters.hygiene ? ` (results and flags on ${formatPartialDate(on)})` : '';
  return page({
    title: 'Find trials',
    main: html`<h1>Find trials</h1>
      <p class="lede">
        Search the tracked trials as they stand now. Every filter given must hold; text matches any part of the words,
        in any letter case.
      </p>
      ${searchForm(filters, on)}
      <h2 id="results-heading">Trials</h2>
      <p class="result-count" role="status">
        ${formatCount(total)} ${total === 1 ? 'trial matches' : 'trials match'}${about}.
      </p>
      ${
        result.trials.length === 0
          ? html`<p class="empty">
              ${
                isFiltered(filters)
                  ? 'No trial matches this search.'
                  : 'No trial is tracked yet. Ingest a snapshot (POST /snapshots or trialwatch ingest) to start.'
              }
            </p>`
          : dataTable(
              'trial-results',
              'Matching trials by NCT ID, with the latest change graded medium or high',
              ['Trial', 'Current status', 'Phase', 'Sponsor', 'Last material change'],
              result.trials.map((trial) => row(trial, lastMaterialChanges.get(trial.nctId))),
            )
      }
      ${pager(TRIAL_SEARCH_PAGE, pagedFilters(filters, on), result.nextCursor, Boolean(filters.cursor))}`,
  });
};
