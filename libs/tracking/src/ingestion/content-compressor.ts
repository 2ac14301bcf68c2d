import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Piscina } from 'piscina';
import { type CompressedContent, compressTrialContents, type TrialContents } from './content-compression.js';

/**
 * Fewer and smaller contents than these are compressed on the caller's thread: a thread's round trip
 * would cost more. A large one goes to a thread even alone (zstd takes about 3.5 ms a megabyte of
 * registry JSON).
 */
const MIN_CONTENTS_FOR_THREADS = 8;
const MIN_BYTES_FOR_THREADS = 256 * 1024;
/** Threads let go of after this long without work. */
const IDLE_THREAD_MS = 30_000;

/**
 * Compresses trials' raw contents. A batch goes to worker threads (piscina's pool, started on first use),
 * so that the bulk path's thread goes on deciding and appending while its contents are compressed.
 */
@Injectable()
export class ContentCompressor implements OnModuleDestroy {
  private pool: Piscina | null = null;

  async compress(trials: readonly TrialContents[]): Promise<CompressedContent[][]> {
    const contents = trials.flatMap((trial) => trial.contents);
    const bytes = contents.reduce((sum, content) => sum + content.byteLength, 0);
    if (contents.length < MIN_CONTENTS_FOR_THREADS && bytes < MIN_BYTES_FOR_THREADS) {
      return trials.map(compressTrialContents);
    }
    const pool = this.startedPool();
    const parts = Math.min(pool.options.maxThreads, trials.length);
    const size = Math.ceil(trials.length / parts);
    const results = await Promise.all(
      Array.from({ length: parts }, (_, part) =>
        pool.run(trials.slice(part * size, (part + 1) * size), { name: 'compressTrials' }),
      ),
    );
    return (results as CompressedContent[][][]).flat();
  }

  /** Tasks the threads have finished since the pool started. */
  get tasksOnThreads(): number {
    return this.pool?.completed ?? 0;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.destroy();
    this.pool = null;
  }

  private startedPool(): Piscina {
    this.pool ??= new Piscina({
      filename: fileURLToPath(new URL(`./content-compression${extensionOf(import.meta.url)}`, import.meta.url)),
      minThreads: 0,
      maxThreads: Math.max(1, Math.floor(availableParallelism() / 2)),
      idleTimeout: IDLE_THREAD_MS,
    });
    return this.pool;
  }
}

/** `.js` in the build, `.ts` when the tests run the sources. */
const extensionOf = (url: string): string => url.slice(url.lastIndexOf('.'));
