import { BenchEnvironment } from '../lib/environment.js';
import { NamedReceiver } from '../lib/named-receiver.js';
import { generateStudy, nctIdFor } from '../lib/study-generator.js';
import { summarize } from '../lib/stats.js';

/**
 * The change fanned out: a new trial's registration (its whole record, the largest kind of event) or a
 * status change of a trial already tracked (under 1 KB, as most changes are).
 */
export type FanOutChange = 'registration' | 'status-change';

const EVENT_TYPES: Record<FanOutChange, string> = {
  registration: 'trial.registered',
  'status-change': 'trial.overall-status-changed',
};

/** One change's fan-out: from the snapshot's 202 until every subscription had its webhook. */
export interface FanOutRound {
  /** Deliveries per second from the snapshot's 202 until the last subscription's webhook arrived. */
  deliveriesPerSecond: number;
  /** The same, counted from the first webhook's arrival: the delivery alone, without ingestion and matching. */
  deliveriesPerSecondAfterFirst: number;
  firstWebhookMs: number;
  lastWebhookMs: number;
}

export interface WebhookFanOutRun extends FanOutRound {
  subscriptions: number;
  change: FanOutChange;
  /** The size of the webhook each subscription received. */
  webhookBytes: number;
  /**
   * The first change is fanned out by a worker that has delivered nothing yet (its code not yet
   * optimised by the JIT); the top-level figures are the later changes' median, a worker that has been
   * delivering, as one in service is.
   */
  cold: FanOutRound;
  /** Changes fanned out, the first included. */
  rounds: number;
  /** DNS questions the api and the worker asked for the receiver's name in the whole run. */
  dnsQuestions: number;
}

/** The study with its overall status changed, posted a day later. */
const withStatusChanged = <T extends object>(study: T): T => {
  const changed = structuredClone(study) as T & { protocolSection: { statusModule: Record<string, unknown> } };
  const status = changed.protocolSection.statusModule;
  const nextDay = (date: string) => new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10);
  status.overallStatus = status.overallStatus === 'ACTIVE_NOT_RECRUITING' ? 'RECRUITING' : 'ACTIVE_NOT_RECRUITING';
  status.lastUpdateSubmitDate = nextDay(status.lastUpdateSubmitDate as string);
  status.lastUpdatePostDateStruct = {
    date: nextDay((status.lastUpdatePostDateStruct as { date: string }).date),
    type: 'ACTUAL',
  };
  return changed;
};

/** The same record under another NCT ID: each round registers a new trial of the same size. */
const registeredAs = <T extends object>(study: T, index: number): T => {
  const copy = structuredClone(study) as T & { protocolSection: { identificationModule: { nctId: string } } };
  copy.protocolSection.identificationModule.nctId = nctIdFor(index);
  return copy;
};

const postSnapshot = async (baseUrl: string, study: object): Promise<void> => {
  const response = await fetch(`${baseUrl}/snapshots`, { method: 'POST', body: JSON.stringify(study) });
  if (response.status !== 202) throw new Error(`POST /snapshots: HTTP ${response.status}`);
};

/**
 * Changes matching every one of `subscriptions` subscriptions (each with a URL of its own at a local
 * receiver), one after another through the same worker (`rounds` of them, the next posted once the
 * last was delivered to all): how fast each is delivered to all of them. Every subscription must get
 * each change's webhook within 120 s, or the run fails.
 */
export const webhookFanOut = async (
  subscriptions: number,
  change: FanOutChange = 'registration',
  rounds = 6,
): Promise<WebhookFanOutRun> => {
  if (rounds < 2) throw new Error('the fan-out needs a first change and at least one after it');
  const named = await NamedReceiver.start();
  const { receiver } = named;
  const bench = await BenchEnvironment.create(named.settings);
  try {
    const { baseUrl } = await bench.startApi({ SNAPSHOT_RATE_LIMIT_PER_MINUTE: '0' });
    const registered = generateStudy(900_000);
    let study = registered;
    if (change === 'status-change') {
      // The trial is tracked before anyone subscribes; its registration matches no subscription.
      await bench.startWorker({ PUBLIC_BASE_URL: baseUrl });
      await postSnapshot(baseUrl, study);
      const trial = `${baseUrl}/trials/${study.protocolSection.identificationModule.nctId}`;
      const deadline = performance.now() + 60_000;
      while ((await fetch(trial)).status !== 200) {
        if (performance.now() > deadline) throw new Error('the trial was not registered within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    for (let index = 0; index < subscriptions; index += 1) {
      const subscribed = await fetch(`${baseUrl}/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          url: `${named.url}?subscriber=${index}`,
          filter: { eventTypes: [EVENT_TYPES[change]] },
        }),
      });
      if (subscribed.status !== 201) throw new Error(`subscription refused: ${await subscribed.text()}`);
    }
    if (change === 'registration') await bench.startWorker({ PUBLIC_BASE_URL: baseUrl });
    const measured: FanOutRound[] = [];
    let webhookBytes = 0;
    for (let round = 0; round < rounds; round += 1) {
      study = change === 'registration' ? registeredAs(registered, 900_000 + round) : withStatusChanged(study);
      const nctId = study.protocolSection.identificationModule.nctId;
      const from = receiver.received.length;
      await postSnapshot(baseUrl, study);
      const acceptedAt = Date.now();
      const arrivals = new Map<string, number>();
      // Each webhook is looked at once (the receiver is on this process's thread, as is this loop).
      let next = from;
      const collect = () => {
        for (; next < receiver.received.length; next += 1) {
          const webhook = receiver.received[next]!;
          if (webhook.status === 0) break; // not answered yet: looked at again next time
          if (webhook.status < 200 || webhook.status >= 300) continue;
          const subscriber = new URL(webhook.path, 'http://receiver').searchParams.get('subscriber');
          if (subscriber === null || arrivals.has(subscriber)) continue;
          if (webhook.json.type !== EVENT_TYPES[change] || webhook.json.data.nctId !== nctId)
            throw new Error(`unexpected webhook: ${webhook.json.type} of ${webhook.json.data.nctId}`);
          arrivals.set(subscriber, webhook.at);
          webhookBytes = Buffer.byteLength(webhook.body);
        }
      };
      const deadline = performance.now() + 120_000;
      for (collect(); arrivals.size < subscriptions && performance.now() < deadline; collect())
        await new Promise((resolve) => setTimeout(resolve, 20));
      if (arrivals.size < subscriptions)
        throw new Error(
          `${subscriptions - arrivals.size} of ${subscriptions} webhooks of change ${round + 1} did not arrive within 120 s`,
        );
      const times = [...arrivals.values()];
      const first = Math.min(...times);
      const last = Math.max(...times);
      measured.push({
        deliveriesPerSecond: subscriptions / ((last - acceptedAt) / 1000),
        deliveriesPerSecondAfterFirst: (subscriptions - 1) / (Math.max(1, last - first) / 1000),
        firstWebhookMs: first - acceptedAt,
        lastWebhookMs: last - acceptedAt,
      });
    }
    const [cold, ...warm] = measured;
    const median = (key: keyof FanOutRound) => summarize(warm.map((round) => round[key])).median;
    return {
      subscriptions,
      change,
      webhookBytes,
      deliveriesPerSecond: median('deliveriesPerSecond'),
      deliveriesPerSecondAfterFirst: median('deliveriesPerSecondAfterFirst'),
      firstWebhookMs: median('firstWebhookMs'),
      lastWebhookMs: median('lastWebhookMs'),
      cold: cold!,
      rounds,
      dnsQuestions: named.dnsQuestions,
    };
  } finally {
    await named.stop();
    await bench.close();
  }
};
