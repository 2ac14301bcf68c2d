import type { DomainEvent } from '../events/index.js';
import type { FactField, TrialFacts } from '../snapshot/trial-snapshot.js';
import { evolve, isKnown, type TrialState } from '../trial/evolve.js';
import { fieldChangesOf } from '../trial/field-changes.js';

/*
 * First registered versus current: for the fields that show how far a trial moved from its plan,
 * the value first known, the value now, and how many registry changes came in between. Planned
 * enrollment, for one, lives only in a trial's early versions.
 */

export const BASELINE_FIELDS = [
  'overallStatus',
  'enrollment',
  'primaryOutcomes',
  'primaryCompletionDate',
  'completionDate',
] as const satisfies readonly FactField[];
export type BaselineField = (typeof BASELINE_FIELDS)[number];

export interface BaselineEntry {
  field: BaselineField;
  /** The value when trialwatch first knew the field, and when that was. */
  first: TrialFacts[BaselineField];
  firstKnownAt: string | null;
  current: TrialFacts[BaselineField];
  /** Registry changes of the field after it was first known (learned facts are not changes). */
  changes: number;
  lastChangedAt: string | null;
}

export interface DatedEvent {
  event: DomainEvent;
  occurredAt: string;
}

/** The baseline of a trial from its events in stream order; null for a trial without events. */
export const baselineOf = (events: readonly DatedEvent[]): BaselineEntry[] | null => {
  let state: TrialState | null = null;
  const entries = new Map<BaselineField, BaselineEntry>();
  for (const { event, occurredAt } of events) {
    const changed = new Set(fieldChangesOf(event).map((change) => change.field));
    state = evolve(state, event);
    for (const field of BASELINE_FIELDS) {
      const entry = entries.get(field);
      if (!entry) {
        if (isKnown(state, field)) {
          entries.set(field, {
            field,
            first: state[field],
            firstKnownAt: occurredAt,
            current: state[field],
            changes: 0,
            lastChangedAt: null,
          });
        }
        continue;
      }
      entry.current = state[field];
      if (changed.has(field) && event.type !== 'trial.facts-learned') {
        entry.changes += 1;
        entry.lastChangedAt = occurredAt;
      }
    }
  }
  if (state === null) return null;
  const known = state;
  return BASELINE_FIELDS.map(
    (field) =>
      entries.get(field) ?? {
        field,
        first: null,
        firstKnownAt: null,
        current: known[field],
        changes: 0,
        lastChangedAt: null,
      },
  );
};
