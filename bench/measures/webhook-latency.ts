import { BenchEnvironment } from '../lib/environment.js';
import { NamedReceiver } from '../lib/named-receiver.js';
import { peakRssMiB } from '../lib/process-memory.js';
import { percentile } from '../lib/stats.js';
import { generateStudy } from '../lib/study-generator.js';

export interface WebhookLatencyRun {
  snapshots: number;
  ratePerSecond: number;
  /**
   * ms from POST /snapshots answered 202 (accepted) until the receiver got the webhook, over the snapshots
   * after the warm-up: what a service already delivering gives.
   */
  latencyMs: { p50: number; p99: number; max: number };
  /** The first snapshot's latency, right after the api and worker started (cold code paths and connections). */
  firstWebhookMs: number;
  /** The slowest of the warm-up's snapshots, the first included. */
  warmUpMaxMs: number;
  peakRssMiB: { api: number | null; worker: number | null };
}

/**
 * The first snapshots after the api and the worker start run cold code paths and open connections: on a
 * 2-core machine the first two or three took 100 to 200 ms against a steady 30 to 80 ms, and at 200
 * snapshots they alone made the p99. They are posted first, at the same rate, and reported on their own.
 */
const WARM_UP_SNAPSHOTS = 10;

/** New trials posted one by one at a steady rate; each one's trial.registered webhook is timed at a local receiver. */
export const webhookLatency = async (snapshots: number, ratePerSecond: number): Promise<WebhookLatencyRun> => {
  const named = await NamedReceiver.start();
  const { receiver } = named;
  const bench = await BenchEnvironment.create(named.settings);
  try {
    const { api, baseUrl } = await bench.startApi({ SNAPSHOT_RATE_LIMIT_PER_MINUTE: '0' });
    const worker = await bench.startWorker({ PUBLIC_BASE_URL: baseUrl });
    const subscribed = await fetch(`${baseUrl}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: named.url, filter: { eventTypes: ['trial.registered'] } }),
    });
    if (subscribed.status !== 201) throw new Error(`subscription refused: ${await subscribed.text()}`);
    const total = WARM_UP_SNAPSHOTS + snapshots;
    const documents = Array.from({ length: total }, (_, index) => JSON.stringify(generateStudy(500_000 + index)));
    const acceptedAt = new Map<string, number>();
    const interval = 1000 / ratePerSecond;
    for (let index = 0; index < total; index += 1) {
      const due = performance.now() + interval;
      const response = await fetch(`${baseUrl}/snapshots`, { method: 'POST', body: documents[index] });
      const accepted = Date.now();
      if (response.status !== 202) throw new Error(`POST /snapshots: HTTP ${response.status}`);
      const [nctId] = ((await response.json()) as { nctIds: string[] }).nctIds;
      acceptedAt.set(nctId!, accepted);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
    // The first arrival per trial (a redelivery carries the same trial); only this run's trials count.
    const firstArrival = new Map<string, number>();
    const collect = () => {
      for (const webhook of receiver.accepted()) {
        const nctId = webhook.json.data.nctId;
        if (acceptedAt.has(nctId) && !firstArrival.has(nctId)) firstArrival.set(nctId, webhook.at);
      }
    };
    const deadline = performance.now() + 120_000;
    for (collect(); firstArrival.size < total && performance.now() < deadline; collect())
      await new Promise((resolve) => setTimeout(resolve, 50));
    // Percentiles over the webhooks that arrived would hide the ones that never did: a missing one fails the run.
    if (firstArrival.size < total)
      throw new Error(`${total - firstArrival.size} of ${total} webhooks did not arrive within 120 s`);
    // The receiver runs in this process: its arrival times and the acceptance times share one clock.
    const all = [...acceptedAt].map(([nctId, accepted]) => firstArrival.get(nctId)! - accepted);
    const warmUp = all.slice(0, WARM_UP_SNAPSHOTS);
    const latencies = all.slice(WARM_UP_SNAPSHOTS);
    return {
      snapshots,
      ratePerSecond,
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) },
      firstWebhookMs: warmUp[0]!,
      warmUpMaxMs: Math.max(...warmUp),
      peakRssMiB: { api: api.pid ? peakRssMiB(api.pid) : null, worker: worker.pid ? peakRssMiB(worker.pid) : null },
    };
  } finally {
    await named.stop();
    await bench.close();
  }
};
