import type { DomainEvent } from '../events/index.js';
import type { Outcome } from '../snapshot/trial-snapshot.js';
import type { DateStruct } from '../snapshot/trial-snapshot.js';
import { classifyOutcomeChanges, outcomeChangeTiming, type OutcomeChangeTiming } from './materiality.js';

/*
 * Outcome switching: a primary outcome added, removed, reworded or given another time frame, placed
 * against the trial's conduct (before its start, after it, after primary completion). What a change
 * is "after" depends on the dates as they stood when it occurred, so the dates are followed event by
 * event alongside.
 */

export interface ConductDates {
  startDate: DateStruct | null;
  primaryCompletionDate: DateStruct | null;
}

export interface OutcomeSwitch {
  timing: OutcomeChangeTiming;
  /** The start and primary completion dates as they stood when the change occurred: what `timing` is judged by. */
  datesThen: ConductDates;
  added: Outcome[];
  removed: Outcome[];
  timeFrameChanged: { before: Outcome; after: Outcome }[];
  reworded: { before: Outcome; after: Outcome }[];
}

const NO_DATES: ConductDates = { startDate: null, primaryCompletionDate: null };

/**
 * The facts `conductDatesAfter` reads of a registration or learned facts: a reader loading only these
 * follows the same dates (`outcome-switching.spec.ts`).
 */
export const CONDUCT_DATE_FACTS: readonly string[] = ['startDate', 'primaryCompletionDate'];

/** The start and primary completion dates after an event. */
export const conductDatesAfter = (dates: ConductDates | null, event: DomainEvent): ConductDates => {
  const current = dates ?? NO_DATES;
  switch (event.type) {
    case 'trial.registered':
      return {
        startDate: event.data.facts.startDate ?? null,
        primaryCompletionDate: event.data.facts.primaryCompletionDate ?? null,
      };
    case 'trial.facts-learned':
      return {
        startDate: event.data.facts.startDate !== undefined ? event.data.facts.startDate : current.startDate,
        primaryCompletionDate:
          event.data.facts.primaryCompletionDate !== undefined
            ? event.data.facts.primaryCompletionDate
            : current.primaryCompletionDate,
      };
    case 'trial.start-date-changed':
      return { ...current, startDate: event.data.to };
    case 'trial.primary-completion-date-changed':
      return { ...current, primaryCompletionDate: event.data.to };
    default:
      return current;
  }
};

/** The switch a primary-outcomes change makes, given the dates before it and when it occurred; null for other events. */
export const outcomeSwitchOf = (
  event: DomainEvent,
  datesBefore: ConductDates | null,
  occurredAt: string,
): OutcomeSwitch | null => {
  if (event.type !== 'trial.primary-outcomes-changed') return null;
  const { added, removed, timeFrameChanged, reworded } = classifyOutcomeChanges(event.data);
  const datesThen = datesBefore ?? NO_DATES;
  return {
    timing: outcomeChangeTiming({ before: datesThen, occurredAt }),
    datesThen: { startDate: datesThen.startDate, primaryCompletionDate: datesThen.primaryCompletionDate },
    added,
    removed,
    timeFrameChanged: timeFrameChanged.map(([before, after]) => ({ before, after })),
    reworded: reworded.map(([before, after]) => ({ before, after })),
  };
};
