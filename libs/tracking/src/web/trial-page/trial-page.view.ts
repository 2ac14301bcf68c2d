import {
  type BaselineEntry,
  type FactField,
  fieldLabel,
  isKnown,
  type Official,
  type Reference,
  type ResultsDue,
} from '@app/domain';
import type { TrialBaseline, TrialSignalsView, TrialView, StatusHistory } from '../../read-models/index.js';
import {
  changeItems,
  formatFieldValue,
  isCheckFinding,
  recordedAt,
  registryDate,
  sourceHeading,
  sourceLink,
} from '../change-list.js';
import { dateSlipChart, PLANNED_DATE_FIELDS } from '../charts/date-slips.js';
import { enrollmentChart } from '../charts/enrollment.js';
import { timeDomainOf, type TimeDomain } from '../charts/scale.js';
import { statusBadge, statusPeriodsTable, statusTimeline } from '../charts/status-timeline.js';
import {
  enumLabel,
  formatDateStruct,
  formatDay,
  formatEnrollment,
  formatOfficialRole,
  formatPartialDate,
  formatReferenceType,
  phasesLabel,
} from '../format.js';
import { html, type Interpolation, joinHtml, registryText, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { comparePath, groupConsecutive, type RecordedChange, snapshotKey } from '../recorded-change.js';
import {
  daysOverdueNote,
  HYGIENE_PAGE,
  hygieneFlagItem,
  reportedNotes,
  RESULTS_DUE_PAGE,
  resultsDueStateLabel,
} from '../signals.js';

export interface TrialPageData {
  trial: TrialView;
  statusHistory: StatusHistory;
  baseline: TrialBaseline;
  /** Today's signals: results due and the registry-hygiene flags holding. */
  signals: TrialSignalsView;
  /** The trial's events in stream order. */
  changes: readonly RecordedChange[];
  now: Date;
}

const fact = (label: string, value: Interpolation): SafeHtml =>
  html`<div>
    <dt>${label}</dt>
    <dd>${value}</dd>
  </div>`;

/** The trial's name as the registry gives it: its brief title, else its official one. */
const titleOf = ({ state }: TrialView): string | null => state.briefTitle ?? state.officialTitle;

const header = ({ trial, changes }: TrialPageData): SafeHtml => {
  const { state } = trial;
  const title = titleOf(trial) ?? trial.nctId;
  const firstSeen = changes[0]?.occurredAt ?? trial.registeredAt;
  // A field a record has shown without a value is none (a complete record stated it so); one no record showed, unknown.
  const noValue = (field: FactField) => (isKnown(state, field) ? 'none' : 'unknown');
  return html`<p class="trial-id">${trial.nctId}${state.acronym ? html` · ${registryText(state.acronym)}` : ''}</p>
    <h1 dir="auto">${title}</h1>
    ${state.officialTitle && state.officialTitle !== title ? html`<p class="lede" dir="auto">${state.officialTitle}</p>` : ''}
    <dl class="facts">
      ${fact('Sponsor', state.leadSponsor ? registryText(state.leadSponsor.name) : noValue('leadSponsor'))}
      ${fact('Current status', statusBadge(state.overallStatus))} ${fact('Phase', phasesLabel(state.phases))}
      ${fact('Enrollment', state.enrollment ? formatEnrollment(state.enrollment) : noValue('enrollment'))}
      ${fact('Study type', state.studyType ? enumLabel(state.studyType) : noValue('studyType'))}
      ${fact(
        'Conditions',
        state.conditions && state.conditions.length > 0
          ? joinHtml(state.conditions.map(registryText), '; ')
          : noValue('conditions'),
      )}
      ${fact(
        'Primary completion',
        state.primaryCompletionDate ? formatDateStruct(state.primaryCompletionDate) : noValue('primaryCompletionDate'),
      )}
      ${fact(
        'Tracked',
        `${changes.length} ${changes.length === 1 ? 'event' : 'events'} since the record of ${formatDay(firstSeen)}`,
      )}
    </dl>
    <ul class="links">
      <li><a href="/ui/trials/${trial.nctId}/events">Events as JSON</a></li>
      <li><a href="/ui/trials/${trial.nctId}/changes.atom">Atom feed of changes</a></li>
      <li>
        <a href="https://clinicaltrials.gov/study/${trial.nctId}" rel="noopener noreferrer"
          >Record on ClinicalTrials.gov</a
        >
      </li>
    </ul>`;
};

/** The results-due state in the report's words, with the due date, days overdue and when results were submitted and posted. */
const resultsDueValue = (resultsDue: ResultsDue | null): SafeHtml =>
  resultsDue === null
    ? html`Does not look like an applicable clinical trial under FDAAA 801`
    : html`<strong data-state="${resultsDue.state}">${resultsDueStateLabel(resultsDue.state)}</strong>
        <span class="cell-note">due ${formatPartialDate(resultsDue.dueDate)}</span>
        ${daysOverdueNote(resultsDue.daysOverdue)} ${reportedNotes(resultsDue)}`;

const signalsSection = ({ signals }: TrialPageData): SafeHtml =>
  html`<section id="signals" aria-labelledby="signals-heading">
    <h2 id="signals-heading">Signals</h2>
    <p class="section-note">
      On ${formatPartialDate(signals.on)}, by the reports' rules: results due under FDAAA 801 (approximated from the
      record, which shows no certification of delay or extension) and the registry-hygiene flags holding.
    </p>
    <dl class="facts">
      ${fact('Results due', resultsDueValue(signals.resultsDue))}
      ${fact(
        'Hygiene flags',
        signals.hygieneFlags.length === 0
          ? 'none'
          : html`<ul class="cell-list">
              ${signals.hygieneFlags.map(hygieneFlagItem)}
            </ul>`,
      )}
    </dl>
    <ul class="links">
      <li><a href="${RESULTS_DUE_PAGE}">Results due report</a></li>
      <li><a href="${HYGIENE_PAGE}">Registry hygiene report</a></li>
    </ul>
  </section>`;

const baselineRow = (entry: BaselineEntry): SafeHtml => {
  const changed = entry.changes > 0;
  // Once a record has shown the field, a null is what it stated (none), not something trialwatch has not seen.
  const value = (of: BaselineEntry['first']) =>
    of === null && entry.firstKnownAt ? 'none' : formatFieldValue(entry.field, of);
  return html`<tr class="${changed ? 'moved' : 'kept'}">
    <th scope="row">${fieldLabel(entry.field)}</th>
    <td>
      ${registryText(value(entry.first))}
      ${entry.firstKnownAt ? html`<span class="cell-note">known since ${registryDate(entry.firstKnownAt)}</span>` : ''}
    </td>
    <td>${registryText(value(entry.current))}</td>
    <td>
      ${
        changed
          ? html`${entry.changes}
            ${entry.changes === 1 ? 'change' : 'changes'}${
              entry.lastChangedAt ? html`, last ${registryDate(entry.lastChangedAt)}` : ''
            }`
          : 'unchanged'
      }
    </td>
  </tr>`;
};

const baselineSection = ({ baseline }: TrialPageData): SafeHtml =>
  html`<section aria-labelledby="baseline-heading">
    <h2 id="baseline-heading">First registered versus current</h2>
    <p class="section-note">
      The value trialwatch first knew for each field that shows how far the trial moved from its plan, the value now,
      and how many registry changes came in between (facts only learned are not counted).
    </p>
    ${
      baseline.fields.length === 0
        ? html`<p class="empty">No baseline fields are known for this trial yet.</p>`
        : html`<div class="table-scroll" role="region" aria-labelledby="baseline-caption" tabindex="0">
            <table class="data-table baseline">
              <caption id="baseline-caption">
                First known and current values
              </caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">First known</th>
                  <th scope="col">Current</th>
                  <th scope="col">Registry changes since</th>
                </tr>
              </thead>
              <tbody>
                ${baseline.fields.map(baselineRow)}
              </tbody>
            </table>
          </div>`
    }
  </section>`;

const timelineSection = ({ statusHistory }: TrialPageData, domain: TimeDomain): SafeHtml =>
  html`<section aria-labelledby="timeline-heading">
    <h2 id="timeline-heading">Status timeline</h2>
    <p class="section-note">
      Each band is one overall status, from the registry record that set it to the one that replaced it.
    </p>
    ${statusTimeline(statusHistory.periods, domain, 'status-timeline')}
    ${statusHistory.periods.length > 0 ? statusPeriodsTable(statusHistory.periods) : ''}
  </section>`;

const datesSection = ({ changes }: TrialPageData, domain: TimeDomain): SafeHtml =>
  html`<section aria-labelledby="dates-heading">
    <h2 id="dates-heading">Date slips</h2>
    <p class="section-note">
      Each chart follows a planned date (up the side) as successive registry records gave it (along the bottom); a step
      up is a slip.
    </p>
    ${PLANNED_DATE_FIELDS.map((field) => dateSlipChart(changes, field, domain))}
  </section>`;

const enrollmentSection = ({ changes }: TrialPageData, domain: TimeDomain): SafeHtml =>
  html`<section aria-labelledby="enrollment-heading">
    <h2 id="enrollment-heading">Enrollment over time</h2>
    ${enrollmentChart(changes, domain)}
  </section>`;

/**
 * Why a list is empty, in words: the record stated none, or no record trialwatch read showed the field
 * (a registry page that leaves it out, or records read before trialwatch read it).
 */
const noItems = (trial: TrialView, field: FactField, none: string, what: string): SafeHtml =>
  isKnown(trial.state, field)
    ? html`<p class="empty">${none}</p>`
    : html`<p class="empty">
        Not known: no record trialwatch read of this trial showed its ${what} (a registry page that leaves them out, or
        records read before trialwatch read ${what}). The next complete record will show them.
      </p>`;

const NOT_GIVEN = 'not given';

const officialRow = ({ name, affiliation, role }: Official): SafeHtml =>
  html`<tr>
    <th scope="row">${registryText(name)}</th>
    <td>${role ? formatOfficialRole(role) : NOT_GIVEN}</td>
    <td>${affiliation ? registryText(affiliation) : NOT_GIVEN}</td>
  </tr>`;

const officialsSection = ({ trial }: TrialPageData): SafeHtml => {
  const officials = trial.state.overallOfficials ?? [];
  return html`<section id="officials" aria-labelledby="officials-heading">
    <h2 id="officials-heading">Investigators</h2>
    ${
      officials.length === 0
        ? noItems(trial, 'overallOfficials', 'The registry record names no investigators.', 'investigators')
        : html`<div class="table-scroll" role="region" aria-labelledby="officials-caption" tabindex="0">
            <table class="data-table officials">
              <caption id="officials-caption">
                Investigators the record names
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Affiliation</th>
                </tr>
              </thead>
              <tbody>
                ${officials.map(officialRow)}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
};

/** A PubMed ID is digits; anything else a record holds there is shown, never made a link. */
const PMID = /^\d+$/;

const publication = ({ pmid, type, citation }: Reference): SafeHtml =>
  html`<li class="publication">
    <span class="publication-type">${type ? formatReferenceType(type) : 'Type not given'}</span>
    <p class="citation" dir="auto">${citation}</p>
    ${
      pmid && PMID.test(pmid)
        ? html`<a class="pubmed-link" href="https://pubmed.ncbi.nlm.nih.gov/${pmid}/" rel="noopener noreferrer"
            >PubMed ID ${pmid}</a
          >`
        : ''
    }
  </li>`;

const publicationsSection = ({ trial }: TrialPageData): SafeHtml => {
  const references = trial.state.references ?? [];
  // Results first; the others as the record lists them.
  const ordered = [
    ...references.filter((reference) => reference.type === 'RESULT'),
    ...references.filter((reference) => reference.type !== 'RESULT'),
  ];
  return html`<section id="publications" aria-labelledby="publications-heading">
    <h2 id="publications-heading">Publications</h2>
    ${
      ordered.length === 0
        ? noItems(trial, 'references', 'The registry record cites no publications.', 'publications')
        : html`<p class="section-note">
              The publications the record cites, those reporting the trial's results first, each linked to PubMed when
              the record gives its PubMed ID.
            </p>
            <ol class="publications">
              ${ordered.map(publication)}
            </ol>`
    }
  </section>`;
};

/** The record a group of changes brought is the stream version of its last event. */
const versionOf = (group: readonly RecordedChange[]): number => group.at(-1)!.streamVersion;

/** Each record compares with the one before it; the first record with the current one. */
const compareLink = (
  nctId: string,
  group: readonly RecordedChange[],
  previous: readonly RecordedChange[] | undefined,
  latest: readonly RecordedChange[],
): SafeHtml | '' => {
  const context = `the record of ${formatDay(group[0]!.occurredAt)}`;
  if (previous) {
    return html`<a class="compare-link" href="${comparePath(nctId, versionOf(previous), versionOf(group))}"
      >Compare with the previous record<span class="visually-hidden"> (${context})</span></a
    >`;
  }
  if (latest === group) return '';
  return html`<a class="compare-link" href="${comparePath(nctId, versionOf(group), versionOf(latest))}"
    >Compare with the current record<span class="visually-hidden"> (${context})</span></a
  >`;
};

const changeGroup = (
  nctId: string,
  group: readonly RecordedChange[],
  previous: readonly RecordedChange[] | undefined,
  latest: readonly RecordedChange[],
): SafeHtml => {
  const first = group[0]!;
  const context = `of the record of ${formatDay(first.occurredAt)}`;
  return html`<li class="change-group" id="change-${first.eventId}">
    <h3>${sourceHeading(first)}${previous || isCheckFinding(first) ? '' : ' (first seen)'}</h3>
    <p class="group-meta">
      ${recordedAt(first.recordedAt)} · ${sourceLink(first, context)} ${compareLink(nctId, group, previous, latest)}
    </p>
    <ul class="changes">
      ${group.map(changeItems)}
    </ul>
  </li>`;
};

const changesSection = ({ trial, changes }: TrialPageData): SafeHtml => {
  const oldestFirst = groupConsecutive(changes, snapshotKey);
  const records = oldestFirst.filter((group) => !isCheckFinding(group[0]!));
  const latest = records.at(-1) ?? [];
  const groups = oldestFirst.map((group) => {
    if (isCheckFinding(group[0]!)) return changeGroup(trial.nctId, group, undefined, group);
    const previous = records[records.indexOf(group) - 1];
    return changeGroup(trial.nctId, group, previous, latest);
  });
  return html`<section aria-labelledby="changes-heading">
    <h2 id="changes-heading">Changes</h2>
    <p class="section-note">
      Newest first, grouped by the registry record that carried them, each with the raw snapshot it came from and how
      much it matters (high, medium, low or noise, with the reason).
    </p>
    <ol class="change-groups">
      ${groups.reverse()}
    </ol>
  </section>`;
};

/**
 * A trial at a glance: its header, today's signals, status timeline, date slips and enrollment on one time axis, its investigators
 * and publications, and its changes.
 */
export const trialPage = (data: TrialPageData): string => {
  const times = [
    ...data.changes.map((change) => Date.parse(change.occurredAt)),
    ...data.statusHistory.periods.map((period) => Date.parse(period.from)),
  ];
  const domain = timeDomainOf(times, data.now.getTime());
  const title = titleOf(data.trial);
  return page({
    title: title ? `${data.trial.nctId}: ${title}` : data.trial.nctId,
    main: html`${header(data)} ${signalsSection(data)} ${baselineSection(data)} ${timelineSection(data, domain)}
    ${datesSection(data, domain)} ${enrollmentSection(data, domain)} ${officialsSection(data)}
    ${publicationsSection(data)} ${changesSection(data)}`,
  });
};
