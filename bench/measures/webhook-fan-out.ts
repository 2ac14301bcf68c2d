import { WebhookReceiver } from '../../test/support/webhook-receiver.js';
import { BenchEnvironment } from '../lib/environment.js';
import { generateStudy } from '../lib/study-generator.js';

export interface WebhookFanOutRun {
  subscriptions: number;
  /** Deliveries per second from the snapshot's 202 until the last subscription's webhook arrived. */
  deliveriesPerSecond: number;
  /** The same, counted from the first webhook's arrival: the delivery alone, without ingestion and matching. */
  deliveriesPerSecondAfterFirst: number;
  firstWebhookMs: number;
  lastWebhookMs: number;
}

/**
 * One new trial matching every one of `subscriptions` subscriptions (each with a URL of its own at a
 * local receiver): how fast the one change is delivered to all of them. Every subscription must get
 * its webhook within 120 s, or the run fails.
 */
export const webhookFanOut = async (subscriptions: number): Promise<WebhookFanOutRun> => {
  const bench = await BenchEnvironment.create({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.0/8' });
  const receiver = await WebhookReceiver.start();
  try {
    const { baseUrl } = await bench.startApi({ SNAPSHOT_RATE_LIMIT_PER_MINUTE: '0' });
    for (let index = 0; index < subscriptions; index += 1) {
      const subscribed = await fetch(`${baseUrl}/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          url: `${receiver.url}?subscriber=${index}`,
          filter: { eventTypes: ['trial.registered'] },
        }),
      });
      if (subscribed.status !== 201) throw new Error(`subscription refused: ${await subscribed.text()}`);
    }
    await bench.startWorker({ PUBLIC_BASE_URL: baseUrl });
    const response = await fetch(`${baseUrl}/snapshots`, {
      method: 'POST',
      body: JSON.stringify(generateStudy(900_000)),
    });
    const acceptedAt = Date.now();
    if (response.status !== 202) throw new Error(`POST /snapshots: HTTP ${response.status}`);
    const arrivals = new Map<string, number>();
    const collect = () => {
      for (const webhook of receiver.accepted()) {
        const subscriber = new URL(webhook.path, 'http://receiver').searchParams.get('subscriber');
        if (subscriber !== null && !arrivals.has(subscriber)) arrivals.set(subscriber, webhook.at);
      }
    };
    const deadline = performance.now() + 120_000;
    for (collect(); arrivals.size < subscriptions && performance.now() < deadline; collect())
      await new Promise((resolve) => setTimeout(resolve, 20));
    if (arrivals.size < subscriptions)
      throw new Error(`${subscriptions - arrivals.size} of ${subscriptions} webhooks did not arrive within 120 s`);
    const times = [...arrivals.values()];
    const first = Math.min(...times);
    const last = Math.max(...times);
    return {
      subscriptions,
      deliveriesPerSecond: subscriptions / ((last - acceptedAt) / 1000),
      deliveriesPerSecondAfterFirst: (subscriptions - 1) / (Math.max(1, last - first) / 1000),
      firstWebhookMs: first - acceptedAt,
      lastWebhookMs: last - acceptedAt,
    };
  } finally {
    await receiver.stop();
    await bench.close();
  }
};
