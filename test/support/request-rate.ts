/** The most requests that arrived within any window of `windowMs` (a window [t, t + windowMs) starting at any arrival). */
export const maxInAnyWindow = (arrivals: readonly number[], windowMs = 1_000): number => {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
};

/** The shortest time between two consecutive arrivals, or null with fewer than two. */
export const shortestGap = (arrivals: readonly number[]): number | null => {
  const sorted = [...arrivals].sort((a, b) => a - b);
  if (sorted.length < 2) return null;
  return Math.min(...sorted.slice(1).map((at, index) => at - sorted[index]!));
};
