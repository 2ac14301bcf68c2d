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
  type Sql,
  type StoredEvent,
  Metrics,
} from '@app/infrastructure';
import { SubscriptionStore, type SubscriptionRecord } from '../subscriptions/subscription-store.js';
import { postWebhook, WEBHOOK_URLS, type WebhookResponse } from './webhook-sender.js';
import { webhookPayload } from './webhook-payload.js';

interface PendingDelivery {
  event_id: string;
  nct_id: string;
  attempts: number;
  sequence: string;
  stream_version: number;
  due: boolean;
  /** How many of this trial's earlier events (stream order) were still pending for the subscription when the page was read. */
  pending_before: number;
}

/** Pending deliveries read per page, in sequence order. */
const PAGE = 100;
const PARALLEL_TRIALS = 8;
/** Events are immutable: the ones delivered lately are kept, so a change fanned out to many subscriptions is read once. */
const EVENT_CACHE_SIZE = 64;

/** Standard Webhooks: the receiver is overloaded or briefly unavailable, so back off (honouring `Retry-After`). */
const THROTTLE_STATUSES = new Set([429, 502, 503, 504]);
/** Standard Webhooks: the endpoint is gone for good, so stop sending to it. */
const GONE = 410;

type Outcome = 'delivered' | 'failed' | 'disabled';

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
 * Delivers a subscription's due deliveries in one pass over its pending ones, in sequence order (keyset
 * paging: each pending row is read once per pass, however long the backlog). A trial's deliveries go one
 * at a time in stream order: a later event of a trial waits while an earlier one is still pending
 * (retrying), while other trials go ahead. No transaction stays open during HTTP calls.
 *
 * A delivery is never abandoned on its own: when one exhausts the retry schedule, its subscription is
 * disabled with it, so nothing later is delivered past the gap until someone recovers or re-enables it.
 */
@Injectable()
export class WebhookDeliverer {
  private readonly logger = new Logger(WebhookDeliverer.name);
  private readonly recentEvents = new Map<string, StoredEvent>();

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
    // One connection per pass: it holds the advisory lock and carries every statement of the pass.
    return this.database.session(async (sql) => {
      const [lock] = await sql.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [
        lockKeyOf(subscriptionId),
      ]);
      if (!lock?.acquired) return null;
      try {
        return await this.deliverPass(subscriptionId, sql);
      } finally {
        await sql.query('SELECT pg_advisory_unlock($1::bigint)', [lockKeyOf(subscriptionId)]);
      }
    });
  }

  private async deliverPass(subscriptionId: string, sql: Sql): Promise<DeliveryRound> {
    const round: DeliveryRound = { delivered: 0, failed: 0, nextDueAt: null };
    // Trials with a delivery left pending earlier in this pass: their later deliveries wait for it.
    const held = new Set<string>();
    let after = '0';
    for (;;) {
      const subscription = await this.subscriptions.get(subscriptionId, this.clock.now(), sql).catch(() => null);
      if (!subscription || subscription.status !== 'active') return round;
      const page = await sql.query<PendingDelivery>(
        `SELECT d.event_id, d.nct_id, d.attempts, d.sequence::text AS sequence, d.stream_version, d.next_attempt_at <= $3 AS due,
                (SELECT count(*) FROM deliveries e
                 WHERE e.subscription_id = d.subscription_id AND e.status = 'pending' AND e.nct_id = d.nct_id
                   AND e.stream_version < d.stream_version)::int AS pending_before
         FROM deliveries d
         WHERE d.subscription_id = $1 AND d.status = 'pending' AND d.sequence > $2::bigint
         ORDER BY d.sequence
         LIMIT $4`,
        [subscriptionId, after, this.clock.now(), PAGE],
      );
      if (page.length === 0) break;
      after = page[page.length - 1]!.sequence;
      const trials = new Map<string, PendingDelivery[]>();
      for (const delivery of page) {
        if (held.has(delivery.nct_id)) continue;
        trials.set(delivery.nct_id, [...(trials.get(delivery.nct_id) ?? []), delivery]);
      }
      const events = await this.readEvents(
        [...trials.values()].flat().map((row) => row.event_id),
        sql,
      );
      const queue = [...trials.values()].map((rows) => rows.sort((a, b) => a.stream_version - b.stream_version));
      let disabled = false;
      const worker = async () => {
        for (let rows = queue.shift(); rows && !disabled; rows = queue.shift()) {
          for (const [index, delivery] of rows.entries()) {
            if (disabled) break;
            // The rows before it in this page were delivered in this pass (a failure stops the trial): it is
            // first when nothing else of the trial was pending before it. Otherwise an earlier event of the
            // trial comes later in sequence order (it committed later) and goes first.
            if (delivery.pending_before !== index) break;
            if (!delivery.due) {
              held.add(delivery.nct_id);
              break;
            }
            const outcome = await this.attempt(subscription, delivery, events.get(delivery.event_id)!, sql);
            if (outcome === 'delivered') {
              round.delivered += 1;
              continue;
            }
            round.failed += 1;
            held.add(delivery.nct_id);
            if (outcome === 'disabled') disabled = true;
            break;
          }
        }
      };
      await Promise.all(Array.from({ length: PARALLEL_TRIALS }, worker));
      if (disabled) return round;
      // A short page was the last one: what the matcher adds meanwhile has its own job queued behind this one.
      if (page.length < PAGE) break;
    }
    const [next] = await sql.query<{ next_due_at: Date | null }>(
      `SELECT min(next_attempt_at) AS next_due_at FROM deliveries WHERE subscription_id = $1 AND status = 'pending'`,
      [subscriptionId],
    );
    round.nextDueAt = next?.next_due_at ?? null;
    return round;
  }

  /** The events by id, from the recently delivered ones where possible, the rest in one read. */
  private async readEvents(eventIds: string[], sql: Sql): Promise<Map<string, StoredEvent>> {
    const found = new Map<string, StoredEvent>();
    const missing: string[] = [];
    for (const eventId of eventIds) {
      const cached = this.recentEvents.get(eventId);
      if (cached) found.set(eventId, cached);
      else missing.push(eventId);
    }
    if (missing.length === 0) return found;
    for (const [eventId, event] of await this.eventStore.readByIds(missing, sql)) {
      found.set(eventId, event);
      this.recentEvents.delete(eventId);
      this.recentEvents.set(eventId, event);
    }
    for (const oldest of this.recentEvents.keys()) {
      if (this.recentEvents.size <= EVENT_CACHE_SIZE) break;
      this.recentEvents.delete(oldest);
    }
    return found;
  }

  /** One attempt at one delivery, logged, and what came of it. */
  private async attempt(
    subscription: SubscriptionRecord,
    delivery: PendingDelivery,
    event: StoredEvent,
    sql: Sql,
  ): Promise<Outcome> {
    const attemptedAt = this.clock.now();
    const body = webhookPayload(
      event,
      delivery.sequence,
      this.config.publicBaseUrl,
      this.config.webhooks.maxPayloadBytes,
    );
    let response: WebhookResponse;
    try {
      const url = await this.policy.check(subscription.url, WEBHOOK_URLS);
      const headers = this.signatureHeaders(subscription, event.eventId, attemptedAt, body);
      response = await postWebhook(this.http, url, body, headers, this.config.webhooks.timeoutMs);
    } catch (error) {
      response = { statusCode: null, latencyMs: 0, error: (error as Error).message, retryAfterMs: null };
    }
    const attempt = delivery.attempts + 1;
    this.metrics.webhookLatency.observe(response.latencyMs / 1000);
    // The attempt's log row and the delivery's new state, in one statement.
    const record = (update: string, parameters: unknown[]) =>
      sql.execute(
        `WITH logged AS (
           INSERT INTO delivery_attempts (subscription_id, event_id, attempt, attempted_at, status_code, latency_ms, error)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
         )
         ${update}`,
        [
          subscription.id,
          delivery.event_id,
          attempt,
          attemptedAt,
          response.statusCode,
          response.latencyMs,
          response.error,
          ...parameters,
        ],
      );
    if (!response.error) {
      await record(
        `UPDATE deliveries SET status = 'delivered', attempts = $3, delivered_at = $8, last_status_code = $5, last_error = NULL
         WHERE subscription_id = $1 AND event_id = $2`,
        [this.clock.now()],
      );
      if (subscription.failingSince) await this.subscriptions.markHealthy(subscription.id, sql);
      this.metrics.webhookAttempts.inc({ result: 'delivered' });
      return 'delivered';
    }
    const schedule = this.config.webhooks.retryScheduleMs;
    const gone = response.statusCode === GONE;
    const abandoned = !gone && attempt > schedule.length;
    await record(
      `UPDATE deliveries SET status = $8, attempts = $3, next_attempt_at = $9, last_status_code = $5, last_error = $7,
              abandoned_at = CASE WHEN $8 = 'abandoned' THEN $4::timestamptz END
       WHERE subscription_id = $1 AND event_id = $2`,
      [
        abandoned ? 'abandoned' : 'pending',
        new Date(attemptedAt.getTime() + (abandoned || gone ? 0 : this.retryWait(attempt, response))),
      ],
    );
    this.metrics.webhookAttempts.inc({ result: abandoned ? 'abandoned' : 'failed' });
    const failingSince = await this.subscriptions.markFailing(subscription.id, attemptedAt, sql);
    const target = redactUrl(subscription.url);
    const reason = gone
      ? `${target} answered 410 Gone (the receiver asked not to be sent anything more)`
      : abandoned
        ? `delivery ${delivery.sequence} (event ${delivery.event_id}) to ${target} was abandoned after ${attempt} attempts; last error: ${response.error}`
        : attemptedAt.getTime() - failingSince.getTime() >= this.config.webhooks.disableAfterMs
          ? `deliveries to ${target} have failed since ${failingSince.toISOString()}; last error: ${response.error}`
          : null;
    if (!reason) return 'failed';
    await this.subscriptions.disable(subscription.id, reason, attemptedAt, sql);
    this.logger.warn(`Subscription ${subscription.id} disabled: ${reason}`);
    return 'disabled';
  }

  /**
   * The wait before the next attempt: the schedule's (with jitter), or longer when a receiver that is
   * throttling or briefly unavailable asks for it in `Retry-After`, up to the schedule's longest wait.
   */
  private retryWait(attempt: number, response: WebhookResponse): number {
    const schedule = this.config.webhooks.retryScheduleMs;
    const wait = jittered(schedule[attempt - 1]!);
    if (response.retryAfterMs === null || !THROTTLE_STATUSES.has(response.statusCode ?? 0)) return wait;
    return Math.max(wait, Math.min(response.retryAfterMs, Math.max(...schedule)));
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
