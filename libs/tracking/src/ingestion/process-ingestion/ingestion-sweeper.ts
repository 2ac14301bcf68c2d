import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig, Clock, QUEUES } from '@app/infrastructure';
import { INGEST_JOB_OPTIONS, type IngestJob } from '../accept-snapshot/accept-snapshot.handler.js';
import { SnapshotStore } from '../snapshot-store.js';

/**
 * Re-queues ingestions whose job went missing (Redis flushed, the api died between commit and enqueue).
 * Ingestions in PostgreSQL are the truth; the jobs are only how the worker hears of them.
 */
@Injectable()
export class IngestionSweeper {
  private readonly logger = new Logger(IngestionSweeper.name);

  constructor(
    private readonly store: SnapshotStore,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.ingest) private readonly queue: Queue<IngestJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.ingestSweepAfterMs).toISOString();
    const ids = await this.store.queuedBefore(cutoff, 1000);
    const lost: string[] = [];
    for (const ingestionId of ids) {
      const state = await this.queue.getJobState(ingestionId);
      if (state === 'failed') await this.queue.remove(ingestionId);
      if (state === 'failed' || state === 'unknown') lost.push(ingestionId);
    }
    if (lost.length === 0) return 0;
    await this.queue.addBulk(
      lost.map((ingestionId) => ({
        name: 'ingest',
        data: { ingestionId },
        opts: { jobId: ingestionId, ...INGEST_JOB_OPTIONS },
      })),
    );
    this.logger.log(`Re-queued ${lost.length} ingestions whose job was lost`);
    return lost.length;
  }
}
