import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, Clock } from '@app/infrastructure';
import { IngestQueue } from '../ingest-queue.js';
import { SnapshotStore } from '../snapshot-store.js';

/**
 * Re-queues ingestions whose job went missing (Redis flushed, the api died between commit and enqueue).
 * Ingestions in PostgreSQL are the truth; the jobs are only how the worker hears of them. Only `queued`
 * ingestions are looked at: a `failed` one (its attempts used up) is queued again only on demand
 * (POST /ingestions/:id/retry), so a poison snapshot is not retried forever.
 */
@Injectable()
export class IngestionSweeper {
  private readonly logger = new Logger(IngestionSweeper.name);

  constructor(
    private readonly store: SnapshotStore,
    private readonly clock: Clock,
    private readonly queue: IngestQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.ingestSweepAfterMs).toISOString();
    const ids = await this.store.queuedBefore(cutoff, 1000);
    const lost: string[] = [];
    for (const ingestionId of ids) {
      const state = await this.queue.state(ingestionId);
      // A job that failed or completed while its ingestion is still queued (BullMQ gave up on it, or it
      // was an earlier round's job) wakes nobody again: it is replaced. Its attempts stay counted.
      if (state === 'failed' || state === 'completed') await this.queue.remove(ingestionId);
      if (state === 'failed' || state === 'completed' || state === 'unknown') lost.push(ingestionId);
    }
    if (lost.length === 0) return 0;
    await this.queue.addMany(lost);
    this.logger.log(`Re-queued ${lost.length} ingestions whose job was lost`);
    return lost.length;
  }
}
