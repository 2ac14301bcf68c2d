import { html, type Interpolation, type SafeHtml } from './html.js';
import { queryOf } from '../shared/query-string.js';
import { trialPagePath } from './recorded-change.js';

/** A trial's NCT ID linking to its page, with its title under it. */
export const trialCell = (nctId: string, briefTitle: string | null): SafeHtml =>
  html`<a href="${trialPagePath(nctId)}">${nctId}</a
    >${briefTitle ? html`<span class="cell-note" dir="auto">${briefTitle}</span>` : ''}`;

/**
 * A table in a region that scrolls sideways on a narrow screen (so the page itself never does),
 * named by its caption and reachable with the keyboard to scroll.
 */
export const dataTable = (id: string, caption: Interpolation, head: readonly string[], rows: Interpolation): SafeHtml =>
  html`<div class="table-scroll" role="region" aria-labelledby="${id}-caption" tabindex="0">
    <table class="data-table" id="${id}">
      <caption id="${id}-caption">
        ${caption}
      </caption>
      <thead>
        <tr>
          ${head.map((label) => html`<th scope="col">${label}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;

/** "Next page" with the same filters, and "First page" once past it. */
export const pager = (
  path: string,
  filters: Readonly<Record<string, string | number | undefined>>,
  nextCursor: string | null,
  onLaterPage: boolean,
): SafeHtml | '' =>
  nextCursor || onLaterPage
    ? html`<nav class="pager" aria-label="Pages">
        ${onLaterPage ? html`<a href="${path}${queryOf(filters)}">First page</a>` : ''}
        ${nextCursor ? html`<a href="${path}${queryOf({ ...filters, cursor: nextCursor })}" rel="next">Next page</a>` : ''}
      </nav>`
    : '';

/** A select whose first option means "any"; the chosen value selected. */
export const selectField = (
  id: string,
  name: string,
  label: string,
  anyLabel: string,
  options: readonly (readonly [value: string, label: string])[],
  chosen: string | undefined,
): SafeHtml =>
  html`<div>
    <label for="${id}">${label}</label>
    <select id="${id}" name="${name}">
      <option value="">${anyLabel}</option>
      ${options.map(
        ([value, text]) => html`<option value="${value}" ${value === chosen ? html`selected` : ''}>${text}</option>`,
      )}
    </select>
  </div>`;

export const textField = (
  id: string,
  name: string,
  label: string,
  value: string | undefined,
  type: 'text' | 'date' | 'search' = 'text',
): SafeHtml =>
  html`<div>
    <label for="${id}">${label}</label>
    <input id="${id}" name="${name}" type="${type}" value="${value ?? ''}" maxlength="200" />
  </div>`;
