import { streamIdOf } from '@app/domain';
import { Database, EventStore } from '@app/infrastructure';
import { startBareHttpServer } from '../lib/bare-http-server.js';
import { requestFromOwnProcess } from '../lib/http-client-process.js';
import { BenchEnvironment } from '../lib/environment.js';
import { peakRssMiB } from '../lib/process-memory.js';
import { type Buckets, quantileMs, readBuckets } from '../lib/server-histogram.js';
import { percentile } from '../lib/stats.js';

export interface HistoryQueryRun {
  trials: number;
  events: number;
  generationSeconds: number;
  /** Whether the generation's writes were checkpointed before the queries (not without the privilege). */
  checkpointed: boolean;
  /**
   * ms per request over HTTP (keep-alive), sequential, random trials, sent by a client in a process of
   * its own (node:http), so that the benchmark's own pauses are not in them.
   */
  latencyMs: Record<string, { p50: number; p99: number }>;
  /**
   * The same requests sent with `fetch` from the benchmark's own process, right after, as the measure
   * sent them until commit 7ba7ce7: its collections and undici's work land in some requests' times.
   */
  inProcessFetchMs: Record<string, { p50: number; p99: number }>;
  /** The same requests as the api's own request-duration histogram saw them (interpolated within its buckets). */
  serverMs: Record<string, { p50: number | null; p99: number | null }>;
  /** `?asOf=`'s stream read alone, sent from the benchmark over one connection for the same trials. */
  databaseMs: { p50: number; p99: number };
  /** Mean response body per query, in bytes. */
  bodyBytes: Record<string, number>;
  /**
   * The client process's requests to a bare Node.js HTTP server (its own process, no framework, no
   * database) answering with the largest of those bodies, right after the queries: the machine's floor.
   */
  bareHttpMs: { p50: number; p99: number };
  /**
   * The client process's requests to a path no route of the api matches (`/trials/:nctId/no-such-view`),
   * answered 404 by the api without the database, right after the queries: the api's own path.
   */
  apiNotFoundMs: { p50: number; p99: number };
  apiPeakRssMiB: number | null;
}

const EVENTS_PER_TRIAL = 10;

/**
 * A store of registry scale made directly in SQL (generating it through the pipeline would take
 * hours): `trials` trials with ten events each, and the read models the projections build from them.
 * Each trial: registered, status changes at versions 5 and 9, enrollment, date and other changes between.
 */
const generateHistoryStore = async (database: Database, trials: number): Promise<void> => {
  await database.execute(
    `INSERT INTO streams (stream_id, version) SELECT 'trial-NCT' || lpad((10000000 + t)::text, 8, '0'), ${EVENTS_PER_TRIAL} FROM generate_series(1, $1) t`,
    [trials],
  );
  await database.execute(
    `INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, occurred_at, recorded_at)
     SELECT 'trial-NCT' || lpad((10000000 + t)::text, 8, '0'), v, gen_random_uuid(),
       CASE WHEN v = 1 THEN 'trial.registered' WHEN v IN (5, 9) THEN 'trial.overall-status-changed'
            WHEN v % 3 = 0 THEN 'trial.enrollment-updated' WHEN v % 3 = 1 THEN 'trial.primary-completion-date-changed'
            ELSE 'trial.last-update-posted-date-moved' END,
       1,
       CASE WHEN v = 1 THEN jsonb_build_object('facts', jsonb_build_object('nctId', 'NCT' || lpad((10000000 + t)::text, 8, '0'),
              'briefTitle', 'Synthetic trial ' || t, 'overallStatus', 'RECRUITING', 'phases', jsonb_build_array('PHASE2'),
              'enrollment', jsonb_build_object('count', 100, 'type', 'ESTIMATED'), 'conditions', jsonb_build_array('Condition ' || (t % 500)),
              'leadSponsor', jsonb_build_object('name', 'Sponsor ' || (t % 2000), 'class', 'OTHER'),
              'primaryCompletionDate', jsonb_build_object('date', '2020-01', 'type', 'ESTIMATED')))
            WHEN v = 5 THEN '{"from": "RECRUITING", "to": "ACTIVE_NOT_RECRUITING", "whyStopped": null, "lastKnownStatus": null}'::jsonb
            WHEN v = 9 THEN '{"from": "ACTIVE_NOT_RECRUITING", "to": "COMPLETED", "whyStopped": null, "lastKnownStatus": null}'::jsonb
            WHEN v % 3 = 0 THEN jsonb_build_object('from', jsonb_build_object('count', 100 + v, 'type', 'ESTIMATED'), 'to', jsonb_build_object('count', 110 + v, 'type', 'ESTIMATED'))
            WHEN v % 3 = 1 THEN jsonb_build_object('from', jsonb_build_object('date', '2020-' || lpad(v::text, 2, '0'), 'type', 'ESTIMATED'), 'to', jsonb_build_object('date', '2020-' || lpad((v + 1)::text, 2, '0'), 'type', 'ESTIMATED'))
            ELSE jsonb_build_object('from', jsonb_build_object('date', '2019-01-' || lpad(v::text, 2, '0'), 'type', 'ACTUAL'), 'to', jsonb_build_object('date', '2019-01-' || lpad((v + 1)::text, 2, '0'), 'type', 'ACTUAL'), 'submitDate', jsonb_build_object('from', null, 'to', null)) END,
       '{}'::jsonb, timestamptz '2015-01-01' + (t % 1000) * interval '1 day' + v * interval '30 days', now()
     FROM generate_series(1, $1) t, generate_series(1, ${EVENTS_PER_TRIAL}) v`,
    [trials],
  );
  await database.execute(
    `INSERT INTO trial_current_state (nct_id, stream_version, brief_title, overall_status, phases, study_type, lead_sponsor, conditions,
       registered_at, last_changed_at, last_recorded_at, last_event_type, last_global_position)
     SELECT substring(e.stream_id from 7), ${EVENTS_PER_TRIAL}, e.data#>>'{facts,briefTitle}', 'COMPLETED',
            '{PHASE2}', 'INTERVENTIONAL', e.data#>>'{facts,leadSponsor,name}', ARRAY[e.data#>>'{facts,conditions,0}'], e.occurred_at,
            e.occurred_at + interval '270 days', now(), 'trial.last-update-posted-date-moved', e.global_position
     FROM events e WHERE e.stream_version = 1`,
  );
  await database.execute(
    `INSERT INTO trial_field_history (event_id, field, nct_id, event_type, from_value, to_value, occurred_at, recorded_at, stream_version, global_position)
     SELECT e.event_id,
            CASE e.type WHEN 'trial.overall-status-changed' THEN 'overallStatus' WHEN 'trial.enrollment-updated' THEN 'enrollment'
                        WHEN 'trial.primary-completion-date-changed' THEN 'primaryCompletionDate' ELSE 'lastUpdatePostDate' END,
            substring(e.stream_id from 7), e.type, e.data->'from', e.data->'to', e.occurred_at, e.recorded_at, e.stream_version, e.global_position
     FROM events e WHERE e.stream_version > 1`,
  );
  await database.execute(
    `INSERT INTO trial_status_periods (nct_id, period_index, status, started_at, ended_at, started_by_event_id)
     SELECT substring(stream_id from 7), row_number() OVER w, coalesce(data->>'to', data#>>'{facts,overallStatus}'), occurred_at,
            lead(occurred_at) OVER w, event_id
     FROM events WHERE type IN ('trial.registered', 'trial.overall-status-changed')
     WINDOW w AS (PARTITION BY stream_id ORDER BY stream_version)`,
  );
  await database.execute(`ANALYZE`);
};

/**
 * Lets the store settle as it would after a load, before anything is timed: autovacuum's pass over
 * the new rows done now (`VACUUM`), and the gigabytes of pages the generation dirtied written out
 * (`CHECKPOINT`), not written behind the queries' backs. `CHECKPOINT` needs a superuser (or the
 * `pg_checkpoint` role): without one the run goes on unsettled and says so.
 */
const settle = async (database: Database): Promise<boolean> => {
  await database.execute('VACUUM (ANALYZE)');
  try {
    await database.execute('CHECKPOINT');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '42501') return false;
    throw error;
  }
};

/**
 * PostgreSQL's own part of `?asOf=`: the stream read it makes (the event store's `readStream`, as the
 * api calls it), timed over one connection from this process for the same trials, so the api's and
 * the client's shares of the tail show apart.
 */
const timeStreamReads = async (
  database: Database,
  eventStore: EventStore,
  nctIdOf: (index: number) => string,
  count: number,
): Promise<number[]> =>
  database.session(async (sql) => {
    const durations: number[] = [];
    for (let index = -200; index < count; index += 1) {
      const sent = performance.now();
      await eventStore.readStream(
        streamIdOf(nctIdOf(index < 0 ? count - index : index)),
        { occurredUpTo: '2018-01-01T23:59:59.999Z' },
        sql,
      );
      if (index >= 0) durations.push(performance.now() - sent);
    }
    return durations;
  });

/** `count` requests one after another (keep-alive), each timed from sending to the body's last byte. */
const requestSequentially = async (
  baseUrl: string,
  path: (index: number) => string,
  count: number,
  expectedStatus = 200,
): Promise<{ durations: number[]; bytes: number }> => {
  const durations: number[] = [];
  let bytes = 0;
  for (let index = 0; index < count; index += 1) {
    const sent = performance.now();
    const response = await fetch(`${baseUrl}${path(index)}`);
    bytes += (await response.arrayBuffer()).byteLength;
    durations.push(performance.now() - sent);
    if (response.status !== expectedStatus) throw new Error(`${path(index)}: HTTP ${response.status}`);
  }
  return { durations, bytes };
};

export const historyQueries = async (trials: number, requests: number): Promise<HistoryQueryRun> => {
  const bench = await BenchEnvironment.create();
  try {
    const database = bench.context.get(Database);
    const started = performance.now();
    await generateHistoryStore(database, trials);
    const generationSeconds = (performance.now() - started) / 1000;
    const checkpointed = await settle(database);
    const { api, baseUrl } = await bench.startApi();
    const nctIdOf = (index: number) => `NCT${String(10_000_000 + 1 + ((index * 7_919) % trials)).padStart(8, '0')}`;
    // The route template each name is counted under in the api's histogram.
    const routes: Record<string, string> = {
      'GET /trials/:nctId/status-history': '/trials/:nctId/status-history',
      'GET /trials/:nctId/history': '/trials/:nctId/history',
      'GET /trials/:nctId?asOf=': '/trials/:nctId',
    };
    const paths: Record<string, (index: number) => string> = {
      'GET /trials/:nctId/status-history': (index) => `/trials/${nctIdOf(index)}/status-history`,
      'GET /trials/:nctId/history': (index) => `/trials/${nctIdOf(index)}/history`,
      // Every generated trial is registered by late 2017 and changes until mid 2018: a fold of part of its stream.
      'GET /trials/:nctId?asOf=': (index) => `/trials/${nctIdOf(index)}?asOf=2018-01-01`,
    };
    const latencyMs: HistoryQueryRun['latencyMs'] = {};
    const inProcessFetchMs: HistoryQueryRun['inProcessFetchMs'] = {};
    const serverMs: HistoryQueryRun['serverMs'] = {};
    const bodyBytes: HistoryQueryRun['bodyBytes'] = {};
    const quantiles = (durations: number[]) => ({ p50: percentile(durations, 50), p99: percentile(durations, 99) });
    /** `requests` of `path`, after 200 others of it untimed, from the client process. */
    const timedFromClient = (
      url: string,
      path: (index: number) => string,
      expectedStatus = 200,
      before?: () => Promise<void>,
    ) =>
      requestFromOwnProcess(
        url,
        {
          warmUp: Array.from({ length: 200 }, (_, index) => path(index + requests)),
          timed: Array.from({ length: requests }, (_, index) => path(index)),
          expectedStatus,
        },
        before,
      );
    for (const [name, path] of Object.entries(paths)) {
      let before: Buckets = new Map();
      const { durations, bytes } = await timedFromClient(baseUrl, path, 200, async () => {
        before = await readBuckets(baseUrl, routes[name]!);
      });
      latencyMs[name] = quantiles(durations);
      bodyBytes[name] = Math.round(bytes / requests);
      const after = await readBuckets(baseUrl, routes[name]!);
      serverMs[name] = { p50: quantileMs(before, after, 0.5), p99: quantileMs(before, after, 0.99) };
      inProcessFetchMs[name] = quantiles((await requestSequentially(baseUrl, path, requests)).durations);
    }
    const notFound = (index: number) => `/trials/${nctIdOf(index)}/no-such-view`;
    const apiNotFoundMs = quantiles((await timedFromClient(baseUrl, notFound, 404)).durations);
    const streamReads = await timeStreamReads(database, bench.context.get(EventStore), nctIdOf, requests);
    const databaseMs = quantiles(streamReads);
    const bare = await startBareHttpServer(Math.max(...Object.values(bodyBytes)));
    let bareHttpMs: HistoryQueryRun['bareHttpMs'];
    try {
      bareHttpMs = quantiles((await timedFromClient(bare.url, () => '/')).durations);
    } finally {
      await bare.stop();
    }
    return {
      trials,
      events: trials * EVENTS_PER_TRIAL,
      generationSeconds,
      checkpointed,
      latencyMs,
      inProcessFetchMs,
      serverMs,
      bodyBytes,
      databaseMs,
      bareHttpMs,
      apiNotFoundMs,
      apiPeakRssMiB: api.pid ? peakRssMiB(api.pid) : null,
    };
  } finally {
    await bench.close();
  }
};
