import { createHash } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import { Inject, Injectable, Logger } from '@nestjs/common';
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
import { webhookPayloads } from './webhook-payload.js';
import { signWebhook } from './webhook-signature.js';

interface PendingDelivery {
  subscription_id: string;
  event_id: string;
  nct_id: string;
  attempts: number;
  /** How many times its retry schedule had been started afresh when the page was read. */
  restarts: number;
  sequence: string;
  stream_version: number;
  next_attempt_at: Date;
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

/** A delivery that succeeded, to be recorded with the others of its page in one statement. */
interface Delivered {
  subscriptionId: string;
  eventId: string;
  attempt: number;
  attemptedAt: Date;
  statusCode: number;
  latencyMs: number;
  deliveredAt: Date;
  restarts: number;
}

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
 * The webhook-id of one event's message to one subscription: the same on every retry, redelivery and
 * recovery, and unique across messages (Standard Webhooks), so a receiver de-duplicating on it keeps
 * the copies of one event that two subscriptions receive.
 */
export const webhookMessageId = (subscriptionId: string, eventId: string): string => `${eventId}.${subscriptionId}`;

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
  /** Each cached event's webhook bodies, serialised once for all the subscriptions it goes to. */
  private readonly payloads = new WeakMap<StoredEvent, (sequence: string) => Buffer>();
  /** Per receiver origin, the requests in flight there and those waiting (removed once none are). */
  private readonly receivers = new Map<string, LimitFunction>();

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
    return (await this.deliverDueMany([subscriptionId])).get(subscriptionId) ?? null;
  }

  /**
   * One pass for each of several subscriptions, side by side, sharing the pass's statements: one to take
   * their locks, one per page to read them and their pending deliveries, one per page to record what was
   * delivered. Each subscription's round, or null for those another worker is delivering for right now.
   */
  async deliverDueMany(subscriptionIds: readonly string[]): Promise<Map<string, DeliveryRound | null>> {
    const wanted = [...new Set(subscriptionIds)];
    const rounds = new Map<string, DeliveryRound | null>(wanted.map((id) => [id, null]));
    if (wanted.length === 0) return rounds;
    // One connection per pass: it holds the advisory locks and carries every statement of the pass.
    return this.database.session(async (sql) => {
      const locks = await sql.query<{ id: string; acquired: boolean }>(
        `SELECT lock.id, pg_try_advisory_lock(lock.key) AS acquired
         FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS lock(id, key, ord) ORDER BY lock.ord`,
        [wanted, wanted.map(lockKeyOf)],
      );
      const locked = locks.filter((lock) => lock.acquired).map((lock) => lock.id);
      if (locked.length === 0) return rounds;
      try {
        for (const [id, round] of await this.deliverPass(locked, sql)) rounds.set(id, round);
        return rounds;
      } finally {
        await sql.query('SELECT pg_advisory_unlock(key) FROM unnest($1::bigint[]) AS key', [locked.map(lockKeyOf)]);
      }
    });
  }

  private async deliverPass(subscriptionIds: string[], sql: Sql): Promise<Map<string, DeliveryRound>> {
    const rounds = new Map<string, DeliveryRound>(
      subscriptionIds.map((id) => [id, { delivered: 0, failed: 0, nextDueAt: null }]),
    );
    // Per subscription, trials with a delivery left pending earlier in this pass: their later deliveries wait for it.
    const held = new Map(subscriptionIds.map((id) => [id, new Set<string>()]));
    const after = new Map(subscriptionIds.map((id) => [id, '0']));
    const stillPending = (id: string, at: Date) => {
      const round = rounds.get(id)!;
      if (!round.nextDueAt || at < round.nextDueAt) round.nextDueAt = at;
    };
    for (let open = subscriptionIds; open.length > 0;) {
      const now = this.clock.now();
      const subscriptions = (await this.subscriptions.getMany(open, now, sql)).filter(
        (subscription) => subscription.status === 'active',
      );
      if (subscriptions.length === 0) break;
      const page = await sql.query<PendingDelivery>(
        `SELECT d.subscription_id::text AS subscription_id, d.event_id, d.nct_id, d.attempts, d.restarts, d.sequence::text AS sequence,
                d.stream_version, d.next_attempt_at, d.next_attempt_at <= $3 AS due,
                (SELECT count(*) FROM deliveries e
                 WHERE e.subscription_id = d.subscription_id AND e.status = 'pending' AND e.nct_id = d.nct_id
                   AND e.stream_version < d.stream_version)::int AS pending_before
         FROM unnest($1::uuid[], $2::bigint[]) AS cursor(subscription_id, after)
         CROSS JOIN LATERAL (
           SELECT * FROM deliveries d
           WHERE d.subscription_id = cursor.subscription_id AND d.status = 'pending' AND d.sequence > cursor.after
           ORDER BY d.sequence
           LIMIT $4
         ) d
         ORDER BY d.subscription_id, d.sequence`,
        [subscriptions.map((subscription) => subscription.id), subscriptions.map((s) => after.get(s.id)!), now, PAGE],
      );
      const pages = new Map<string, PendingDelivery[]>();
      for (const row of page) pages.set(row.subscription_id, [...(pages.get(row.subscription_id) ?? []), row]);
      const events = await this.readEvents(
        page.filter((row) => !held.get(row.subscription_id)!.has(row.nct_id)).map((row) => row.event_id),
        sql,
      );
      const delivered: Delivered[] = [];
      const failed = new Set<string>();
      const full: string[] = [];
      await Promise.all(
        subscriptions.map(async (subscription) => {
          const rows = pages.get(subscription.id) ?? [];
          if (rows.length === 0) return;
          after.set(subscription.id, rows[rows.length - 1]!.sequence);
          const outcome = await this.deliverPage(
            subscription,
            rows,
            held.get(subscription.id)!,
            events,
            delivered,
            sql,
          );
          const round = rounds.get(subscription.id)!;
          round.delivered += outcome.delivered.size;
          round.failed += outcome.failed;
          if (outcome.failed > 0) failed.add(subscription.id);
          for (const row of rows) {
            if (outcome.delivered.has(row.event_id)) continue;
            const retryAt = outcome.retryAt.get(row.event_id);
            if (retryAt !== null) stillPending(subscription.id, retryAt ?? row.next_attempt_at);
          }
          // A short page was the last one: what the matcher adds meanwhile has its own job queued behind this one.
          if (!outcome.disabled && rows.length === PAGE) full.push(subscription.id);
        }),
      );
      await this.recordDelivered(delivered, failed, sql);
      open = full;
    }
    return rounds;
  }

  /**
   * Delivers what is due in one page of a subscription's pending deliveries, trials side by side and each
   * trial's deliveries in stream order. Successes are left in `delivered` for the page's one record;
   * failures are recorded at once. `retryAt` holds each failed delivery's next attempt (null: abandoned).
   */
  private async deliverPage(
    subscription: SubscriptionRecord,
    page: PendingDelivery[],
    held: Set<string>,
    events: Map<string, StoredEvent>,
    delivered: Delivered[],
    sql: Sql,
  ): Promise<{ delivered: Set<string>; failed: number; disabled: boolean; retryAt: Map<string, Date | null> }> {
    const result = {
      delivered: new Set<string>(),
      failed: 0,
      disabled: false,
      retryAt: new Map<string, Date | null>(),
    };
    const trials = new Map<string, PendingDelivery[]>();
    for (const delivery of page) {
      if (held.has(delivery.nct_id)) continue;
      trials.set(delivery.nct_id, [...(trials.get(delivery.nct_id) ?? []), delivery]);
    }
    const queue = [...trials.values()].map((rows) => rows.sort((a, b) => a.stream_version - b.stream_version));
    const worker = async () => {
      for (let rows = queue.shift(); rows && !result.disabled; rows = queue.shift()) {
        for (const [index, delivery] of rows.entries()) {
          if (result.disabled) break;
          // The rows before it in this page were delivered in this pass (a failure stops the trial): it is
          // first when nothing else of the trial was pending before it. Otherwise an earlier event of the
          // trial comes later in sequence order (it committed later) and goes first.
          if (delivery.pending_before !== index) break;
          if (!delivery.due) {
            held.add(delivery.nct_id);
            break;
          }
          const outcome = await this.attempt(subscription, delivery, events.get(delivery.event_id)!, delivered, sql);
          if (outcome.outcome === 'delivered') {
            result.delivered.add(delivery.event_id);
            continue;
          }
          result.failed += 1;
          result.retryAt.set(delivery.event_id, outcome.retryAt);
          held.add(delivery.nct_id);
          if (outcome.outcome === 'disabled') result.disabled = true;
          break;
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_TRIALS }, worker));
    return result;
  }

  /**
   * Logs the page's successful attempts and marks their deliveries delivered, in one statement; a
   * subscription with no failure in the page is healthy again. A subscription deleted meanwhile has
   * nothing left to log, and does not stop the others' being recorded (they would be sent again). A
   * delivery whose schedule was started afresh while it was sent (a redelivery asked meanwhile) stays
   * pending: it is sent again.
   */
  private async recordDelivered(delivered: Delivered[], failed: Set<string>, sql: Sql): Promise<void> {
    if (delivered.length === 0) return;
    await sql.execute(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[], $5::int[], $6::int[], $7::timestamptz[], $9::int[])
           AS u(subscription_id, event_id, attempt, attempted_at, status_code, latency_ms, delivered_at, restarts)
       ), logged AS (
         INSERT INTO delivery_attempts (subscription_id, event_id, attempt, attempted_at, status_code, latency_ms, error)
         SELECT subscription_id, event_id, attempt, attempted_at, status_code, latency_ms, NULL FROM input
         WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = input.subscription_id)
       ), healthy AS (
         UPDATE subscriptions SET failing_since = NULL
         WHERE id IN (SELECT subscription_id FROM input) AND NOT id = ANY($8::uuid[]) AND failing_since IS NOT NULL
       )
       UPDATE deliveries d
       SET status = 'delivered', attempts = input.attempt, delivered_at = input.delivered_at,
           last_status_code = input.status_code, last_error = NULL
       FROM input
       WHERE d.subscription_id = input.subscription_id AND d.event_id = input.event_id AND d.restarts = input.restarts`,
      [
        delivered.map((row) => row.subscriptionId),
        delivered.map((row) => row.eventId),
        delivered.map((row) => row.attempt),
        delivered.map((row) => row.attemptedAt),
        delivered.map((row) => row.statusCode),
        delivered.map((row) => row.latencyMs),
        delivered.map((row) => row.deliveredAt),
        [...failed],
        delivered.map((row) => row.restarts),
      ],
    );
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

  private payloadOf(event: StoredEvent, sequence: string): Buffer {
    let bodies = this.payloads.get(event);
    if (!bodies) {
      bodies = webhookPayloads(event, this.config.publicBaseUrl, this.config.webhooks.maxPayloadBytes);
      this.payloads.set(event, bodies);
    }
    return bodies(sequence);
  }

  /** One attempt at one delivery, logged, and what came of it. */
  private async attempt(
    subscription: SubscriptionRecord,
    delivery: PendingDelivery,
    event: StoredEvent,
    delivered: Delivered[],
    sql: Sql,
  ): Promise<{ outcome: Outcome; retryAt: Date | null }> {
    let attemptedAt = this.clock.now();
    const body = this.payloadOf(event, delivery.sequence);
    let response: WebhookResponse;
    try {
      const url = await this.policy.check(subscription.url, WEBHOOK_URLS);
      // Signed and timed from when it is sent, not from when it started waiting for its turn.
      response = await this.inTurn(url, () => {
        attemptedAt = this.clock.now();
        const headers = this.signatureHeaders(
          subscription,
          webhookMessageId(subscription.id, event.eventId),
          attemptedAt,
          body,
        );
        return postWebhook(this.http, url, body, headers, this.config.webhooks.timeoutMs);
      });
    } catch (error) {
      response = { statusCode: null, latencyMs: 0, error: (error as Error).message, retryAfterMs: null };
    }
    const attempt = delivery.attempts + 1;
    this.metrics.webhookLatency.observe(response.latencyMs / 1000);
    if (!response.error) {
      delivered.push({
        subscriptionId: subscription.id,
        eventId: delivery.event_id,
        attempt,
        attemptedAt,
        statusCode: response.statusCode!,
        latencyMs: response.latencyMs,
        deliveredAt: this.clock.now(),
        restarts: delivery.restarts,
      });
      this.metrics.webhookAttempts.inc({ result: 'delivered' });
      return { outcome: 'delivered', retryAt: null };
    }
    const schedule = this.config.webhooks.retryScheduleMs;
    const gone = response.statusCode === GONE;
    const abandoned = !gone && attempt > schedule.length;
    const retryAt = new Date(attemptedAt.getTime() + (abandoned || gone ? 0 : this.retryWait(attempt, response)));
    const target = redactUrl(subscription.url);
    // Abandoning a delivery and disabling its subscription are one write: were the delivery marked
    // abandoned alone (a worker killed, a connection cut in between), later deliveries would go out past the gap.
    const stopReason = gone
      ? `${target} answered 410 Gone (the receiver asked not to be sent anything more)`
      : abandoned
        ? `delivery ${delivery.sequence} (event ${delivery.event_id}) to ${target} was abandoned after ${attempt} attempts; last error: ${response.error}`
        : null;
    // A failure is recorded at once: the attempt's log row, the delivery's new state and the subscription's, in
    // one statement. A delivery whose schedule was started afresh meanwhile (a redelivery asked while it was
    // under way) keeps its fresh schedule: only the attempt is logged.
    const [failing] = await sql.query<{ failing_since: Date }>(
      `WITH logged AS (
         INSERT INTO delivery_attempts (subscription_id, event_id, attempt, attempted_at, status_code, latency_ms, error)
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM subscriptions WHERE id = $1)
       ), delivery AS (
         UPDATE deliveries SET status = $8, attempts = $3, next_attempt_at = $9, last_status_code = $5, last_error = $7,
                abandoned_at = CASE WHEN $8 = 'abandoned' THEN $4::timestamptz END
         WHERE subscription_id = $1 AND event_id = $2 AND restarts = $11
         RETURNING 1
       )
       UPDATE subscriptions SET failing_since = coalesce(failing_since, $4),
              status = CASE WHEN $10::text IS NULL THEN status ELSE 'disabled' END,
              disabled_reason = CASE WHEN $10::text IS NULL OR status <> 'active' THEN disabled_reason ELSE $10 END,
              disabled_at = CASE WHEN $10::text IS NULL OR status <> 'active' THEN disabled_at ELSE $4 END,
              updated_at = CASE WHEN $10::text IS NULL OR status <> 'active' THEN updated_at ELSE $4 END
       WHERE id = $1 AND EXISTS (SELECT 1 FROM delivery)
       RETURNING failing_since`,
      [
        subscription.id,
        delivery.event_id,
        attempt,
        attemptedAt,
        response.statusCode,
        response.latencyMs,
        response.error,
        abandoned ? 'abandoned' : 'pending',
        retryAt,
        stopReason,
        delivery.restarts,
      ],
    );
    if (!failing) {
      // Started afresh meanwhile (or its subscription deleted): the delivery is pending and due as it now says.
      this.metrics.webhookAttempts.inc({ result: 'failed' });
      return { outcome: 'failed', retryAt: attemptedAt };
    }
    this.metrics.webhookAttempts.inc({ result: abandoned ? 'abandoned' : 'failed' });
    const failingSince = failing.failing_since;
    const reason =
      stopReason ??
      (attemptedAt.getTime() - failingSince.getTime() >= this.config.webhooks.disableAfterMs
        ? `deliveries to ${target} have failed since ${failingSince.toISOString()}; last error: ${response.error}`
        : null);
    const next = abandoned ? null : retryAt;
    if (!reason) return { outcome: 'failed', retryAt: next };
    // Failing for WEBHOOK_DISABLE_AFTER: disabled with its deliveries still pending, so no gap to guard.
    if (!stopReason) await this.subscriptions.disable(subscription.id, reason, attemptedAt, sql);
    this.logger.warn(`Subscription ${subscription.id} disabled: ${reason}`);
    return { outcome: 'disabled', retryAt: next };
  }

  /**
   * Runs `send` once fewer than WEBHOOK_MAX_REQUESTS_PER_HOST requests are in flight to the URL's
   * receiver (its origin), in the order they asked: a fan-out to many subscriptions of one receiver
   * does not open a connection for each of them at once.
   */
  private async inTurn<T>(url: URL, send: () => Promise<T>): Promise<T> {
    const origin = url.origin;
    let limit = this.receivers.get(origin);
    if (!limit) {
      limit = pLimit(this.config.webhooks.maxRequestsPerHost);
      this.receivers.set(origin, limit);
    }
    try {
      return await limit(send);
    } finally {
      if (limit.activeCount === 0 && limit.pendingCount === 0 && this.receivers.get(origin) === limit)
        this.receivers.delete(origin);
    }
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
    body: Buffer,
  ): Record<string, string> {
    const signatures = subscription.secrets.map((secret) => signWebhook(secret, messageId, at, body));
    return {
      'webhook-id': messageId,
      'webhook-timestamp': Math.floor(at.getTime() / 1000).toString(),
      'webhook-signature': signatures.join(' '),
      'user-agent': 'trialwatch-webhooks',
    };
  }
}
