// Appends the same streams as trialwatch's benchmark, through Emmett's PostgreSQL event store.
// Input: BENCH_DATABASE_URL, BENCH_EVENTS_FILE (JSON lines: { streamId, type, data }, a stream's events
// next to each other), BENCH_APPENDERS. Each stream's events go in one appendToStream call, so a file
// of one-event streams times single-event appends and a file of ten-event streams multi-event appends.
import { readFileSync } from 'node:fs';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';

const events = readFileSync(process.env.BENCH_EVENTS_FILE, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const streams = [];
for (const event of events) {
  const last = streams.at(-1);
  if (last && last.streamId === event.streamId) last.events.push({ type: event.type, data: event.data });
  else streams.push({ streamId: event.streamId, events: [{ type: event.type, data: event.data }] });
}
const store = getPostgreSQLEventStore(process.env.BENCH_DATABASE_URL);
await store.schema.migrate();
// Warm the pool and the statement path before timing.
await store.appendToStream('bench-warm-up', [{ type: 'warm.up', data: {} }]);

const appenders = Number(process.env.BENCH_APPENDERS ?? 8);
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: appenders }, async () => {
    for (let stream = streams[next++]; stream; stream = streams[next++]) {
      await store.appendToStream(stream.streamId, stream.events, { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
await store.close();
process.stdout.write(JSON.stringify({ events: events.length, seconds, perSecond: events.length / seconds }));
