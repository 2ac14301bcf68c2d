import { diff, type DomainEvent, evolve, factsOf, type TrialState } from '@app/domain';
import { parseSnapshots } from '@app/registry-formats';
import type { DatabaseProbe } from '../support/database-probe.js';
import { studyVersion } from '../support/study-versions.js';
import type { Findings } from './fault-checks.js';
import type { Accepted } from './fault-harness.js';

export interface StoredEvent {
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
}

/** Every event in the store, stream by stream, each stream in version order. */
export const storedEvents = (probe: DatabaseProbe): Promise<StoredEvent[]> =>
  probe.rows<StoredEvent>(
    `SELECT stream_id, stream_version, event_id, type, schema_version, data FROM events ORDER BY stream_id, stream_version`,
  );

/**
 * Each trial's stream: versions without gaps or repeats, no event that changes nothing, and a state
 * equal to the newest accepted version (or a newer one whose answer was lost); and a stream for
 * every trial with an accepted snapshot.
 */
export const checkStreams = (
  events: StoredEvent[],
  accepted: Accepted[],
  attempted: { nctId: string; version: number }[],
): Findings => {
  let duplicated = 0;
  let lost = 0;
  const causes: string[] = [];
  const streams = new Map<string, StoredEvent[]>();
  for (const event of events) streams.set(event.stream_id, [...(streams.get(event.stream_id) ?? []), event]);
  for (const [streamId, stream] of streams) {
    stream.forEach((event, index) => {
      if (event.stream_version !== index + 1) {
        duplicated += 1;
        causes.push(`${streamId} version ${event.stream_version} at position ${index + 1}`);
      }
    });
    let state: TrialState | null = null;
    for (const event of stream) {
      const next = evolve(state, {
        type: event.type,
        schemaVersion: event.schema_version,
        data: event.data,
      } as DomainEvent);
      if (state && JSON.stringify(next) === JSON.stringify(state)) {
        duplicated += 1;
        causes.push(`${streamId} version ${event.stream_version} (${event.type}) changed nothing`);
      }
      state = next;
    }
    const nctId = streamId.replace('trial-', '');
    // The state must be the newest accepted version, or a newer one whose answer was lost.
    const newest = Math.max(...accepted.filter((a) => a.nctId === nctId).map((a) => a.version));
    const candidates = attempted.filter((a) => a.nctId === nctId && a.version >= newest).map((a) => a.version);
    const current = candidates.some((version) => {
      const [snapshot] = parseSnapshots(studyVersion(version, nctId), { receivedAt: new Date().toISOString() });
      return state !== null && diff(state, factsOf(snapshot!)).length === 0;
    });
    if (Number.isFinite(newest) && !current) {
      lost += 1;
      causes.push(`${nctId} is not at its newest accepted version ${newest}`);
    }
  }
  for (const nctId of new Set(accepted.map((a) => a.nctId)))
    if (!streams.has(`trial-${nctId}`)) {
      lost += 1;
      causes.push(`${nctId} has no stream`);
    }
  return { lost, duplicated, causes };
};
