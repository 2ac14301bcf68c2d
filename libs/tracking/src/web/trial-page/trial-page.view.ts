import type { TrialView, StatusHistory } from '../../read-models/index.js';
import { changeItems, recordedAt, registryDate, snapshotLink } from '../change-list.js';
import { dateSlipChart, PLANNED_DATE_FIELDS } from '../charts/date-slips.js';
import { enrollmentChart } from '../charts/enrollment.js';
import { timeDomainOf, type TimeDomain } from '../charts/scale.js';
import { statusBadge, statusPeriodsTable, statusTimeline } from '../charts/status-timeline.js';
import { enumLabel, formatDateStruct, formatDay, formatEnrollment, phasesLabel } from '../format.js';
import { html, type Interpolation, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { groupConsecutive, type RecordedChange, snapshotKey } from '../recorded-change.js';

export interface TrialPageData {
  trial: TrialView;
  statusHistory: StatusHistory;
  /** The trial's events in stream order. */
  changes: readonly RecordedChange[];
  now: Date;
}

const fact = (label: string, value: Interpolation): SafeHtml =>
  html`<div>
    <dt>${label}</dt>
    <dd>${value}</dd>
  </div>`;

const header = ({ trial, changes }: TrialPageData): SafeHtml => {
  const { state } = trial;
  const title = state.briefTitle ?? state.officialTitle ?? trial.nctId;
  const firstSeen = changes[0]?.occurredAt ?? trial.registeredAt;
  return html`<p class="trial-id">${trial.nctId}${state.acronym ? ` · ${state.acronym}` : ''}</p>
    <h1>${title}</h1>
    ${state.officialTitle && state.officialTitle !== title ? html`<p class="lede">${state.officialTitle}</p>` : ''}
    <dl class="facts">
      ${fact('Sponsor', state.leadSponsor?.name ?? 'unknown')}
      ${fact('Current status', statusBadge(state.overallStatus))} ${fact('Phase', phasesLabel(state.phases))}
      ${fact('Enrollment', formatEnrollment(state.enrollment))}
      ${fact('Study type', state.studyType ? enumLabel(state.studyType) : 'unknown')}
      ${fact('Conditions', state.conditions && state.conditions.length > 0 ? state.conditions.join('; ') : 'unknown')}
      ${fact('Primary completion', formatDateStruct(state.primaryCompletionDate))}
      ${fact(
        'Tracked',
        `${changes.length} ${changes.length === 1 ? 'event' : 'events'} since the record of ${formatDay(firstSeen)}`,
      )}
    </dl>
    <ul class="links">
      <li><a href="/trials/${trial.nctId}/events">Events as JSON</a></li>
      <li><a href="/trials/${trial.nctId}/changes.atom">Atom feed of changes</a></li>
      <li>
        <a href="https://clinicaltrials.gov/study/${trial.nctId}" rel="noopener noreferrer"
          >Record on ClinicalTrials.gov</a
        >
      </li>
    </ul>`;
};

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

const changeGroup = (group: readonly RecordedChange[], isFirstRecord: boolean): SafeHtml => {
  const first = group[0]!;
  const context = `of the record of ${formatDay(first.occurredAt)}`;
  return html`<li class="change-group" id="change-${first.eventId}">
    <h3>Record of ${registryDate(first.occurredAt)}${isFirstRecord ? ' (first seen)' : ''}</h3>
    <p class="group-meta">${recordedAt(first.recordedAt)} · ${snapshotLink(first.contentSha256, context)}</p>
    <ul class="changes">
      ${group.map(changeItems)}
    </ul>
  </li>`;
};

const changesSection = ({ changes }: TrialPageData): SafeHtml => {
  const groups = groupConsecutive(changes, snapshotKey).reverse();
  return html`<section aria-labelledby="changes-heading">
    <h2 id="changes-heading">Changes</h2>
    <p class="section-note">
      Newest first, grouped by the registry record that carried them, each with the raw snapshot it came from.
    </p>
    <ol class="change-groups">
      ${groups.map((group, index) => changeGroup(group, index === groups.length - 1))}
    </ol>
  </section>`;
};

/** A trial at a glance: its header, status timeline, date slips, enrollment and changes, on one time axis. */
export const trialPage = (data: TrialPageData): string => {
  const times = [
    ...data.changes.map((change) => Date.parse(change.occurredAt)),
    ...data.statusHistory.periods.map((period) => Date.parse(period.from)),
  ];
  const domain = timeDomainOf(times, data.now.getTime());
  return page({
    title: `${data.trial.nctId}: ${data.trial.state.briefTitle ?? 'trial'}`,
    main: html`${header(data)} ${timelineSection(data, domain)} ${datesSection(data, domain)}
    ${enrollmentSection(data, domain)} ${changesSection(data)}`,
  });
};
