import { type DomainEvent, isDomainEventType } from './index.js';

/** An event as the event store keeps it: a persisted type string, a schema version and JSON data. */
export interface RecordedEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
}

/** A recorded event as the domain knows it; events of types this version does not know are null. */
export const decodeEvent = (recorded: RecordedEvent): DomainEvent | null =>
  isDomainEventType(recorded.type)
    ? ({ type: recorded.type, schemaVersion: recorded.schemaVersion, data: recorded.data } as DomainEvent)
    : null;
