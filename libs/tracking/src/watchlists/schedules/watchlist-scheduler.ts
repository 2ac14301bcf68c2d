import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUES, boundedQueueCall } from '@app/infrastructure';
import type { Watchlist } from '../watchlist.js';

export interface WatchlistSyncJob {
  watchlistId: string;
  /** Present when the run was queued by a person (API, CLI); scheduled runs create their own. */
  runId?: string;
}

const schedulerIdOf = (watchlistId: string): string => `watchlist:${watchlistId}`;

/**
 * Each watchlist's schedule is a BullMQ job scheduler, kept in Redis so it survives restarts of every
 * process; the worker re-creates them all from PostgreSQL at start, so a wiped Redis loses none.
 */
@Injectable()
export class WatchlistScheduler {
  private readonly logger = new Logger(WatchlistScheduler.name);

  constructor(@InjectQueue(QUEUES.watchlists) private readonly queue: Queue<WatchlistSyncJob>) {}

  async schedule(watchlist: Watchlist): Promise<void> {
    // An upsert replaces the scheduler's pending sync with one at the next time from now, so one that fell
    // due while no worker was running would be dropped: a scheduler already as asked, its sync pending, stays.
    const existing = await boundedQueueCall(this.queue.getJobScheduler(schedulerIdOf(watchlist.id)));
    if (
      existing?.pattern === watchlist.schedule.cron &&
      existing.tz === watchlist.schedule.timeZone &&
      typeof existing.next === 'number' &&
      (await this.isPending(`repeat:${schedulerIdOf(watchlist.id)}:${existing.next}`))
    ) {
      return;
    }
    await boundedQueueCall(
      this.queue.upsertJobScheduler(
        schedulerIdOf(watchlist.id),
        { pattern: watchlist.schedule.cron, tz: watchlist.schedule.timeZone },
        { name: 'sync', data: { watchlistId: watchlist.id } },
      ),
    );
  }

  private async isPending(jobId: string): Promise<boolean> {
    const state = await boundedQueueCall(this.queue.getJobState(jobId));
    return ['delayed', 'waiting', 'prioritized'].includes(state);
  }

  async unschedule(watchlistId: string): Promise<void> {
    await boundedQueueCall(this.queue.removeJobScheduler(schedulerIdOf(watchlistId)));
  }

  async isScheduled(watchlistId: string): Promise<boolean> {
    return (await boundedQueueCall(this.queue.getJobScheduler(schedulerIdOf(watchlistId)))) !== undefined;
  }

  /** Makes Redis hold exactly the schedulers of these watchlists. */
  async reconcile(watchlists: Watchlist[]): Promise<void> {
    for (const watchlist of watchlists) await this.schedule(watchlist);
    const wanted = new Set(watchlists.map((watchlist) => schedulerIdOf(watchlist.id)));
    for (const scheduler of await this.queue.getJobSchedulers(0, -1)) {
      if (scheduler.key && scheduler.key.startsWith('watchlist:') && !wanted.has(scheduler.key)) {
        await this.queue.removeJobScheduler(scheduler.key);
      }
    }
    this.logger.debug(`${watchlists.length} watchlist schedule(s) in place`);
  }

  async enqueue(job: WatchlistSyncJob): Promise<void> {
    await boundedQueueCall(this.queue.add('sync', job, { jobId: job.runId }));
  }
}
