import { type DateStruct, type DomainEventType, partialDateStart } from '@app/domain';
import { formatDateStruct, formatDay, formatShift, monthsBetween } from '../format.js';
import type { SafeHtml } from '../html.js';
import type { RecordedChange } from '../recorded-change.js';
import { type TimeDomain, timeTicks } from './scale.js';
import { givenValues, type PointKind, stepChartFigure, type StepPoint } from './step-chart.js';

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

/**
 * A value from the record version that gave it on, until the next one changed it; `null` from the
 * record version that removed it (a complete record without it) on.
 */
export interface KnownValue<T> {
  /** The registry date of the record version (ISO timestamp). */
  at: string;
  value: T | null;
}

const sameDate = (a: DateStruct, b: DateStruct) => a.date === b.date && a.type === b.type;

/**
 * A planned date as known after each event: its value in `trial.registered`'s facts (when the first
 * snapshot had one), the value a `trial.facts-learned` gave (a later source showed the date the first
 * did not), then the `to` of each of its `*-date-changed` events. A `to` of null (a complete record
 * without the date: the registry removed it) is kept as `null`, as the trial's state clears it.
 */
export const plannedDateHistory = (
  changes: readonly RecordedChange[],
  field: PlannedDateField,
): KnownValue<DateStruct>[] => {
  const history: KnownValue<DateStruct>[] = [];
  for (const change of changes) {
    const { event } = change;
    const last = history.at(-1);
    if (event.type === CHANGE_EVENTS[field] && (event.data as { to: DateStruct | null }).to === null) {
      if (last && last.value !== null) history.push({ at: change.occurredAt, value: null });
      continue;
    }
    let value: DateStruct | null | undefined = null;
    if (event.type === 'trial.registered' || event.type === 'trial.facts-learned') value = event.data.facts[field];
    else if (event.type === CHANGE_EVENTS[field]) value = (event.data as { to: DateStruct | null }).to;
    if (value && !(last?.value && sameDate(last.value, value))) history.push({ at: change.occurredAt, value });
  }
  return history;
};

/** The values given, in order, leaving out removals. */
export const givenOf = <T>(history: readonly KnownValue<T>[]): KnownValue<T>[] =>
  history.filter((known) => known.value !== null);

/** `; removed in the record of 1 Jan 2021.` when the last record removed the value, else null. */
export const removalEnding = (history: readonly KnownValue<unknown>[]): string | null => {
  const last = history.at(-1);
  return last && last.value === null ? `; removed in the record of ${formatDay(last.at)}.` : null;
};

/** `Dec 2017 (estimated) → Jun 2018 (estimated): 6 months later, over 1 change.` */
export const describeDateHistory = (history: readonly KnownValue<DateStruct>[]): string => {
  const given = givenOf(history);
  const first = given[0]?.value;
  const last = given.at(-1)?.value;
  if (!first || !last) return 'No snapshot has given this date yet.';
  const removal = removalEnding(history);
  if (given.length === 1) {
    return `${formatDateStruct(first)}, as given since the record of ${formatDay(given[0]!.at)}${removal ?? '; never changed.'}`;
  }
  const changeCount = given.length - 1;
  const shift = formatShift(monthsBetween(first.date, last.date));
  return (
    `${formatDateStruct(first)} → ${formatDateStruct(last)}: ${shift}, ` +
    `over ${changeCount} ${changeCount === 1 ? 'change' : 'changes'}${removal ?? '.'}`
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
  const points: StepPoint[] = history.map(({ at, value }) =>
    value === null
      ? { at: Date.parse(at), value: null }
      : {
          at: Date.parse(at),
          value: Date.parse(partialDateStart(value.date)),
          kind: pointKindOf(value.type),
          label: formatDateStruct(value),
        },
  );
  const values = givenValues(points);
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
