import { CommandBus } from '@nestjs/cqrs';
import { Database } from '@app/infrastructure';
import { AcceptSnapshotCommand } from '@app/tracking/ingestion';
import { BenchEnvironment } from '../lib/environment.js';
import { waitForProjections } from '../lib/projections-caught-up.js';
import { generateStudy } from '../lib/study-generator.js';

export interface ScalingRun {
  workers: number;
  snapshots: number;
  /** Snapshots per second through the queue (POST /snapshots path): ingested by the workers and projected. */
  perSecond: number;
}

/** The queued path (as POST /snapshots uses it) with `workers` worker processes sharing one Redis. */
export const workerScaling = async (workers: number, snapshots: number): Promise<ScalingRun> => {
  const bench = await BenchEnvironment.create();
  try {
    await Promise.all(Array.from({ length: workers }, () => bench.startWorker({ INGEST_CONCURRENCY: '4' })));
    const commands = bench.context.get(CommandBus);
    const documents = Array.from({ length: snapshots }, (_, index) =>
      Buffer.from(JSON.stringify(generateStudy(index))),
    );
    const database = bench.context.get(Database);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let index = next++; index < snapshots; index = next++) {
          await commands.execute(
            new AcceptSnapshotCommand({ content: documents[index]!, mediaType: 'application/json', source: 'bench' }),
          );
        }
      }),
    );
    for (;;) {
      const [row] = await database.query<{ queued: string }>(
        `SELECT count(*) AS queued FROM ingestions WHERE status = 'queued'`,
      );
      if (Number(row!.queued) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await waitForProjections(bench.context);
    return { workers, snapshots, perSecond: snapshots / ((performance.now() - started) / 1000) };
  } finally {
    await bench.close();
  }
};
