import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Clock, QUEUES, JobSchedules, WORKER_OPTIONS } from '@app/infrastructure';
import type { WatchlistSyncJob } from '../schedules/watchlist-scheduler.js';
import { WatchlistScheduler } from '../schedules/watchlist-scheduler.js';
import { WatchlistStore } from '../watchlist-store.js';
import { WatchlistNotFoundError } from '../watchlist.js';
import { WatchlistSync } from './watchlist-sync.js';

/** Runs watchlist syncs, scheduled or asked for. */
@Processor(QUEUES.watchlists, { ...WORKER_OPTIONS, concurrency: 2 })
export class WatchlistsProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly sync: WatchlistSync,
    private readonly store: WatchlistStore,
    private readonly scheduler: WatchlistScheduler,
    private readonly clock: Clock,
    private readonly schedules: JobSchedules,
  ) {
    super();
  }

  onModuleInit(): void {
    this.schedules.keep('watchlist', async () => this.scheduler.reconcile(await this.store.list()));
  }

  async process(job: Job<WatchlistSyncJob>): Promise<{ runId: string; status: string } | null> {
    const exists = await this.store.get(job.data.watchlistId).catch((error: unknown) => {
      if (error instanceof WatchlistNotFoundError) return null;
      throw error;
    });
    if (!exists) {
      // A schedule that outlived its watchlist (deleted while Redis was away).
      await this.scheduler.unschedule(job.data.watchlistId);
      return null;
    }
    let runId = job.data.runId;
    if (!runId) {
      runId = (await this.store.queueRun(randomUUID(), job.data.watchlistId, 'schedule', this.clock.nowIso())).id;
      // A job taken up again (its worker died mid-run) goes on with the same run, rather than leave it running.
      await job.updateData({ ...job.data, runId });
    }
    const run = await this.sync.run(runId);
    return run ? { runId, status: run.status } : null;
  }
}
