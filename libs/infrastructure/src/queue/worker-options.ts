/**
 * BullMQ worker settings shared by every processor. A job's lock is renewed while it runs; a worker
 * that dies stops renewing it, and another worker takes the job over within about `lockDuration`.
 * A job caught in several crashes fails rather than loops; ingestions it carried are re-queued by the sweep.
 */
export const WORKER_OPTIONS = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 3 } as const;
