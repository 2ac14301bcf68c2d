import type { HygieneFlag, ResultsDue, ResultsDueState } from '@app/domain';
import { formatCount, formatPartialDate, hygieneFlagLabel } from './format.js';
import { html, type SafeHtml } from './html.js';
import { trialPagePath } from './recorded-change.js';

/*
 * A trial's signals in the words of the reports, so the reports and the trial page say them alike.
 */

export const RESULTS_DUE_PAGE = '/ui/reports/results-due';
export const HYGIENE_PAGE = '/ui/reports/hygiene';

export const resultsDueStateLabel = (state: ResultsDueState): string =>
  ({
    'not-due': 'Not due yet',
    'due-within-30-days': 'Due within 30 days',
    overdue: 'Overdue',
    'reported-on-time': 'Reported on time',
    'reported-late': 'Reported late',
  })[state];

/** `46 days overdue`, or nothing when the results are not overdue. */
export const daysOverdueNote = (daysOverdue: number | null): SafeHtml | '' =>
  daysOverdue !== null
    ? html`<span class="cell-note">${formatCount(daysOverdue)} ${daysOverdue === 1 ? 'day' : 'days'} overdue</span>`
    : '';

/**
 * When results were submitted and posted: results count as reported the day they were submitted (else
 * posted); a day after the one asked about is said to be later.
 */
export const reportedNotes = ({
  state,
  submittedOn,
  reportedOn,
}: Pick<ResultsDue, 'state' | 'submittedOn' | 'reportedOn'>): SafeHtml => {
  const reported = state === 'reported-on-time' || state === 'reported-late';
  const submitted =
    submittedOn === null
      ? ''
      : reported
        ? html`<span class="cell-note"
            >submitted
            ${formatPartialDate(submittedOn)}${reportedOn === null ? ", awaiting the registry's review" : ''}</span
          >`
        : html`<span class="cell-note">submitted later, on ${formatPartialDate(submittedOn)}</span>`;
  const posted =
    reportedOn === null
      ? ''
      : reported
        ? html`<span class="cell-note"
            >${submittedOn === null ? 'reported' : 'posted'} ${formatPartialDate(reportedOn)}</span
          >`
        : html`<span class="cell-note">first posted later, on ${formatPartialDate(reportedOn)}</span>`;
  return html`${submitted} ${posted}`;
};

/** A hygiene flag holding, with the day it started (a merge: the trial it went into). */
export const hygieneFlagItem = ({
  flag,
  since,
  mergedInto,
}: {
  flag: HygieneFlag;
  since: string | null;
  mergedInto?: string | null;
}): SafeHtml =>
  html`<li data-flag="${flag}">
    ${hygieneFlagLabel(flag)}${since ? html` <span class="cell-note">since ${formatPartialDate(since)}</span>` : ''}
    ${mergedInto ? html` <span class="cell-note">into <a href="${trialPagePath(mergedInto)}">${mergedInto}</a></span>` : ''}
  </li>`;
