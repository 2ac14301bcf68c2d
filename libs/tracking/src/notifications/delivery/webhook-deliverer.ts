import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import {
  APP_CONFIG,
  type AppConfig,
  Clock,
  Database,
  EventStore,
  OutboundHttp,
  OutboundPolicy,
  redactUrl,
  type StoredEvent,
  Metrics,
} from '@app/infrastructure';
import { SubscriptionStore, type SubscriptionRecord } from '../subscriptions/subscription-store.js';
import { postWebhook, WEBHOOK_URLS, type WebhookResponse } from './webhook-sender.js';
import { webhookPayload } from './webhook-payload.js';

interface DueDelivery {
  event_id: string;
  nct_id: string;
  attempts: number;
}

const BATCH = 50;
const PARALLEL_TRIALS = 8;

const lockKeyOf = (subscriptionId: string): string =>
  createHash('sha256').update(`deliveries:${subscriptionId}`).digest().readBigInt64BE(0).toString();

/** Spreads retries of many failing deliveries over ±20 % of their wait. */
const jittered = (ms: number): number => Math.round(ms * (0.8 + Math.random() * 0.4));

export interface DeliveryRound {
  delivered: number;
  failed: number;
  /** When the earliest remaining pending delivery is due, if any. */
  nextDueAt: Date | null;
}

/**
 * Delivers a subscription's due deliveries, oldest first. A trial's deliveries go one at a time in
 * stream order: a later event of a trial waits while an earlier one is still pending (retrying),
 * while other trials go ahead. No transaction stays open during HTTP calls.
 */
@Injectable()
export class WebhookDeliverer {
  private readonly logger = new Logger(WebhookDeliverer.name);

  constructor(
    private readonly database: Database,
    private readonly eventStore: EventStore,
    private readonly subscriptions: SubscriptionStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly policy: OutboundPolicy,
    private readonly http: OutboundHttp,
  ) {}

  /** Null when another worker is delivering for this subscription right now. */
  async deliverDue(subscriptionId: string): Promise<DeliveryRound | null> {
    return this.database.session(async (session) => {
      const [lock] = await session.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [
        lockKeyOf(subscriptionId),
      ]);
      if (!lock?.acquired) return null;
      try {
        return await this.deliverRounds(subscriptionId);
      } finally {
        await session.query('SELECT pg_advisory_unlock($1::bigint)', [lockKeyOf(subscriptionId)]);
      }
    });
  }

  private async deliverRounds(subscriptionId: string): Promise<DeliveryRound> {
    const round: DeliveryRound = { delivered: 0, failed: 0, nextDueAt: null };
    for (;;) {
      const subscription = await this.subscriptions.get(subscriptionId, this.clock.now()).catch(() => null);
      if (!subscription || subscription.status !== 'active') return round;
      const due = await this.database.query<DueDelivery>(
        // Each trial's earliest pending delivery, if due: later ones wait for it (stream order). Written as
        // DISTINCT ON over the pending-by-trial index, which stays linear in the backlog whatever the statistics.
        `SELECT d.event_id, d.nct_id, d.attempts FROM (
           SELECT DISTINCT ON (nct_id) event_id, nct_id, attempts, next_attempt_at, transaction_id, global_position
           FROM deliveries WHERE subscription_id = $1 AND status = 'pending'
           ORDER BY nct_id, stream_version
         ) d
         WHERE d.next_attempt_at <= $2
         ORDER BY d.transaction_id, d.global_position
         LIMIT $3`,
        [subscriptionId, this.clock.now(), BATCH],
      );
      if (due.length === 0) break;
      const events = await this.eventStore.readByIds(due.map((delivery) => delivery.event_id));
      for (let index = 0; index < due.length; index += PARALLEL_TRIALS) {
        const outcomes = await Promise.all(
          due
            .slice(index, index + PARALLEL_TRIALS)
            .map((delivery) => this.attempt(subscription, delivery, events.get(delivery.event_id)!)),
        );
        round.delivered += outcomes.filter(Boolean).length;
        round.failed += outcomes.filter((ok) => !ok).length;
      }
    }
    const [next] = await this.database.query<{ next_due_at: Date | null }>(
      `SELECT min(next_attempt_at) AS next_due_at FROM deliveries WHERE subscription_id = $1 AND status = 'pending'`,
      [subscriptionId],
    );
    round.nextDueAt = next?.next_due_at ?? null;
    return round;
  }

  /** One attempt at one delivery, logged; true when the receiver took it. */
  private async attempt(subscription: SubscriptionRecord, delivery: DueDelivery, event: StoredEvent): Promise<boolean> {
    const attemptedAt = this.clock.now();
    const body = webhookPayload(event, this.config.publicBaseUrl, this.config.webhooks.maxPayloadBytes);
    let response: WebhookResponse;
    try {
      const url = await this.policy.check(subscription.url, WEBHOOK_URLS);
      const headers = this.signatureHeaders(subscription, event.eventId, attemptedAt, body);
      response = await postWebhook(this.http, url, body, headers, this.config.webhooks.timeoutMs);
    } catch (error) {
      response = { statusCode: null, latencyMs: 0, error: (error as Error).message };
    }
    const attempt = delivery.attempts + 1;
    this.metrics.webhookLatency.observe(response.latencyMs / 1000);
    await this.database.execute(
      `INSERT INTO delivery_attempts (subscription_id, event_id, attempt, attempted_at, status_code, latency_ms, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        subscription.id,
        delivery.event_id,
        attempt,
        attemptedAt,
        response.statusCode,
        response.latencyMs,
        response.error,
      ],
    );
    if (!response.error) {
      await this.database.execute(
        `UPDATE deliveries SET status = 'delivered', attempts = $3, delivered_at = $4, last_status_code = $5, last_error = NULL
         WHERE subscription_id = $1 AND event_id = $2`,
        [subscription.id, delivery.event_id, attempt, this.clock.now(), response.statusCode],
      );
      if (subscription.failingSince) await this.subscriptions.markHealthy(subscription.id);
      this.metrics.webhookAttempts.inc({ result: 'delivered' });
      return true;
    }
    const schedule = this.config.webhooks.retryScheduleMs;
    const abandoned = attempt > schedule.length;
    await this.database.execute(
      `UPDATE deliveries SET status = $3, attempts = $4, next_attempt_at = $5, last_status_code = $6, last_error = $7
       WHERE subscription_id = $1 AND event_id = $2`,
      [
        subscription.id,
        delivery.event_id,
        abandoned ? 'abandoned' : 'pending',
        attempt,
        new Date(attemptedAt.getTime() + (abandoned ? 0 : jittered(schedule[attempt - 1]!))),
        response.statusCode,
        response.error,
      ],
    );
    this.metrics.webhookAttempts.inc({ result: abandoned ? 'abandoned' : 'failed' });
    const failingSince = await this.subscriptions.markFailing(subscription.id, attemptedAt);
    if (attemptedAt.getTime() - failingSince.getTime() >= this.config.webhooks.disableAfterMs) {
      const reason = `deliveries to ${redactUrl(subscription.url)} have failed since ${failingSince.toISOString()}; last error: ${response.error}`;
      await this.subscriptions.disable(subscription.id, reason, attemptedAt);
      this.logger.warn(`Subscription ${subscription.id} disabled: ${reason}`);
    }
    return false;
  }

  /** Standard Webhooks headers; during a secret rotation, one signature per secret. */
  private signatureHeaders(
    subscription: SubscriptionRecord,
    messageId: string,
    at: Date,
    body: string,
  ): Record<string, string> {
    const signatures = subscription.secrets.map((secret) => new Webhook(secret).sign(messageId, at, body));
    return {
      'webhook-id': messageId,
      'webhook-timestamp': Math.floor(at.getTime() / 1000).toString(),
      'webhook-signature': signatures.join(' '),
      'user-agent': 'trialwatch-webhooks',
    };
  }
}
