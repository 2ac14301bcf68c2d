import { CommandBus } from '@nestjs/cqrs';
import { IngestSnapshotsCommand } from '@app/tracking';
import { startWorker } from '../../test/support/app-processes.js';
import { createTestEnvironment } from '../../test/support/test-environment.js';
import { createBenchContext } from '../lib/bench-context.js';
import { ownPeakRssMiB, peakRssMiB } from '../lib/process-memory.js';
import { waitForProjections } from '../lib/projections-caught-up.js';
import { generateStudy } from '../lib/study-generator.js';

export const BATCH = 500;

export interface FirstLoadRun {
  studies: number;
  megabytes: number;
  /** Snapshots per second from the first batch to every read model caught up (generation excluded). */
  endToEndPerSecond: number;
  /** Snapshots per second of parse, diff, append alone. */
  ingestPerSecond: number;
  /** Seconds the projections needed after the last append. */
  projectionTailSeconds: number;
  peakRss: { ingestingProcess: number; worker: number | null };
}

/** N new studies through the bulk pipeline (as `trialwatch ingest` does) while a worker projects them. */
export const firstLoad = async (studies: number): Promise<FirstLoadRun> => {
  const environment = await createTestEnvironment({ logLevel: 'warn' }, { purpose: 'bench' });
  const context = await createBenchContext(environment.config);
  const worker = await startWorker({ ...environment.env, PROJECTION_WAKE_INTERVAL_MS: '1000' });
  let workerRss: number | null = null;
  try {
    const commands = context.get(CommandBus);
    let generationMs = 0;
    let bytes = 0;
    const started = performance.now();
    for (let first = 0; first < studies; first += BATCH) {
      const generating = performance.now();
      const contents = Array.from({ length: Math.min(BATCH, studies - first) }, (_, offset) => Buffer.from(JSON.stringify(generateStudy(first + offset))));
      generationMs += performance.now() - generating;
      bytes += contents.reduce((sum, content) => sum + content.byteLength, 0);
      await commands.execute(new IngestSnapshotsCommand(contents.map((content) => ({ content, mediaType: 'application/json', source: 'bench' }))));
    }
    const appended = performance.now();
    await waitForProjections(context);
    const caughtUp = performance.now();
    workerRss = worker.pid ? peakRssMiB(worker.pid) : null;
    return {
      studies,
      megabytes: Math.round(bytes / 1_048_576),
      endToEndPerSecond: studies / ((caughtUp - started - generationMs) / 1000),
      ingestPerSecond: studies / ((appended - started - generationMs) / 1000),
      projectionTailSeconds: (caughtUp - appended) / 1000,
      peakRss: { ingestingProcess: ownPeakRssMiB(), worker: workerRss },
    };
  } finally {
    await worker.stop();
    await context.close();
    await environment.teardown();
  }
};
