import { fieldLabel } from '@app/domain';
import { formatFieldValue, registryDate, snapshotLink } from '../change-list.js';
import { formatDay, formatListItem, phasesLabel } from '../format.js';
import { html, registryText, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { trialPagePath } from '../recorded-change.js';
import type { ComparedField, RecordComparison, RecordVersion } from './record-versions.js';

export interface CompareVersionsData {
  nctId: string;
  briefTitle: string | null;
  records: readonly RecordVersion[];
  comparison: RecordComparison;
}

const recordName = (record: RecordVersion): string => `record of ${formatDay(record.occurredAt)}`;

const recordOption = (record: RecordVersion, selected: RecordVersion): SafeHtml =>
  html`<option value="${record.version}" ${record.version === selected.version ? html`selected` : ''}>
    Record of ${formatDay(record.occurredAt)} (version ${record.version})
  </option>`;

const pickForm = ({ nctId, records, comparison }: CompareVersionsData): SafeHtml =>
  html`<form class="filters" action="${trialPagePath(nctId)}/compare" method="get" aria-label="Choose the records">
    <div>
      <label for="compare-from">Older record</label>
      <select id="compare-from" name="from">
        ${records.map((record) => recordOption(record, comparison.from))}
      </select>
    </div>
    <div>
      <label for="compare-to">Newer record</label>
      <select id="compare-to" name="to">
        ${records.map((record) => recordOption(record, comparison.to))}
      </select>
    </div>
    <div class="filter-actions"><button type="submit">Compare</button></div>
  </form>`;

/** A list field's items, each one missing from the other side tagged in words. */
const listCell = (items: readonly unknown[], other: readonly unknown[], tag: string | null): SafeHtml => {
  if (items.length === 0) return html`none`;
  const others = new Set(other.map(formatListItem));
  return html`<ul class="cell-list">
    ${items.map((item) => {
      const text = formatListItem(item);
      const tagged = tag && !others.has(text) ? html`<span class="row-tag">${tag}</span> ` : '';
      return html`<li>${tagged}${registryText(text)}</li>`;
    })}
  </ul>`;
};

/** A value no record had shown is unknown; a null one a record showed is none (a complete record left it out). */
const valueCell = (
  field: string,
  value: unknown,
  known: boolean,
  other: unknown,
  tag: string | null,
): SafeHtml | string => {
  if (field === 'phases') return phasesLabel(value as string[] | null);
  if (value === null) return known ? 'none' : 'unknown';
  if (Array.isArray(value)) return listCell(value, Array.isArray(other) ? other : [], tag);
  return registryText(formatFieldValue(field, value));
};

const columnHeads = ({ from, to }: RecordComparison): SafeHtml =>
  html`<thead>
    <tr>
      <th scope="col">Field</th>
      <th scope="col">Record of ${registryDate(from.occurredAt)}</th>
      <th scope="col">Record of ${registryDate(to.occurredAt)}</th>
    </tr>
  </thead>`;

const fieldRow = ({ field, comparison, from, to, fromKnown, toKnown }: ComparedField): SafeHtml =>
  html`<tr data-field="${field}" class="${comparison}">
    <th scope="row">
      ${fieldLabel(field)}
      ${comparison === 'learned' ? html`<span class="row-tag learned-tag">Learned, not a change</span>` : ''}
    </th>
    <td class="${comparison === 'changed' ? 'previous-cell' : ''}">
      ${valueCell(field, from, fromKnown, to, comparison === 'changed' ? 'Removed' : null)}
    </td>
    <td class="${comparison === 'changed' ? 'changed-cell' : ''}">
      ${valueCell(field, to, toKnown, from, comparison === 'changed' ? 'Added' : null)}
    </td>
  </tr>`;

const fieldTable = (
  id: string,
  caption: string,
  fields: readonly ComparedField[],
  comparison: RecordComparison,
): SafeHtml =>
  html`<div class="table-scroll" role="region" aria-labelledby="${id}" tabindex="0">
    <table class="data-table compare-table" id="${id}-table">
      <caption id="${id}">
        ${caption}
      </caption>
      ${columnHeads(comparison)}
      <tbody>
        ${fields.map(fieldRow)}
      </tbody>
    </table>
  </div>`;

/** Two records of a trial side by side: what the registry changed, what trialwatch only learned, the rest folded. */
export const compareVersionsPage = (data: CompareVersionsData): string => {
  const { nctId, briefTitle, comparison } = data;
  const { from, to } = comparison;
  const of = (kind: ComparedField['comparison']) => comparison.fields.filter((field) => field.comparison === kind);
  const [changed, learned, unchanged] = [of('changed'), of('learned'), of('unchanged')];
  const between = `between the ${recordName(from)} and the ${recordName(to)}`;
  return page({
    title: `${nctId}: compare two records`,
    main: html`<p class="trial-id">
        <a href="${trialPagePath(nctId)}">${nctId}</a>${briefTitle ? html` · ${registryText(briefTitle)}` : ''}
      </p>
      <h1>Compare two records of ${nctId}</h1>
      <p class="lede">
        The trial as trialwatch knew it after each record, field by field. Learned values are facts an earlier snapshot
        did not show; the registry did not change them.
      </p>
      ${pickForm(data)}
      <ul class="links snapshot-links">
        <li>
          ${snapshotLink(from.contentSha256, `of the ${recordName(from)}`)} of the ${recordName(from)} (version
          ${from.version})
        </li>
        <li>
          ${snapshotLink(to.contentSha256, `of the ${recordName(to)}`)} of the ${recordName(to)} (version ${to.version})
        </li>
      </ul>
      <p class="result-count">
        ${changed.length} ${changed.length === 1 ? 'field' : 'fields'} changed, ${learned.length} learned,
        ${unchanged.length} unchanged.
      </p>
      <section aria-labelledby="changed-heading">
        <h2 id="changed-heading">Changed by the registry</h2>
        ${
          from.version === to.version
            ? html`<p class="empty">Both sides are the same record; choose two different records above.</p>`
            : changed.length === 0
              ? html`<p class="empty">The registry changed no field ${between}.</p>`
              : fieldTable('changed-caption', `Fields the registry changed ${between}`, changed, comparison)
        }
      </section>
      ${
        learned.length > 0
          ? html`<section aria-labelledby="learned-heading">
              <h2 id="learned-heading">Learned, not changes</h2>
              ${fieldTable('learned-caption', `Fields trialwatch learned ${between}`, learned, comparison)}
            </section>`
          : ''
      }
      <section aria-labelledby="unchanged-heading">
        <h2 id="unchanged-heading">Unchanged</h2>
        <details class="unchanged-fields">
          <summary>Show the ${unchanged.length} unchanged fields</summary>
          ${fieldTable('unchanged-caption', `Fields the same in both records`, unchanged, comparison)}
        </details>
      </section>`,
  });
};
