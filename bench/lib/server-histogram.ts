/** One series of the api's request-duration histogram: cumulative bucket counts by upper bound (seconds). */
export type Buckets = Map<number, number>;

const HISTOGRAM = 'trialwatch_http_request_duration_seconds_bucket';

/** The buckets of `GET route` answered 200, read from the api's /metrics. */
export const readBuckets = async (baseUrl: string, route: string): Promise<Buckets> => {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const buckets: Buckets = new Map();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${HISTOGRAM}{`)) continue;
    if (!line.includes(`method="GET"`) || !line.includes(`route="${route}"`) || !line.includes(`status="200"`))
      continue;
    const le = /le="([^"]+)"/.exec(line)![1]!;
    buckets.set(le === '+Inf' ? Infinity : Number(le), Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return buckets;
};

/**
 * The q-quantile in ms of the requests counted between two readings, interpolated linearly within its
 * bucket as Prometheus's histogram_quantile does; null when nothing was counted.
 */
export const quantileMs = (before: Buckets, after: Buckets, q: number): number | null => {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((bound) => after.get(bound)! - (before.get(bound) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let index = counts.findIndex((count) => count >= rank);
  if (bounds[index] === Infinity) index -= 1;
  const upper = bounds[index]!;
  const lower = index > 0 ? bounds[index - 1]! : 0;
  const below = index > 0 ? counts[index - 1]! : 0;
  const inBucket = counts[index]! - below;
  const fraction = inBucket > 0 ? (rank - below) / inBucket : 1;
  return (lower + (upper - lower) * Math.min(1, Math.max(0, fraction))) * 1000;
};
