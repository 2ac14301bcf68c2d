import { getQueueToken } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { QUEUES } from '@app/infrastructure';
import {
  createTestEnvironment,
  eventually,
  type TestEnvironment,
} from '../../../../../test/support/test-environment.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { CreateWatchlistCommand } from '../manage/create-watchlist.command.js';
import { UpdateWatchlistCommand } from '../manage/update-watchlist.command.js';
import type { Watchlist } from '../watchlist.js';
import { WatchlistStore } from '../watchlist-store.js';
import { WatchlistScheduler } from './watchlist-scheduler.js';

/*
 * Watchlist schedules in real Redis, with no worker running: what the worker does to them when it
 * starts (and every SCHEDULER_REFRESH_MS after), re-declaring every schedule from PostgreSQL.
 */
describe('watchlist schedules re-declared by a starting worker', () => {
  let environment: TestEnvironment;
  let module: TestingModule;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    module = await createTrackingModule(environment);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  it('keeps a sync that fell due while no worker was running, so it runs when the worker starts', async () => {
    const queue = module.get<Queue>(getQueueToken(QUEUES.watchlists), { strict: false });
    const watchlist: Watchlist = await module.get(CommandBus).execute(
      new CreateWatchlistCommand({
        name: 'due while down',
        nctIds: ['NCT09500001'],
        schedule: { cron: '*/2 * * * * *' },
      }),
    );
    const syncsDueBy = async (instant: number) =>
      (await queue.getJobs(['delayed', 'wait'])).filter(
        (job) => job.data.watchlistId === watchlist.id && job.timestamp + (job.opts.delay ?? 0) <= instant,
      );
    // No worker takes the queue's jobs: the sync the schedule holds falls due, and stays waiting for one.
    await eventually(async () => (await syncsDueBy(Date.now())).length === 1, 5_000);
    const due = (await syncsDueBy(Date.now()))[0]!;

    // The worker starts and re-declares every schedule from PostgreSQL before it takes jobs.
    await module.get(WatchlistScheduler).reconcile(await module.get(WatchlistStore).list());

    expect((await syncsDueBy(Date.now())).map((job) => job.id)).toEqual([due.id]);
    expect(await module.get(WatchlistScheduler).isScheduled(watchlist.id)).toBe(true);

    // A changed schedule is still put in place.
    await module.get(CommandBus).execute(new UpdateWatchlistCommand(watchlist.id, { schedule: { cron: '0 6 * * *' } }));
    expect(await queue.getJobScheduler(`watchlist:${watchlist.id}`)).toMatchObject({ pattern: '0 6 * * *', tz: 'UTC' });
  });
});
