import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import {
  APP_CONFIG,
  type AppConfig,
  Clock,
  QUEUES,
  JobSchedules,
  WORKER_OPTIONS,
  webhookDeliverySessions,
} from '@app/infrastructure';
import { SubscriptionStore } from '../subscriptions/subscription-store.js';
import { MATCH_JOB } from '../matching/matcher-wake-up.js';
import { NotificationMatcher } from '../matching/notification-matcher.js';
import { DeliveryBatches } from './delivery-batches.js';
import { type DeliveryRound, WebhookDeliverer } from './webhook-deliverer.js';

export const DELIVER_JOB = 'deliver';
const SWEEP_JOB = 'sweep';
/** How long and how often a wake-up looks again for events not yet visible to the matcher. */
const MATCH_RETRY_FOR_MS = 1000;
const MATCH_RETRY_EVERY_MS = 10;

export const deliverJob = (subscriptionId: string) => ({
  name: DELIVER_JOB,
  data: { subscriptionId },
  opts: { deduplication: { id: `${DELIVER_JOB}:${subscriptionId}`, keepLastIfActive: true } },
});

/**
 * How long a subscription's own job waits for another pass delivering to it (a group's) to end, and
 * how often it looks; past that, the sweep delivers what is left.
 */
const BUSY_WAIT_MS = 5000;
const BUSY_LOOK_EVERY_MS = 50;

export const DELIVER_GROUP_JOB = 'deliver-group';
/** Subscriptions per job when the matcher wakes many at once (grouped, a fan-out went about a third faster). */
const DELIVERY_GROUP_SIZE = 64;

export const deliverGroupJobs = (subscriptionIds: readonly string[]) =>
  Array.from({ length: Math.ceil(subscriptionIds.length / DELIVERY_GROUP_SIZE) }, (_, index) => ({
    name: DELIVER_GROUP_JOB,
    data: { subscriptionIds: subscriptionIds.slice(index * DELIVERY_GROUP_SIZE, (index + 1) * DELIVERY_GROUP_SIZE) },
  }));

/**
 * Matches new events to subscriptions and delivers webhooks. A regular sweep re-runs the matcher and
 * delivers whatever is due (retries, and first attempts whose own job has not delivered them within one
 * sweep interval), so the queue holds nothing that PostgreSQL does not.
 */
@Processor(QUEUES.notifications, WORKER_OPTIONS)
export class NotificationsProcessor extends WorkerHost implements OnModuleInit, OnApplicationBootstrap {
  private readonly batches: DeliveryBatches;

  constructor(
    private readonly matcher: NotificationMatcher,
    private readonly deliverer: WebhookDeliverer,
    private readonly subscriptions: SubscriptionStore,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedules: JobSchedules,
  ) {
    super();
    this.batches = new DeliveryBatches((ids) => this.deliverer.deliverDueMany(ids), webhookDeliverySessions(config));
  }

  onModuleInit(): void {
    this.schedules.keep('notification sweep', () =>
      this.queue
        .upsertJobScheduler(SWEEP_JOB, { every: this.config.projectionWakeIntervalMs }, { name: SWEEP_JOB })
        .then(() => undefined),
    );
  }

  onApplicationBootstrap(): void {
    // Delivery jobs for different subscriptions run side by side, gathered into shared passes; one
    // subscription's deliveries stay in one job at a time (deduplicated jobs, an advisory lock).
    this.worker.concurrency = this.config.webhooks.deliveryConcurrency;
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case MATCH_JOB:
        return this.match();
      case DELIVER_JOB:
        return this.deliverWhenFree(job.data.subscriptionId as string);
      case DELIVER_GROUP_JOB:
        return this.deliverGroup(job.data.subscriptionIds as string[]);
      case SWEEP_JOB: {
        await this.match();
        const now = this.clock.now();
        const handedOffSince = new Date(now.getTime() - this.config.projectionWakeIntervalMs);
        const due = await this.subscriptions.withDueDeliveries(now, handedOffSince);
        if (due.length > 0) await this.queue.addBulk(due.map(deliverJob));
        return { due: due.length };
      }
      default:
        return null;
    }
  }

  /**
   * One subscription's pass; while another pass delivers to it, waits for that one to end, so that what
   * the matcher added meanwhile goes out then rather than at the next sweep.
   */
  private async deliverWhenFree(subscriptionId: string): Promise<DeliveryRound | null> {
    const deadline = performance.now() + BUSY_WAIT_MS;
    for (;;) {
      const round = await this.batches.deliver(subscriptionId);
      if (round !== null || performance.now() >= deadline) return round;
      await new Promise((resolve) => setTimeout(resolve, BUSY_LOOK_EVERY_MS));
    }
  }

  /**
   * Delivers to a group of subscriptions in shared passes. One that another pass is delivering to right
   * now gets a job of its own, which runs once that pass has ended.
   */
  private async deliverGroup(subscriptionIds: string[]): Promise<{ subscriptions: number; busy: number }> {
    const rounds = await this.batches.deliverGroup(subscriptionIds);
    const busy = subscriptionIds.filter((id) => rounds.get(id) === null);
    if (busy.length > 0) await this.queue.addBulk(busy.map(deliverJob));
    return { subscriptions: subscriptionIds.length, busy: busy.length };
  }

  /**
   * Matches until caught up. Events the matcher cannot see yet (an older transaction still runs, or the
   * sweep's matcher holds the lock) are looked for again every few ms for up to a second, rather than
   * waiting for the next sweep; later than that, the sweep finds them.
   */
  private async match(): Promise<{ events: number }> {
    let events = 0;
    const deadline = performance.now() + MATCH_RETRY_FOR_MS;
    for (;;) {
      const batch = await this.matcher.matchBatch();
      if (batch) {
        events += batch.events;
        if (batch.subscriptionIds.length > 0) await this.queue.addBulk(deliverGroupJobs(batch.subscriptionIds));
        continue;
      }
      if (performance.now() >= deadline || !(await this.matcher.behind())) return { events };
      await new Promise((resolve) => setTimeout(resolve, MATCH_RETRY_EVERY_MS));
    }
  }
}
