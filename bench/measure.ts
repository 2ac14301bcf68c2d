import { appendThroughput } from './measures/append-throughput.js';
import { dailyDelta } from './measures/daily-delta.js';
import { firstLoad } from './measures/first-load.js';
import { historyQueries } from './measures/history-queries.js';
import { projections } from './measures/projections.js';
import { registryHistory } from './measures/registry-history.js';
import { webhookFanOut } from './measures/webhook-fan-out.js';
import { webhookLatency } from './measures/webhook-latency.js';
import { workerScaling } from './measures/worker-scaling.js';

/** One run of one measure, in a process of its own (so its peak memory is its own); prints the result as JSON. */
const measures: Record<string, (...args: number[]) => Promise<unknown>> = {
  'first-load': (studies) => firstLoad(studies!),
  'daily-delta': (baseline, changed) => dailyDelta(baseline!, changed!),
  'append-throughput': (events) => appendThroughput(events!),
  projections: (studies, seconds, rate) => projections(studies!, seconds!, rate!),
  'history-queries': (trials, requests) => historyQueries(trials!, requests!),
  'webhook-latency': (snapshots, rate) => webhookLatency(snapshots!, rate!),
  'webhook-fan-out': (subscriptions) => webhookFanOut(subscriptions!, 'registration'),
  'webhook-fan-out-status-change': (subscriptions) => webhookFanOut(subscriptions!, 'status-change'),
  'registry-history': (trials) => registryHistory(trials!),
  'worker-scaling': (workers, snapshots) => workerScaling(workers!, snapshots!),
};

const [name, ...args] = process.argv.slice(2);
const measure = name ? measures[name] : undefined;
if (!measure) {
  process.stderr.write(`usage: measure <${Object.keys(measures).join('|')}> <numbers...>\n`);
  process.exit(2);
}
const result = await measure(...args.map(Number));
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
