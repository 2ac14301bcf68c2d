import type { DomainEvent, DomainEventType } from '../events/index.js';
import type { FactField, NoneParts, TrialFacts } from '../snapshot/trial-snapshot.js';
import { diff } from '../trial/diff.js';
import { evolve, foldEvents, stateFrom, type TrialState } from '../trial/evolve.js';

/*
 * Given/when/then for the trial's rules, in the spirit of Emmett's `DeciderSpecification`:
 *
 *   given(history).when(nextFacts).then(expectedEvents)   what `diff` decides from the next snapshot
 *   given(history).when(nextFacts).thenState(state)       the state once those events are folded in
 *   given(events).then(expectedState)                     what `evolve` folds a stream into
 *   given(events).thenThrows(ErrorType)                   a stream `evolve` refuses
 *
 * A history is the events already in the trial's stream (none: the trial is not tracked yet), or a
 * state written down directly as facts (built with ./trial-facts.ts). Pure: the only Jest global it
 * touches is `expect`.
 */

export type History = readonly DomainEvent[] | TrialFacts;

const isEvents = (history: History): history is readonly DomainEvent[] => Array.isArray(history);

const factsOnly = (state: TrialState | null): TrialFacts | null => {
  if (state === null) return null;
  const { unknownFields: _unknown, noneParts: _none, ...facts } = state;
  return facts;
};

const stateOf = (history: History): TrialState | null => (isEvents(history) ? foldEvents(history) : stateFrom(history));

export const given = (history: History = []) => ({
  when: (next: TrialFacts) => {
    const decide = () => diff(stateOf(history), next);
    return {
      then: (expected: readonly DomainEvent[]): void => {
        expect(decide()).toEqual(expected);
      },
      thenNothingHappened: (): void => {
        expect(decide()).toEqual([]);
      },
      /** Only the event types, in order: for scenarios where many things change at once. */
      thenEventTypes: (expected: readonly DomainEventType[]): void => {
        expect(decide().map((event) => event.type)).toEqual(expected);
      },
      /** The facts of the state once the events are folded in (which fields are still unknown aside). */
      thenState: (expected: TrialFacts): void => {
        expect(factsOnly(decide().reduce<TrialState | null>(evolve, stateOf(history)))).toEqual(expected);
      },
    };
  },
  /** The facts of the folded state (which fields are still unknown aside). */
  then: (expected: TrialFacts | null): void => {
    expect(factsOnly(stateOf(history))).toEqual(expected);
  },
  /** The fields the folded state does not know, in the order of the facts. */
  thenUnknown: (expected: readonly FactField[]): void => {
    expect(stateOf(history)?.unknownFields).toEqual(expected);
  },
  /** The parts of the design and eligibility the folded state knows to be none. */
  thenNoneParts: (expected: NoneParts): void => {
    expect(stateOf(history)?.noneParts).toEqual(expected);
  },
  /** Expects folding the history to throw an instance of `errorType`, and returns it for closer checks. */
  thenThrows: <E extends Error>(errorType: new (message: string, details?: Record<string, unknown>) => E): E => {
    let thrown: unknown;
    try {
      stateOf(history);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(errorType);
    return thrown as E;
  },
});
