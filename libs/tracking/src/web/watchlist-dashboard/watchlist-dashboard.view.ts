import { MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import type { Watchlist, WatchlistRun } from '../../watchlists/index.js';
import { changeItems, recordedAt, sourceHeading, sourceLink } from '../change-list.js';
import { formatCount, formatDay, formatTimestamp } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { groupConsecutive, type RecordedChange, snapshotKey, trialPagePath } from '../recorded-change.js';
import { dataTable, selectField, textField } from '../report-table.js';

export interface WatchedTrialChanges {
  nctId: string;
  briefTitle: string | null;
  /** Newest first. */
  changes: RecordedChange[];
}

export interface WatchlistDashboardData {
  watchlist: Watchlist;
  /** How many trials the watchlist watches now. */
  trialCount: number;
  since: string;
  minMateriality: MaterialityTier | undefined;
  trials: WatchedTrialChanges[];
  /** True when the look back stopped at its limit before reaching `since`. */
  truncated: boolean;
  runs: WatchlistRun[];
}

export const watchlistDashboardPath = (id: string): string => `/ui/watchlists/${encodeURIComponent(id)}`;

const RUN_STATUS_LABELS: Record<WatchlistRun['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  partial: 'Partial',
  failed: 'Failed',
  skipped: 'Skipped',
};

const TIER_CHOICES: Record<MaterialityTier, string> = {
  noise: 'Every change',
  low: 'Low or higher',
  medium: 'Medium or higher',
  high: 'High only',
};

const filterForm = (data: WatchlistDashboardData): SafeHtml =>
  html`<form
    class="filters"
    action="${watchlistDashboardPath(data.watchlist.id)}"
    method="get"
    aria-label="Choose the changes"
  >
    ${textField('filter-since', 'since', 'Changed since', data.since, 'date')}
    ${selectField(
      'filter-materiality',
      'minMateriality',
      'How much it matters',
      'Every change',
      MATERIALITY_TIERS.filter((tier) => tier !== 'noise').map((tier) => [tier, TIER_CHOICES[tier]] as const),
      data.minMateriality,
    )}
    <div class="filter-actions"><button type="submit">Show changes</button></div>
  </form>`;

const trialSection = ({ nctId, briefTitle, changes }: WatchedTrialChanges): SafeHtml => {
  const records = groupConsecutive(changes, snapshotKey);
  return html`<li class="change-group" data-nct-id="${nctId}">
    <h3 class="feed-title">
      <a href="${trialPagePath(nctId)}">${nctId}</a
      >${briefTitle ? html` <span class="feed-trial" dir="auto">${briefTitle}</span>` : ''}
    </h3>
    <p class="group-meta">${changes.length} ${changes.length === 1 ? 'change' : 'changes'}</p>
    ${records.map((record) => {
      const first = record[0]!;
      return html`<p class="group-meta">
          ${sourceHeading(first)} · ${recordedAt(first.recordedAt)} ·
          ${sourceLink(first, `of ${nctId}, record of ${formatDay(first.occurredAt)}`)}
        </p>
        <ul class="changes">
          ${[...record].reverse().map(changeItems)}
        </ul>`;
    })}
  </li>`;
};

const runRow = (run: WatchlistRun): SafeHtml =>
  html`<tr data-status="${run.status}">
    <td><span class="run-status">${RUN_STATUS_LABELS[run.status]}</span></td>
    <td>${run.trigger === 'manual' ? 'Manual' : 'Schedule'}</td>
    <td>
      <time datetime="${run.startedAt ?? run.queuedAt}" data-local-time
        >${formatTimestamp(run.startedAt ?? run.queuedAt)}</time
      >
    </td>
    <td>${formatCount(run.studiesFetched)}</td>
    <td>
      ${formatCount(run.appended)} appended, ${formatCount(run.learned)} learned, ${formatCount(run.unchanged)}
      unchanged, ${formatCount(run.stale)} stale, ${formatCount(run.rejected)} rejected
    </td>
    <td>
      ${
        run.errors.length === 0 && run.notes.length === 0
          ? 'none'
          : html`<ul class="run-errors">
              ${run.errors.map(
                (error) =>
                  html`<li class="run-error">
                    <strong>${error.scope}</strong>: ${error.message} <code>${error.code}</code>
                  </li>`,
              )}
              ${run.notes.map((note) => html`<li class="run-note">${note}</li>`)}
            </ul>`
      }
    </td>
  </tr>`;

/** What changed in a watchlist's trials since a day, grouped by trial, with the watchlist's last runs. */
export const watchlistDashboardPage = (data: WatchlistDashboardData): string => {
  const { watchlist, trials, runs } = data;
  const changeCount = trials.reduce((sum, trial) => sum + trial.changes.length, 0);
  return page({
    title: `Watchlist ${watchlist.name}`,
    main: html`<p class="trial-id"><a href="/ui/watchlists">Watchlists</a></p>
      <h1>Watchlist ${watchlist.name}</h1>
      <p class="lede">
        ${formatCount(data.trialCount)} ${data.trialCount === 1 ? 'trial' : 'trials'} watched · last successful sync
        ${watchlist.lastSuccessfulSyncAt ? formatTimestamp(watchlist.lastSuccessfulSyncAt) : 'never'} · schedule
        <code>${watchlist.schedule.cron}</code> (${watchlist.schedule.timeZone})
      </p>
      ${filterForm(data)}
      <h2 id="changes-heading">Changes since ${formatDay(data.since)}</h2>
      <p class="result-count">
        ${formatCount(changeCount)} ${changeCount === 1 ? 'change' : 'changes'} in ${formatCount(trials.length)}
        ${trials.length === 1 ? 'trial' : 'trials'}${data.minMateriality ? `, ${TIER_CHOICES[data.minMateriality].toLowerCase()}` : ''}.
      </p>
      ${
        data.truncated
          ? html`<p class="fine-print">
              Only the most recent changes are shown; choose a later day to see all of them.
            </p>`
          : ''
      }
      ${
        trials.length === 0
          ? html`<p class="empty">No change to these trials since ${formatDay(data.since)} matches.</p>`
          : html`<ol class="feed change-groups" aria-labelledby="changes-heading">
              ${trials.map(trialSection)}
            </ol>`
      }
      <h2 id="runs-heading">Last runs</h2>
      ${
        runs.length === 0
          ? html`<p class="empty">This watchlist has not run yet.</p>`
          : dataTable(
              'watchlist-runs',
              'The watchlist’s last runs, newest first',
              ['Status', 'Trigger', 'Started', 'Studies fetched', 'Snapshots', 'Errors and notes'],
              runs.map(runRow),
            )
      }`,
  });
};

/** Every watchlist, each linking to its dashboard. */
export const watchlistsPage = (watchlists: readonly Watchlist[]): string =>
  page({
    title: 'Watchlists',
    main: html`<h1>Watchlists</h1>
      <p class="lede">Trials re-ingested on a schedule. Open one for what changed in it and how its runs went.</p>
      ${
        watchlists.length === 0
          ? html`<p class="empty">No watchlist yet. Create one with POST /watchlists or trialwatch watch add.</p>`
          : dataTable(
              'watchlists',
              'Watchlists by name',
              ['Watchlist', 'Trials named', 'Schedule', 'Last successful sync'],
              watchlists.map(
                (watchlist) =>
                  html`<tr>
                    <td><a href="${watchlistDashboardPath(watchlist.id)}">${watchlist.name}</a></td>
                    <td>${formatCount(watchlist.nctIds.length)}${watchlist.search ? ' and a search' : ''}</td>
                    <td><code>${watchlist.schedule.cron}</code> (${watchlist.schedule.timeZone})</td>
                    <td>
                      ${watchlist.lastSuccessfulSyncAt ? formatTimestamp(watchlist.lastSuccessfulSyncAt) : 'never'}
                    </td>
                  </tr>`,
              ),
            )
      }`,
  });
