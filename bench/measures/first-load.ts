import { BenchEnvironment } from '../lib/environment.js';
import { ingestDocuments } from '../lib/load.js';
import { Database } from '@app/infrastructure';
import { cpuSeconds, ownCpuSeconds, ownPeakRssMiB, peakRssMiB } from '../lib/process-memory.js';
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
  /**
   * Where the time went, as CPU seconds per snapshot-second of wall time (2 cores: at most 2 in all):
   * this process (parse, diff, append), the worker (projections), PostgreSQL (its backends on this database).
   */
  coresBusy: { ingesting: number; worker: number | null; postgres: number | null };
}

/** CPU seconds so far of the PostgreSQL backends serving this database (when the server runs on this machine). */
const postgresCpuSeconds = async (database: Database): Promise<number | null> => {
  const backends = await database.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  const seconds = backends.map((backend) => cpuSeconds(backend.pid));
  return seconds.some((value) => value === null) ? null : seconds.reduce<number>((sum, value) => sum + value!, 0);
};

/** N new studies through the bulk pipeline while a worker projects them. */
export const firstLoad = async (studies: number): Promise<FirstLoadRun> => {
  const bench = await BenchEnvironment.create();
  try {
    const worker = await bench.startWorker();
    const database = bench.context.get(Database);
    const cpuBefore = {
      ingesting: ownCpuSeconds(),
      worker: worker.pid ? cpuSeconds(worker.pid) : null,
      postgres: await postgresCpuSeconds(database),
    };
    const started = performance.now();
    const timing = await ingestDocuments(bench.context, studies, generateStudy);
    const appended = performance.now();
    await waitForProjections(bench.context);
    const caughtUp = performance.now();
    const wallSeconds = (caughtUp - started - timing.generationMs) / 1000;
    const busy = (before: number | null, after: number | null, exclude = 0) =>
      before === null || after === null ? null : (after - before - exclude) / wallSeconds;
    const coresBusy = {
      // Generating the documents is the benchmark's own work, not the pipeline's.
      ingesting: busy(cpuBefore.ingesting, ownCpuSeconds(), timing.generationMs / 1000)!,
      worker: busy(cpuBefore.worker, worker.pid ? cpuSeconds(worker.pid) : null),
      postgres: busy(cpuBefore.postgres, await postgresCpuSeconds(database)),
    };
    return {
      studies,
      megabytes: Math.round(timing.bytes / 1_048_576),
      endToEndPerSecond: studies / wallSeconds,
      ingestPerSecond: studies / ((appended - started - timing.generationMs) / 1000),
      projectionTailSeconds: (caughtUp - appended) / 1000,
      peakRssMiB: { ingesting: ownPeakRssMiB(), worker: worker.pid ? peakRssMiB(worker.pid) : null },
      coresBusy,
    };
  } finally {
    await bench.close();
  }
};
