import type { DateStruct } from '../snapshot/trial-snapshot.js';
import { type DomainEvent, hygieneFlagCleared, hygieneFlagRaised, resultsOverdue } from '../events/index.js';
import { HYGIENE_FLAGS, type HygieneFlag } from './hygiene.js';

/*
 * The daily check: which signals hold for a trial on a given day, and what to record against what was
 * recorded before. A signal is recorded once when it starts to hold (and a hygiene flag again when it
 * ends), never every day it holds.
 */

export type SignalName = 'results-overdue' | HygieneFlag;

export interface SignalCheckInputs {
  resultsDueDate: string | null;
  resultsReported: boolean;
  primaryCompletionDate: DateStruct | null;
  hygieneFrom: Partial<Record<HygieneFlag, string>>;
}

const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

/** The signals that hold on `on` (an ISO date), each with the day it started to hold. */
export const signalsOn = (inputs: SignalCheckInputs, on: string): Map<SignalName, string> => {
  const day = on.slice(0, 10);
  const holding = new Map<SignalName, string>();
  if (inputs.resultsDueDate !== null && !inputs.resultsReported && inputs.resultsDueDate < day) {
    holding.set('results-overdue', nextDay(inputs.resultsDueDate));
  }
  for (const flag of HYGIENE_FLAGS) {
    const from = inputs.hygieneFrom[flag];
    if (from !== undefined && from <= day) holding.set(flag, from < '1900-01-01' ? day : from);
  }
  return holding;
};

export interface SignalRecord {
  signal: SignalName;
  since: string;
}

export interface SignalCheckOutcome {
  /** Signals that now hold and were not recorded: each is an event and a new record. */
  started: SignalRecord[];
  /** Recorded signals that no longer hold: their records go (a hygiene flag's with an event). */
  ended: SignalName[];
  events: { event: DomainEvent; since: string | null }[];
}

/** What to record for a trial, given what holds now and what was recorded before. */
export const checkSignals = (
  inputs: SignalCheckInputs,
  recorded: ReadonlyMap<SignalName, string>,
  on: string,
): SignalCheckOutcome => {
  const day = on.slice(0, 10);
  const holding = signalsOn(inputs, on);
  const started = [...holding]
    .filter(([signal]) => !recorded.has(signal))
    .map(([signal, since]) => ({ signal, since }));
  // A check of a day before a signal started (a rerun for a past day) says nothing about whether it ended.
  const ended = [...recorded]
    .filter(([signal, since]) => !holding.has(signal) && since <= day)
    .map(([signal]) => signal);
  // Flags that ended first: they were ended by the latest change, before any signal that starts on its day.
  const events = [
    // Results that were overdue end by being submitted or posted, which is its own event.
    ...ended
      .filter((signal): signal is HygieneFlag => signal !== 'results-overdue')
      .map((flag) => ({ since: null, event: hygieneFlagCleared({ flag }) })),
    ...started.map(({ signal, since }) => ({
      since,
      event:
        signal === 'results-overdue'
          ? resultsOverdue({ dueDate: inputs.resultsDueDate!, primaryCompletionDate: inputs.primaryCompletionDate })
          : hygieneFlagRaised({ flag: signal, since }),
    })),
  ];
  return { started, ended, events };
};
