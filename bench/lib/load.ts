import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { IngestSnapshotsCommand } from '@app/tracking/ingestion';
import { Random } from './random.js';
import { changeStudy, generateStudy } from './study-generator.js';

export const BATCH = 500;

export interface LoadTiming {
  bytes: number;
  /** Time spent generating documents, to leave out of throughput figures. */
  generationMs: number;
}

/** Ingests documents through the bulk pipeline (as `trialwatch ingest` and watchlist syncs do), `BATCH` per transaction. */
export const ingestDocuments = async (
  context: INestApplicationContext,
  count: number,
  documentAt: (index: number) => object,
  batch = BATCH,
): Promise<LoadTiming> => {
  const commands = context.get(CommandBus);
  const timing: LoadTiming = { bytes: 0, generationMs: 0 };
  for (let first = 0; first < count; first += batch) {
    const generating = performance.now();
    const contents = Array.from({ length: Math.min(batch, count - first) }, (_, offset) =>
      Buffer.from(JSON.stringify(documentAt(first + offset))),
    );
    timing.generationMs += performance.now() - generating;
    timing.bytes += contents.reduce((sum, content) => sum + content.byteLength, 0);
    await commands.execute(
      new IngestSnapshotsCommand(
        contents.map((content) => ({ content, mediaType: 'application/json', source: 'bench' })),
      ),
    );
  }
  return timing;
};

/** Study `index` after `changes` registry updates, one every few weeks from its registration. */
export const changedStudy = (index: number, changes: number): object => {
  const random = new Random(7_919 * index + changes);
  let study = generateStudy(index);
  for (let change = 1; change <= changes; change += 1) study = changeStudy(study, random, 2100 + change * 30);
  return study;
};
