import {
  addedWhereNone,
  type DateStruct,
  type Design,
  type Eligibility,
  describeValue,
  type FieldChange,
  fieldChangesOf,
  fieldLabel,
  holdsRegistryCode,
  isSignalEvent,
  ITEM_LIST_FIELDS,
  removedByRegistry,
  type Sponsor,
  statusChangeNotes,
} from '@app/domain';
import {
  enumLabel,
  formatDateStruct,
  formatDay,
  formatDesign,
  formatEligibility,
  formatEnrollment,
  formatListItem,
  formatMaybePartialDate,
  formatSponsor,
  formatTimestamp,
  hygieneFlagLabel,
  phasesLabel,
  statusLabel,
} from './format.js';
import { html, joinHtml, registryText, type SafeHtml } from './html.js';
import { type ChangeMateriality, type RecordedChange, snapshotPath } from './recorded-change.js';

/** Fields whose change lists what was removed (`from`) and added (`to`). */
const LIST_FIELDS: ReadonlySet<string> = new Set(ITEM_LIST_FIELDS);

/** Values longer than this are shown whole, one under the other, behind a disclosure. */
const LONG_TEXT = 160;

const isDateStruct = (value: object): value is DateStruct =>
  'date' in value && typeof (value as DateStruct).date === 'string';

/** A field's value as a person reads it: `Dec 2017 (estimated)`, `Active, not recruiting`, `1000 (estimated)`. */
export const formatFieldValue = (field: string, value: unknown): string => {
  if (value === null || value === undefined) return 'unknown';
  if (typeof value === 'string') {
    if (holdsRegistryCode(field)) return enumLabel(value);
    return field.endsWith('Date') || field.endsWith('SubmitDate') ? formatMaybePartialDate(value) : value;
  }
  if (field === 'phases') return phasesLabel(value as string[]);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(formatListItem).join('; ');
  if (typeof value === 'object') {
    if (isDateStruct(value)) return formatDateStruct(value);
    if ('count' in value) return formatEnrollment(value as { count: number | null; type: DateStruct['type'] });
    if (field === 'design') return formatDesign(value as Design);
    if (field === 'eligibility') return formatEligibility(value as Eligibility);
    if (field === 'leadSponsor') return formatSponsor(value as Sponsor);
  }
  return describeValue(value);
};

const beforeAfter = (from: string, to: string): SafeHtml => {
  if (from.length > LONG_TEXT || to.length > LONG_TEXT) {
    return html`<details class="long-change">
      <summary>Text changed (${from.length} → ${to.length} characters)</summary>
      <div class="long-text before">
        <p class="long-label">Before</p>
        <span class="long-value" dir="auto">${from}</span>
      </div>
      <div class="long-text after">
        <p class="long-label">After</p>
        <span class="long-value" dir="auto">${to}</span>
      </div>
    </details>`;
  }
  return html`<span class="change-values"
    ><span class="before"><span class="visually-hidden">from </span>${registryText(from)}</span>
    <span class="arrow" aria-hidden="true">→</span>
    <span class="after"><span class="visually-hidden">to </span>${registryText(to)}</span></span
  >`;
};

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const formatLearnedValue = (field: string, value: unknown): string =>
  value === null || (Array.isArray(value) && value.length === 0) ? 'none' : formatFieldValue(field, value);

/** Removed then added items, each tagged in words, so outcome switching (a measure removed, another added) reads as a diff. */
export const listDiff = (removed: readonly unknown[], added: readonly unknown[]): SafeHtml =>
  html`<ul class="diff">
    ${removed.map(
      (item) =>
        html`<li class="diff-removed"><span class="diff-tag">Removed</span> ${registryText(formatListItem(item))}</li>`,
    )}${added.map(
      (item) =>
        html`<li class="diff-added"><span class="diff-tag">Added</span> ${registryText(formatListItem(item))}</li>`,
    )}
  </ul>`;

const siteStatusChanges = (from: unknown, to: unknown): SafeHtml => {
  const before = asList(from) as { status?: string | null }[];
  const after = asList(to) as { status?: string | null }[];
  return html`<ul class="site-changes">
    ${after.map((site, index) => {
      const name = describeValue({ ...site, status: null });
      return html`<li>
        ${registryText(name)}: ${beforeAfter(statusLabel(before[index]?.status), statusLabel(site.status))}
      </li>`;
    })}
  </ul>`;
};

const TIER_LABELS: Record<ChangeMateriality['tier'], string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  noise: 'Noise',
};

/** The grade of a change in words (the tier's colour only repeats it), with the reason the rule gave. */
export const materialityBadge = (materiality: ChangeMateriality | null): SafeHtml | '' =>
  materiality
    ? html`<span class="materiality" data-tier="${materiality.tier}"
        ><span class="tier-badge tier-${materiality.tier}"
          >${TIER_LABELS[materiality.tier]}<span class="visually-hidden"> materiality</span></span
        >
        <span class="materiality-reason">${materiality.reason}</span></span
      >`
    : '';

const fieldChangeItem = (
  { field, from, to, learned }: FieldChange,
  badge: SafeHtml | '',
  notes: readonly { label: string; value: string }[] = [],
): SafeHtml => {
  if (learned) {
    return html`<li class="change learned" data-field="${field}">
      <span class="change-field">${fieldLabel(field)}</span>
      <span class="change-values" dir="auto">${formatLearnedValue(field, to)}</span>
      <span class="learned-tag" title="An earlier snapshot did not show this field; the registry did not change it"
        >Learned, not a change</span
      >
    </li>`;
  }
  let body: SafeHtml;
  if (LIST_FIELDS.has(field)) body = listDiff(asList(from), asList(to));
  else if (field === 'locations.status') body = siteStatusChanges(from, to);
  else if (field === 'phases')
    body = beforeAfter(phasesLabel(from as string[] | null), phasesLabel(to as string[] | null));
  else {
    body = beforeAfter(
      addedWhereNone(field, from) ? 'none' : formatFieldValue(field, from),
      removedByRegistry(field, to) ? 'none' : formatFieldValue(field, to),
    );
  }
  const noted = notes.length
    ? html` <span class="change-note"
        >(${joinHtml(
          notes.map(({ label, value }) => html`${label}: ${registryText(value)}`),
          '; ',
        )})</span
      >`
    : '';
  return html`<li class="change" data-field="${field}">
    <span class="change-field">${fieldLabel(field)}</span> ${body}${noted} ${badge}
  </li>`;
};

/** The list items for one event: one per field it changed, or what the first snapshot said. */
export const changeItems = (change: RecordedChange): SafeHtml => {
  const { event } = change;
  const badge = materialityBadge(change.materiality);
  if (event.type === 'trial.registered') {
    const facts = event.data.facts;
    const known = [
      ['Status', facts.overallStatus ? statusLabel(facts.overallStatus) : null],
      ['Phase', facts.phases ? phasesLabel(facts.phases) : null],
      ['Enrollment', facts.enrollment ? formatEnrollment(facts.enrollment) : null],
      ['Start', facts.startDate ? formatDateStruct(facts.startDate) : null],
      ['Primary completion', facts.primaryCompletionDate ? formatDateStruct(facts.primaryCompletionDate) : null],
      ['Completion', facts.completionDate ? formatDateStruct(facts.completionDate) : null],
    ].filter((entry): entry is [string, string] => entry[1] !== null);
    return html`<li class="change" data-field="registered">
      <span class="change-field">First seen</span>
      <span class="change-values"
        >${joinHtml(
          known.map(([label, value]) => `${label}: ${value}`),
          '; ',
        )}</span
      >
    </li>`;
  }
  if (event.type === 'trial.results-posted') {
    const posted = event.data.firstPostDate;
    return html`<li class="change" data-field="hasResults">
      <span class="change-field">Results</span>
      <span class="change-values">posted${posted ? html` (first posted ${formatDateStruct(posted)})` : ''}</span>
      ${badge}
    </li>`;
  }
  if (event.type === 'trial.results-overdue') {
    const completion = event.data.primaryCompletionDate;
    return html`<li class="change check" data-field="resultsOverdue">
      <span class="change-field">Results overdue</span>
      <span class="change-values"
        >due
        ${formatMaybePartialDate(event.data.dueDate)}${
          completion ? html` (primary completion ${formatDateStruct(completion)})` : ''
        },
        none posted</span
      >
      ${badge}
    </li>`;
  }
  if (event.type === 'trial.hygiene-flag-raised' || event.type === 'trial.hygiene-flag-cleared') {
    const { flag } = event.data;
    const since = event.type === 'trial.hygiene-flag-raised' ? event.data.since : null;
    return html`<li class="change check" data-field="hygiene" data-flag="${flag}">
      <span class="change-field"
        >${event.type === 'trial.hygiene-flag-raised' ? 'Hygiene flag raised' : 'Hygiene flag cleared'}</span
      >
      <span class="change-values"
        >${hygieneFlagLabel(flag)}${since ? html` (since ${formatMaybePartialDate(since)})` : ''}</span
      >
      ${badge}
    </li>`;
  }
  const notes = event.type === 'trial.overall-status-changed' ? statusChangeNotes(event.data) : [];
  return html`${fieldChangesOf(event).map((fieldChange) => fieldChangeItem(fieldChange, badge, notes))}`;
};

/** A link to the raw snapshot a change came from, saying which in words for screen readers. */
export const snapshotLink = (sha256: string | null, context: string): SafeHtml =>
  sha256
    ? html`<a class="snapshot-link" href="${snapshotPath(sha256)}"
          >Raw snapshot<span class="visually-hidden"> ${context}</span></a
        >
        <code class="sha" title="SHA-256 ${sha256}">${sha256.slice(0, 12)}</code>`
    : html`<span class="no-snapshot">No snapshot recorded</span>`;

/** `Recorded 15 Jan 2026, 10:00 UTC`, shown in the reader's time zone where the script runs. */
export const recordedAt = (iso: string): SafeHtml =>
  html`Recorded <time datetime="${iso}" data-local-time>${formatTimestamp(iso)}</time>`;

export const registryDate = (iso: string): SafeHtml =>
  html`<time datetime="${iso.slice(0, 10)}">${formatDay(iso)}</time>`;

/** Whether a change is a finding of trialwatch's daily check (results overdue, a hygiene flag), which no registry record carried. */
export const isCheckFinding = (change: RecordedChange): boolean => isSignalEvent(change.event.type);

/** What a group of changes came from: `Record of 16 Jun 2017`, or `Daily check finding of 16 Mar 2025`. */
export const sourceHeading = (change: RecordedChange): SafeHtml =>
  isCheckFinding(change)
    ? html`Daily check finding of ${registryDate(change.occurredAt)}`
    : html`Record of ${registryDate(change.occurredAt)}`;

/** The raw snapshot a group of changes came from; a daily check's finding says that it has none by nature. */
export const sourceLink = (change: RecordedChange, context: string): SafeHtml =>
  isCheckFinding(change)
    ? html`<span class="no-snapshot">Found by trialwatch's daily check, not in a registry record</span>`
    : snapshotLink(change.contentSha256, context);
