import { DomainError } from '../shared/domain-error.js';
import { type DomainEvent, type DomainEventType, isDomainEventType } from './index.js';

/** An event as the event store keeps it: a persisted type string, a schema version and JSON data. */
export interface RecordedEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
}

export class UnreadableEventError extends DomainError {
  readonly code = 'event.unreadable';
  readonly kind = 'unavailable' as const;
}

type Upcaster = (data: unknown) => unknown;

/**
 * How stored events of older schema versions read today, per type: version n -> n + 1. A type not
 * listed is at version 1. An event type whose meaning changes gets a new version and an upcaster here,
 * so that streams already stored fold as before.
 */
const UPCASTERS: Partial<Record<DomainEventType, Upcaster[]>> = {
  // Version 1 left out every field without a value, which version 2 reads as unknown too: nothing to change.
  'trial.registered': [(data) => data],
};

export const currentSchemaVersion = (type: DomainEventType): number => (UPCASTERS[type]?.length ?? 0) + 1;

/**
 * A recorded event as the domain knows it today (older schema versions upcast). An event of a type or
 * schema version this version does not know is null, or with `strict` (the write side, which must not
 * decide on a stream it cannot read) an UnreadableEventError.
 */
export const decodeEvent = (
  recorded: RecordedEvent,
  { strict = false }: { strict?: boolean } = {},
): DomainEvent | null => {
  const refuse = (reason: string) => {
    if (!strict) return null;
    throw new UnreadableEventError(`Cannot read a stored ${recorded.type} event: ${reason}`, {
      type: recorded.type,
      schemaVersion: recorded.schemaVersion,
    });
  };
  if (!isDomainEventType(recorded.type)) return refuse('this version does not know its type');
  const current = currentSchemaVersion(recorded.type);
  if (!Number.isInteger(recorded.schemaVersion) || recorded.schemaVersion < 1 || recorded.schemaVersion > current) {
    return refuse(`schema version ${recorded.schemaVersion}, this version reads 1 to ${current}`);
  }
  let data = recorded.data;
  for (let version = recorded.schemaVersion; version < current; version += 1) {
    data = UPCASTERS[recorded.type]![version - 1]!(data);
  }
  return { type: recorded.type, schemaVersion: current, data } as DomainEvent;
};
