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
import { WebhookDeliverer } from './webhook-deliverer.js';

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
 * Matches new events to subscriptions and delivers webhooks. A regular sweep re-runs the matcher and
 * delivers whatever is due (retries included), so the queue holds nothing that PostgreSQL does not.
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
        return this.batches.deliver(job.data.subscriptionId as string);
      case SWEEP_JOB: {
        await this.match();
        const due = await this.subscriptions.withDueDeliveries(this.clock.now());
        if (due.length > 0) await this.queue.addBulk(due.map(deliverJob));
        return { due: due.length };
      }
      default:
        return null;
    }
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
        if (batch.subscriptionIds.length > 0) await this.queue.addBulk(batch.subscriptionIds.map(deliverJob));
        continue;
      }
      if (performance.now() >= deadline || !(await this.matcher.behind())) return { events };
      await new Promise((resolve) => setTimeout(resolve, MATCH_RETRY_EVERY_MS));
    }
  }
}
