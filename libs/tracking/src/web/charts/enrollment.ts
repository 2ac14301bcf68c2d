import type { Enrollment } from '@app/domain';
import { formatEnrollment, formatDay } from '../format.js';
import type { SafeHtml } from '../html.js';
import type { RecordedChange } from '../recorded-change.js';
import { givenOf, type KnownValue, pointKindOf, removalEnding } from './date-slips.js';
import { countTicks, type TimeDomain } from './scale.js';
import { stepChartFigure } from './step-chart.js';

type KnownEnrollment = Enrollment & { count: number };

/**
 * Enrollment as known after each event: `trial.registered`'s facts, the count a `trial.facts-learned`
 * gave (a later source showed what the first did not), then the `to` of each
 * `trial.enrollment-updated`. A count the source did not give keeps the last known one; a `to` of null
 * (a complete record without the enrollment: the registry removed it) is kept as `null`, as the
 * trial's state clears it.
 */
export const enrollmentHistory = (changes: readonly RecordedChange[]): KnownValue<KnownEnrollment>[] => {
  const history: KnownValue<KnownEnrollment>[] = [];
  for (const change of changes) {
    const { event } = change;
    if (event.type === 'trial.enrollment-updated' && event.data.to === null) {
      if (history.at(-1)?.value) history.push({ at: change.occurredAt, value: null });
      continue;
    }
    let value: Enrollment | null | undefined = null;
    if (event.type === 'trial.registered' || event.type === 'trial.facts-learned') value = event.data.facts.enrollment;
    else if (event.type === 'trial.enrollment-updated') value = event.data.to;
    if (!value || value.count === null) continue;
    const last = history.at(-1);
    if (last?.value && last.value.count === value.count && last.value.type === value.type) continue;
    history.push({ at: change.occurredAt, value: { count: value.count, type: value.type } });
  }
  return history;
};

/** `500 (estimated) → 1000 (actual): 2 changes.` */
export const describeEnrollmentHistory = (history: readonly KnownValue<KnownEnrollment>[]): string => {
  const given = givenOf(history);
  const first = given[0];
  const last = given.at(-1);
  if (!first || !last) return 'No snapshot has given the enrollment yet.';
  const removal = removalEnding(history);
  if (given.length === 1) {
    return `${formatEnrollment(first.value)}, as given since the record of ${formatDay(first.at)}${
      removal ?? '; never changed.'
    }`;
  }
  const changeCount = given.length - 1;
  return `${formatEnrollment(first.value)} → ${formatEnrollment(last.value)}, over ${changeCount} ${
    changeCount === 1 ? 'change' : 'changes'
  }${removal ?? '.'}`;
};

/** Enrollment over time, estimated and actual counts marked apart, on a scale from zero. */
export const enrollmentChart = (changes: readonly RecordedChange[], domain: TimeDomain): SafeHtml => {
  const history = enrollmentHistory(changes);
  const ticks = countTicks(Math.max(0, ...givenOf(history).map((known) => known.value!.count)));
  return stepChartFigure({
    id: 'enrollment',
    heading: 'Enrollment',
    summary: describeEnrollmentHistory(history),
    valueHeading: 'Participants',
    points: history.map(({ at, value }) =>
      value === null
        ? { at: Date.parse(at), value: null }
        : { at: Date.parse(at), value: value.count, kind: pointKindOf(value.type), label: formatEnrollment(value) },
    ),
    domain,
    scale: { min: 0, max: ticks.at(-1)!.value, ticks },
  });
};
