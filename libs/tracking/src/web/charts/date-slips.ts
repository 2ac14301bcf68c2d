import { type DateStruct, type DomainEventType, partialDateStart } from '@app/domain';
import { formatDateStruct, formatDay, formatShift, monthsBetween } from '../format.js';
import type { SafeHtml } from '../html.js';
import type { RecordedChange } from '../recorded-change.js';
import { type TimeDomain, timeTicks } from './scale.js';
import { type PointKind, stepChartFigure, type StepPoint } from './step-chart.js';

export type PlannedDateField = 'startDate' | 'primaryCompletionDate' | 'completionDate';

export const PLANNED_DATE_FIELDS: readonly PlannedDateField[] = [
  'startDate',
  'primaryCompletionDate',
  'completionDate',
];

const CHANGE_EVENTS: Record<PlannedDateField, DomainEventType> = {
  startDate: 'trial.start-date-changed',
  primaryCompletionDate: 'trial.primary-completion-date-changed',
  completionDate: 'trial.completion-date-changed',
};

const HEADINGS: Record<PlannedDateField, string> = {
  startDate: 'Start date',
  primaryCompletionDate: 'Primary completion date',
  completionDate: 'Completion date',
};

/** A value from the record version that gave it on, until the next one changed it. */
export interface KnownValue<T> {
  /** The registry date of the record version (ISO timestamp). */
  at: string;
  value: T;
}

const sameDate = (a: DateStruct, b: DateStruct) => a.date === b.date && a.type === b.type;

/**
 * A planned date as known after each event: its value in `trial.registered`'s facts (when the first
 * snapshot had one), the value a `trial.facts-learned` gave (a later source showed the date the first
 * did not), then the `to` of each of its `*-date-changed` events. A change to unknown keeps the last
 * known date, as the trial's state does.
 */
export const plannedDateHistory = (
  changes: readonly RecordedChange[],
  field: PlannedDateField,
): KnownValue<DateStruct>[] => {
  const history: KnownValue<DateStruct>[] = [];
  for (const change of changes) {
    const { event } = change;
    let value: DateStruct | null | undefined = null;
    if (event.type === 'trial.registered' || event.type === 'trial.facts-learned') value = event.data.facts[field];
    else if (event.type === CHANGE_EVENTS[field]) value = (event.data as { to: DateStruct | null }).to;
    const last = history.at(-1);
    if (value && !(last && sameDate(last.value, value))) history.push({ at: change.occurredAt, value });
  }
  return history;
};

/** `Dec 2017 (estimated) → Jun 2018 (estimated): 6 months later, over 1 change.` */
export const describeDateHistory = (history: readonly KnownValue<DateStruct>[]): string => {
  const first = history[0];
  const last = history.at(-1);
  if (!first || !last) return 'No snapshot has given this date yet.';
  if (history.length === 1) {
    return `${formatDateStruct(first.value)}, as given since the record of ${formatDay(first.at)}; never changed.`;
  }
  const changeCount = history.length - 1;
  const shift = formatShift(monthsBetween(first.value.date, last.value.date));
  return (
    `${formatDateStruct(first.value)} → ${formatDateStruct(last.value)}: ${shift}, ` +
    `over ${changeCount} ${changeCount === 1 ? 'change' : 'changes'}.`
  );
};

export const pointKindOf = (type: DateStruct['type'] | undefined): PointKind =>
  type === 'ACTUAL' ? 'actual' : type === 'ESTIMATED' ? 'estimated' : 'unspecified';

const MONTH_MS = 30.4375 * 86_400_000;

/** A slip chart: the planned date (vertical) as each record version gave it (horizontal). */
export const dateSlipChart = (
  changes: readonly RecordedChange[],
  field: PlannedDateField,
  domain: TimeDomain,
): SafeHtml => {
  const history = plannedDateHistory(changes, field);
  const points: StepPoint[] = history.map((known) => ({
    at: Date.parse(known.at),
    value: Date.parse(partialDateStart(known.value.date)),
    kind: pointKindOf(known.value.type),
    label: formatDateStruct(known.value),
  }));
  const values = points.map((point) => point.value);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const padding = Math.max(3 * MONTH_MS, (high - low) * 0.15);
  const scale = { min: low - padding, max: high + padding, ticks: timeTicks(low - padding, high + padding, 4, 4) };
  return stepChartFigure({
    id: `slip-${field}`,
    heading: HEADINGS[field],
    summary: describeDateHistory(history),
    valueHeading: `${HEADINGS[field]} as given`,
    points,
    domain,
    scale,
  });
};
