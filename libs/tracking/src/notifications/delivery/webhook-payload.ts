import { decodeEvent, type DomainEvent, fieldChangesOf, nctIdOfStream } from '@app/domain';
import type { StoredEvent } from '@app/infrastructure';
import { encodeCursor } from '../../shared/cursor.js';

/**
 * The body of a webhook, in the Standard Webhooks shape `{ type, timestamp, data }`: the event, its
 * field changes (from/to), both dates, its place in the change feed, and links to the trial's history.
 * An event too large for the configured bound is sent without its data, with a link to fetch it.
 * `sequence` is the delivery's number in its subscription: 1, 2, 3… without gaps, so a receiver can
 * tell that one is missing (they may arrive out of order: one trial's retries do not hold up others).
 */
export const webhookPayload = (stored: StoredEvent, sequence: string, baseUrl: string, maxBytes: number): string => {
  const nctId = nctIdOfStream(stored.streamId);
  const event: DomainEvent | null = decodeEvent(stored);
  const links = {
    trial: `${baseUrl}/trials/${nctId}`,
    history: `${baseUrl}/trials/${nctId}/history`,
    statusHistory: `${baseUrl}/trials/${nctId}/status-history`,
    events: `${baseUrl}/trials/${nctId}/events`,
  };
  const data = {
    sequence: Number(sequence),
    eventId: stored.eventId,
    nctId,
    eventType: stored.type,
    schemaVersion: stored.schemaVersion,
    streamVersion: stored.streamVersion,
    globalPosition: stored.globalPosition,
    cursor: encodeCursor(stored),
    occurredAt: stored.occurredAt.toISOString(),
    recordedAt: stored.recordedAt.toISOString(),
    changes: event ? fieldChangesOf(event) : [],
    event: stored.data,
    links,
  };
  const full = JSON.stringify({ type: stored.type, timestamp: stored.recordedAt.toISOString(), data });
  if (Buffer.byteLength(full) <= maxBytes) return full;
  const { changes: _changes, event: _event, ...summary } = data;
  return JSON.stringify({
    type: stored.type,
    timestamp: stored.recordedAt.toISOString(),
    data: { ...summary, truncated: true },
  });
};
