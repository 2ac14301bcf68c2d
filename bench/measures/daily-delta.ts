import { Database } from '@app/infrastructure';
import { NamedReceiver } from '../lib/named-receiver.js';
import { BenchEnvironment } from '../lib/environment.js';
import { changedStudy, ingestDocuments } from '../lib/load.js';
import { ownPeakRssMiB, peakRssMiB } from '../lib/process-memory.js';
import { waitForProjections } from '../lib/projections-caught-up.js';
import { generateStudy } from '../lib/study-generator.js';

export interface DailyDeltaRun {
  baseline: number;
  changed: number;
  eventsAppended: number;
  /** Seconds from the first changed snapshot until every read model reflects the changes. */
  readModelsSeconds: number;
  /** Seconds until the subscriber has received a webhook for every new event. */
  webhooksSeconds: number;
  peakRssMiB: { ingesting: number; worker: number | null };
}

/** After a first load, a day's worth of changed studies re-ingested (as a watchlist sync does, 1000 per page). */
export const dailyDelta = async (baseline: number, changed: number): Promise<DailyDeltaRun> => {
  const named = await NamedReceiver.start();
  const { receiver } = named;
  const bench = await BenchEnvironment.create({ ...named.settings, WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s,1s,1s' });
  try {
    const { baseUrl } = await bench.startApi();
    const worker = await bench.startWorker({ PUBLIC_BASE_URL: baseUrl });
    await ingestDocuments(bench.context, baseline, generateStudy);
    await waitForProjections(bench.context);
    const subscribed = await fetch(`${baseUrl}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: named.url, name: 'daily delta' }),
    });
    if (subscribed.status !== 201) throw new Error(`subscription refused: ${await subscribed.text()}`);
    const database = bench.context.get(Database);
    const [before] = await database.query<{ events: string }>('SELECT count(*) AS events FROM events');

    const started = performance.now();
    const timing = await ingestDocuments(bench.context, changed, (index) => changedStudy(index, 1), 1000);
    await waitForProjections(bench.context);
    const readModels = performance.now();
    const [after] = await database.query<{ events: string }>('SELECT count(*) AS events FROM events');
    const eventsAppended = Number(after!.events) - Number(before!.events);
    while (new Set(receiver.accepted().map((webhook) => webhook.id)).size < eventsAppended) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const webhooks = performance.now();
    return {
      baseline,
      changed,
      eventsAppended,
      readModelsSeconds: (readModels - started - timing.generationMs) / 1000,
      webhooksSeconds: (webhooks - started - timing.generationMs) / 1000,
      peakRssMiB: { ingesting: ownPeakRssMiB(), worker: worker.pid ? peakRssMiB(worker.pid) : null },
    };
  } finally {
    await named.stop();
    await bench.close();
  }
};
