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
export const webhookPayload = (stored: StoredEvent, sequence: string, baseUrl: string, maxBytes: number): Buffer =>
  webhookPayloads(stored, baseUrl, maxBytes)(sequence);

/**
 * The webhook bodies of one event, by sequence number: everything but the sequence is serialised and
 * encoded as UTF-8 once, so an event fanned out to many subscriptions is not decoded, stringified or
 * encoded again for each of them (a record's names and places often hold characters beyond ASCII,
 * which make encoding a text cost more than copying its bytes). Each body is the UTF-8 of the text
 * `JSON.stringify` gives for it, with `sequence` first in `data`, and is both signed and sent as it is.
 */
export const webhookPayloads = (
  stored: StoredEvent,
  baseUrl: string,
  maxBytes: number,
): ((sequence: string) => Buffer) => {
  const nctId = nctIdOfStream(stored.streamId);
  const event: DomainEvent | null = decodeEvent(stored);
  const links = {
    trial: `${baseUrl}/trials/${nctId}`,
    history: `${baseUrl}/trials/${nctId}/history`,
    statusHistory: `${baseUrl}/trials/${nctId}/status-history`,
    events: `${baseUrl}/trials/${nctId}/events`,
  };
  const summary = {
    eventId: stored.eventId,
    nctId,
    eventType: stored.type,
    schemaVersion: stored.schemaVersion,
    streamVersion: stored.streamVersion,
    globalPosition: stored.globalPosition,
    cursor: encodeCursor(stored),
    occurredAt: stored.occurredAt.toISOString(),
    recordedAt: stored.recordedAt.toISOString(),
  };
  const head = Buffer.from(
    `{"type":${JSON.stringify(stored.type)},"timestamp":${JSON.stringify(stored.recordedAt.toISOString())},"data":{"sequence":`,
  );
  // Each member after the sequence, as `JSON.stringify` writes the object's inside (its braces dropped).
  const inside = (value: object) => JSON.stringify(value).slice(1, -1);
  const full = Buffer.from(
    `,${inside({ ...summary, changes: event ? fieldChangesOf(event) : [], event: stored.data, links })}}}`,
  );
  const truncated = Buffer.from(`,${inside({ ...summary, links, truncated: true })}}}`);
  return (sequence) => {
    // A sequence number is ASCII digits: one byte each.
    const number = String(Number(sequence));
    const rest = head.length + number.length + full.length <= maxBytes ? full : truncated;
    const body = Buffer.allocUnsafe(head.length + number.length + rest.length);
    // `set` rather than `Buffer#copy`: the same bytes, several times faster for bodies of kilobytes.
    body.set(head, 0);
    body.write(number, head.length, 'latin1');
    body.set(rest, head.length + number.length);
    return body;
  };
};
