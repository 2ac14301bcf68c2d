import { BenchEnvironment } from '../lib/environment.js';
import { ingestDocuments } from '../lib/load.js';
import { ownPeakRssMiB, peakRssMiB } from '../lib/process-memory.js';
import { waitForProjections } from '../lib/projections-caught-up.js';
import { generateStudy } from '../lib/study-generator.js';

export interface FirstLoadRun {
  studies: number;
  megabytes: number;
  /** Snapshots per second from the first batch until every read model has caught up (generation excluded). */
  endToEndPerSecond: number;
  /** Snapshots per second of parse, diff and append alone. */
  ingestPerSecond: number;
  /** Seconds the projections needed after the last append. */
  projectionTailSeconds: number;
  peakRssMiB: { ingesting: number; worker: number | null };
}

/** N new studies through the bulk pipeline while a worker projects them. */
export const firstLoad = async (studies: number): Promise<FirstLoadRun> => {
  const bench = await BenchEnvironment.create();
  try {
    const worker = await bench.startWorker();
    const started = performance.now();
    const timing = await ingestDocuments(bench.context, studies, generateStudy);
    const appended = performance.now();
    await waitForProjections(bench.context);
    const caughtUp = performance.now();
    return {
      studies,
      megabytes: Math.round(timing.bytes / 1_048_576),
      endToEndPerSecond: studies / ((caughtUp - started - timing.generationMs) / 1000),
      ingestPerSecond: studies / ((appended - started - timing.generationMs) / 1000),
      projectionTailSeconds: (caughtUp - appended) / 1000,
      peakRssMiB: { ingesting: ownPeakRssMiB(), worker: worker.pid ? peakRssMiB(worker.pid) : null },
    };
  } finally {
    await bench.close();
  }
};
