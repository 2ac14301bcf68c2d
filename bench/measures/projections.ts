import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Database } from '@app/infrastructure';
import {
  CatchUpProjectionsCommand,
  GetProjectionStatusQuery,
  RebuildProjectionCommand,
} from '@app/tracking/read-models';
import { IngestSnapshotsCommand } from '@app/tracking/ingestion';
import { BenchEnvironment } from '../lib/environment.js';
import { changedStudy, ingestDocuments } from '../lib/load.js';
import { waitForProjections } from '../lib/projections-caught-up.js';
import { percentile } from '../lib/stats.js';
import { generateStudy } from '../lib/study-generator.js';

export interface ProjectionRun {
  events: number;
  /**
   * Events per second of each projection rebuilt from the start of the store as `trialwatch projections
   * rebuild` does it (shadow tables filled beside the live ones, then swapped in), alone on the machine.
   */
  perSecond: Record<string, number>;
  /** All five rebuilt one after another: events applied per second of wall time. */
  allPerSecond: number;
  /** Events per second of each projection catching up its empty live tables right after the load. */
  caughtUpPerSecond: Record<string, number>;
  /** Under steady ingestion (a worker projecting): ms from an append's commit until each projection has applied it. */
  lagMs: Record<string, { p50: number; p99: number }>;
  steadyRatePerSecond: number;
}

/** Projection throughput from scratch (caught up, then rebuilt), then projection lag while snapshots keep arriving. */
export const projections = async (
  studies: number,
  steadySeconds: number,
  steadyRate: number,
): Promise<ProjectionRun> => {
  const bench = await BenchEnvironment.create({ PROJECTION_WAKE_INTERVAL_MS: '5000' });
  try {
    await ingestDocuments(bench.context, studies, generateStudy);
    await ingestDocuments(bench.context, studies, (index) => changedStudy(index, 1));
    await ingestDocuments(bench.context, studies, (index) => changedStudy(index, 2));
    const database = bench.context.get(Database);
    const [{ events } = { events: '0' }] = await database.query<{ events: string }>(
      'SELECT count(*) AS events FROM events',
    );
    const commands = bench.context.get(CommandBus);
    const names = (await bench.context.get(QueryBus).execute(new GetProjectionStatusQuery())).map(
      (status) => status.name,
    );
    const perSecond: Record<string, number> = {};
    const caughtUpPerSecond: Record<string, number> = {};
    const timed = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      return (performance.now() - started) / 1000;
    };
    for (const name of names) {
      caughtUpPerSecond[name] =
        Number(events) / (await timed(() => commands.execute(new CatchUpProjectionsCommand(name))));
    }
    let total = 0;
    for (const name of names) {
      const seconds = await timed(() => commands.execute(new RebuildProjectionCommand(name)));
      perSecond[name] = Number(events) / seconds;
      total += seconds;
    }

    // Steady ingestion: small batches of changed studies at a fixed rate, a worker projecting them.
    await bench.startWorker({ PROJECTION_WAKE_INTERVAL_MS: '5000' });
    const commits: { position: bigint; transactionId: bigint; at: number }[] = [];
    const lags = new Map<string, number[]>(names.map((name) => [name, []]));
    const pending = new Map<string, number>(names.map((name) => [name, 0]));
    let sampling = true;
    const sampler = (async () => {
      while (sampling || [...pending.values()].some((index) => index < commits.length)) {
        const checkpoints = await database.query<{ name: string; transaction_id: string; global_position: string }>(
          `SELECT name, transaction_id::text AS transaction_id, global_position::text AS global_position FROM projection_checkpoints`,
        );
        const now = performance.now();
        for (const checkpoint of checkpoints) {
          if (!pending.has(checkpoint.name)) continue;
          let index = pending.get(checkpoint.name)!;
          const [tx, position] = [BigInt(checkpoint.transaction_id), BigInt(checkpoint.global_position)];
          while (
            index < commits.length &&
            (commits[index]!.transactionId < tx ||
              (commits[index]!.transactionId === tx && commits[index]!.position <= position))
          ) {
            lags.get(checkpoint.name)!.push(now - commits[index]!.at);
            index += 1;
          }
          pending.set(checkpoint.name, index);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const perTick = Math.max(1, Math.round(steadyRate / 10));
    const ticks = steadySeconds * 10;
    for (let tick = 0; tick < ticks; tick += 1) {
      const tickStarted = performance.now();
      const documents = Array.from({ length: perTick }, (_, offset) =>
        changedStudy((tick * perTick + offset) % studies, 3 + Math.floor((tick * perTick + offset) / studies)),
      );
      const outcomes = await commands.execute(
        new IngestSnapshotsCommand(
          documents.map((document) => ({
            content: Buffer.from(JSON.stringify(document)),
            mediaType: 'application/json',
            source: 'bench',
          })),
        ),
      );
      const committedAt = performance.now();
      const last = outcomes.flatMap((outcome) => outcome.results.flatMap((trial) => trial.events)).at(-1);
      if (last) {
        const [stored] = await database.query<{ transaction_id: string }>(
          'SELECT transaction_id::text AS transaction_id FROM events WHERE event_id = $1',
          [last.eventId],
        );
        commits.push({
          position: BigInt(last.globalPosition),
          transactionId: BigInt(stored!.transaction_id),
          at: committedAt,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (performance.now() - tickStarted))));
    }
    sampling = false;
    await waitForProjections(bench.context);
    await sampler;
    return {
      events: Number(events),
      perSecond,
      allPerSecond: (Number(events) * names.length) / total,
      caughtUpPerSecond,
      lagMs: Object.fromEntries(
        [...lags].map(([name, values]) => [name, { p50: percentile(values, 50), p99: percentile(values, 99) }]),
      ),
      steadyRatePerSecond: steadyRate,
    };
  } finally {
    await bench.close();
  }
};
