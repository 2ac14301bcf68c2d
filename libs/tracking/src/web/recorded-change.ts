import { type DomainEvent, isDomainEventType, type MaterialityTier } from '@app/domain';

/** How much a change matters, as the change feed graded it. */
export interface ChangeMateriality {
  tier: MaterialityTier;
  subtype: string;
  reason: string;
}

/** One stored event as the pages show it: the domain event, when it happened and which snapshot it came from. */
export interface RecordedChange {
  eventId: string;
  streamVersion: number;
  event: DomainEvent;
  /** The registry's date for the record version that carried the change. */
  occurredAt: string;
  /** When trialwatch stored it. */
  recordedAt: string;
  /** The raw snapshot the change was computed from, when the event names it. */
  contentSha256: string | null;
  /** The change feed's grade; null when the change is not graded (learned facts, entries from before grading). */
  materiality: ChangeMateriality | null;
}

export interface StoredEventLike {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamVersion: number;
  data: unknown;
  metadata: Record<string, unknown> | null;
  occurredAt: string;
  recordedAt: string;
  materiality?: ChangeMateriality | null;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Stored events as domain events; an event type this code does not know is left out rather than misread. */
export const toRecordedChanges = (events: readonly StoredEventLike[]): RecordedChange[] =>
  events.flatMap((stored) => {
    if (!isDomainEventType(stored.type)) return [];
    const sha = stored.metadata?.['contentSha256'];
    return [
      {
        eventId: stored.eventId,
        streamVersion: stored.streamVersion,
        event: { type: stored.type, schemaVersion: stored.schemaVersion, data: stored.data } as DomainEvent,
        occurredAt: stored.occurredAt,
        recordedAt: stored.recordedAt,
        contentSha256: typeof sha === 'string' && SHA256.test(sha) ? sha : null,
        materiality: stored.materiality ?? null,
      },
    ];
  });

/** Runs of neighbouring items that share a key (the changes one snapshot brought), in their original order. */
export const groupConsecutive = <T>(items: readonly T[], keyOf: (item: T) => string): T[][] => {
  const groups: T[][] = [];
  let previousKey: string | null = null;
  for (const item of items) {
    const key = keyOf(item);
    if (key === previousKey) groups[groups.length - 1]!.push(item);
    else groups.push([item]);
    previousKey = key;
  }
  return groups;
};

/** The changes of one record version share its snapshot and registry date. */
export const snapshotKey = (change: RecordedChange): string =>
  `${change.contentSha256 ?? change.eventId}|${change.occurredAt}`;

/** The path that serves a snapshot's raw content. */
export const snapshotPath = (sha256: string): string => `/ui/snapshots/${sha256}`;

export const trialPagePath = (nctId: string): string => `/ui/trials/${encodeURIComponent(nctId)}`;

/** The page comparing two versions (stream versions) of a trial's record. */
export const comparePath = (nctId: string, from: number, to: number): string =>
  `${trialPagePath(nctId)}/compare?from=${from}&to=${to}`;
