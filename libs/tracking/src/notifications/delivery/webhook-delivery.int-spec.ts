import { createHash } from 'node:crypto';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Webhook } from 'standardwebhooks';
import { type AppConfig, Database } from '@app/infrastructure';
import { IngestSnapshotsCommand } from '@app/tracking/ingestion';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, eventually } from '../../../../../test/support/test-environment.js';
import { TestDnsServer } from '../../../../../test/support/test-dns-server.js';
import { type Answer, WebhookReceiver } from '../../../../../test/support/webhook-receiver.js';
import { NotificationMatcher } from '../matching/notification-matcher.js';
import { CreateSubscriptionCommand } from '../subscriptions/create-subscription.command.js';
import type { DeliveryLog } from '../subscriptions/delivery-log.js';
import { EnableSubscriptionCommand } from '../subscriptions/enable-subscription.command.js';
import { GetDeliveryLogQuery } from '../subscriptions/get-delivery-log.query.js';
import { GetSubscriptionQuery } from '../subscriptions/get-subscription.query.js';
import { RecoverSubscriptionCommand } from '../subscriptions/recover-subscription.command.js';
import { RedeliverCommand } from '../subscriptions/redeliver.command.js';
import type { Subscription } from '../subscriptions/subscription.js';
import { SubscriptionStore } from '../subscriptions/subscription-store.js';
import { WebhookDeliverer } from './webhook-deliverer.js';

const REQUESTS_PER_HOST = 3;

/** The matcher and deliverer against real PostgreSQL and a real receiver on loopback, driven by the test instead of a worker. */
const startDelivery = async (
  retryScheduleMs: number[],
  outbound: AppConfig['outbound'] = { allowedHosts: ['127.0.0.0/8'], dnsServers: [], dnsCacheMs: 30_000 },
) => {
  const environment = await createTestEnvironment({
    webhooks: {
      retryScheduleMs,
      timeoutMs: 2000,
      maxPayloadBytes: 65536,
      deliveryConcurrency: 16,
      maxRequestsPerHost: REQUESTS_PER_HOST,
      disableAfterMs: retryScheduleMs.reduce((sum, wait) => sum + wait, 0),
    },
    outbound,
  } satisfies Partial<AppConfig>);
  const module = await createTrackingModule(environment);
  const commands = module.get(CommandBus);
  const queries = module.get(QueryBus);
  const database = module.get(Database);

  const ingest = async (nctId: string, versions: number[]) => {
    const input = (version: number) => ({
      content: Buffer.from(studyVersion(version, nctId)),
      mediaType: 'application/json',
      source: 'test',
    });
    await commands.execute(new IngestSnapshotsCommand(versions.map(input)));
  };
  const subscribe = async (receiver: WebhookReceiver, filter: Record<string, string[]> = {}) =>
    commands.execute(new CreateSubscriptionCommand({ url: receiver.url, filter }));
  const subscription = (id: string): Promise<Subscription> => queries.execute(new GetSubscriptionQuery(id));
  const log = (id: string): Promise<DeliveryLog> => queries.execute(new GetDeliveryLogQuery(id, 1000));
  /** Matches every new event, then delivers until `done` holds, as the worker's sweep would. */
  const deliver = async (id: string, done: () => Promise<boolean> | boolean, timeoutMs = 60_000) => {
    await eventually(
      async () => {
        while (await module.get(NotificationMatcher).matchBatch());
        await module.get(WebhookDeliverer).deliverDue(id);
        return done();
      },
      timeoutMs,
      20,
    );
  };
  const delivery = async (subscriptionId: string, sequence: number) => {
    const [row] = await database.query<{
      status: string;
      attempts: number;
      next_attempt_at: Date;
      abandoned_at: Date | null;
      event_id: string;
    }>(
      `SELECT status, attempts, next_attempt_at, abandoned_at, event_id FROM deliveries WHERE subscription_id = $1 AND sequence = $2`,
      [subscriptionId, sequence],
    );
    return row!;
  };
  const lastAttemptAt = async (subscriptionId: string, eventId: string): Promise<Date> => {
    const [row] = await database.query<{ at: Date }>(
      `SELECT max(attempted_at) AS at FROM delivery_attempts WHERE subscription_id = $1 AND event_id = $2`,
      [subscriptionId, eventId],
    );
    return row!.at;
  };
  const stop = async () => {
    await module?.close();
    await environment?.teardown();
  };
  return { module, commands, ingest, subscribe, subscription, log, deliver, delivery, lastAttemptAt, stop };
};

type Delivery = Awaited<ReturnType<typeof startDelivery>>;

const sequencesOf = (receiver: WebhookReceiver): number[] =>
  [...new Set(receiver.accepted().map((webhook) => webhook.json.data.sequence as number))].sort((a, b) => a - b);

describe('webhook delivery: sequence numbers, abandonment, recovery', () => {
  let system: Delivery;
  const receivers: WebhookReceiver[] = [];
  const receiver = async (answer: (webhook: unknown) => Answer | Promise<Answer> = () => 200) => {
    const started = await WebhookReceiver.start();
    started.answer = answer;
    receivers.push(started);
    return started;
  };

  beforeAll(async () => {
    system = await startDelivery([200, 1000]);
  });

  afterAll(async () => {
    await Promise.all(receivers.map((started) => started.stop()));
    await system?.stop();
  });

  it('numbers each subscription’s webhooks 1, 2, 3… without gaps, across a backlog longer than a page, each trial in stream order', async () => {
    const everything = await receiver();
    const statusOnly = await receiver();
    const trials = ['NCT00000701', 'NCT00000702', 'NCT00000703'];
    const all = await system.subscribe(everything, { nctIds: trials });
    const filtered = await system.subscribe(statusOnly, {
      nctIds: trials,
      eventTypes: ['trial.overall-status-changed'],
    });
    for (const trial of trials)
      await system.ingest(
        trial,
        Array.from({ length: 40 }, (_, version) => version),
      );
    const [events] = await system.module.get(Database).query<{ total: string; status_changes: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE type = 'trial.overall-status-changed') AS status_changes
         FROM events WHERE stream_id = ANY($1)`,
      [trials.map((trial) => `trial-${trial}`)],
    );
    const total = Number(events!.total);
    expect(total).toBeGreaterThan(100);

    // One pass over the backlog delivers all of it (more than one page of pending rows).
    await system.deliver(all.id, () => everything.accepted().length >= total);
    expect(everything.received).toHaveLength(total);
    expect(sequencesOf(everything)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    for (const trial of trials) {
      const versions = everything
        .accepted()
        .filter((webhook) => webhook.json.data.nctId === trial)
        .map((webhook) => webhook.json.data.streamVersion);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }

    const statusChangeCount = Number(events!.status_changes);
    expect(statusChangeCount).toBeGreaterThan(0);
    await system.deliver(filtered.id, () => statusOnly.accepted().length >= statusChangeCount);
    const statusChanges = statusOnly.accepted();
    expect(statusChanges).toHaveLength(statusChangeCount);
    expect(statusChanges.every((webhook) => webhook.json.type === 'trial.overall-status-changed')).toBe(true);
    expect(sequencesOf(statusOnly)).toEqual(Array.from({ length: statusChanges.length }, (_, index) => index + 1));
    expect((await system.subscription(all.id)).lastSequence).toBe(total);
    expect((await system.subscription(filtered.id)).lastSequence).toBe(statusChanges.length);
    expect((await system.log(all.id)).attempts[0]).toMatchObject({
      sequence: expect.any(Number),
      deliveryStatus: 'delivered',
    });
  });

  it('sends a record with characters beyond ASCII as the UTF-8 of its JSON, signed over those bytes', async () => {
    const nctId = 'NCT00000761';
    const title = 'Étude multicentrique, São Paulo: ≥ 18 ans 😀';
    const target = await receiver();
    const created = await system.subscribe(target, { nctIds: [nctId] });
    const study = JSON.parse(studyVersion(0, nctId));
    study.protocolSection.identificationModule.briefTitle = title;
    await system.commands.execute(
      new IngestSnapshotsCommand([
        { content: Buffer.from(JSON.stringify(study)), mediaType: 'application/json', source: 'test' },
      ]),
    );
    await system.deliver(created.id, () => target.accepted().length === 1);
    const [webhook] = target.accepted();
    expect(webhook!.json.type).toBe('trial.registered');
    expect(webhook!.body).toContain(JSON.stringify(title));
    expect(webhook!.bytes.equals(Buffer.from(webhook!.body, 'utf8'))).toBe(true);
    expect(Number(webhook!.headers['content-length'])).toBe(webhook!.bytes.length);
    const headers = {
      'webhook-id': webhook!.id,
      'webhook-timestamp': webhook!.timestamp,
      'webhook-signature': webhook!.signature,
    };
    expect(new Webhook(created.secret).verify(webhook!.bytes, headers)).toMatchObject({ data: { nctId } });
    const altered = Buffer.from(webhook!.bytes);
    altered[webhook!.bytes.indexOf(Buffer.from('São'))] = 'S'.charCodeAt(0) + 1;
    expect(() => new Webhook(created.secret).verify(altered, headers)).toThrow();
  });

  it('sweeps up retries when due, and first attempts only once their own job has had a sweep interval to deliver them', async () => {
    const trial = 'NCT00000771';
    const retrying = await system.subscribe(await receiver(() => 503), { nctIds: [trial] });
    const handedOff = await system.subscribe(await receiver(), { nctIds: [trial] });
    await system.ingest(trial, [0]);
    while (await system.module.get(NotificationMatcher).matchBatch());
    await system.module.get(WebhookDeliverer).deliverDue(retrying.id);
    const retry = await system.delivery(retrying.id, 1);
    const first = await system.delivery(handedOff.id, 1);
    expect(retry).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first).toMatchObject({ status: 'pending', attempts: 0 });

    const intervalMs = 5000;
    const sweep = (now: Date) =>
      system.module.get(SubscriptionStore).withDueDeliveries(now, new Date(now.getTime() - intervalMs));
    const later = (date: Date, ms: number) => new Date(date.getTime() + ms);
    // Before the retry falls due, neither; when it does, the retry, though the first attempt fell due earlier.
    expect(await sweep(later(retry.next_attempt_at, -1))).not.toContain(retrying.id);
    const atRetry = await sweep(retry.next_attempt_at);
    expect(atRetry).toContain(retrying.id);
    expect(first.next_attempt_at.getTime()).toBeLessThan(retry.next_attempt_at.getTime());
    expect(atRetry).not.toContain(handedOff.id);
    // A first attempt still pending a whole interval after it fell due: its job was lost, or is far behind.
    expect(await sweep(later(first.next_attempt_at, intervalMs - 1))).not.toContain(handedOff.id);
    expect(await sweep(later(first.next_attempt_at, intervalMs + 1))).toContain(handedOff.id);
  });

  it('sends one receiver at most WEBHOOK_MAX_REQUESTS_PER_HOST requests at once, however many of its subscriptions are due', async () => {
    const trial = 'NCT00000732';
    let inFlight = 0;
    let most = 0;
    const slow = await receiver(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 40));
      inFlight -= 1;
      return 200;
    });
    const other = await receiver();
    const many = await Promise.all(Array.from({ length: 12 }, () => system.subscribe(slow, { nctIds: [trial] })));
    const elsewhere = await system.subscribe(other, { nctIds: [trial] });
    await system.ingest(trial, [0]);
    while (await system.module.get(NotificationMatcher).matchBatch());
    const rounds = await system.module
      .get(WebhookDeliverer)
      .deliverDueMany([...many, elsewhere].map((subscription) => subscription.id));
    const [count] = await system.module
      .get(Database)
      .query<{ total: string }>(`SELECT count(*) AS total FROM events WHERE stream_id = $1`, [`trial-${trial}`]);
    const perSubscription = Number(count!.total);
    expect(perSubscription).toBeGreaterThan(0);
    for (const subscription of [...many, elsewhere])
      expect(rounds.get(subscription.id)).toMatchObject({ delivered: perSubscription, failed: 0 });
    expect(slow.accepted()).toHaveLength(12 * perSubscription);
    // Side by side up to the cap, never past it; another receiver is not held up behind it.
    expect(most).toBe(REQUESTS_PER_HOST);
    expect(other.accepted()).toHaveLength(perSubscription);
  });

  it('delivers to several subscriptions in one shared pass, each in its own order, skipping one another worker holds', async () => {
    const trials = ['NCT00000791', 'NCT00000792'];
    const healthy = [await receiver(), await receiver(), await receiver()];
    const refusing = await receiver(() => 500);
    const held = await receiver();
    const subscriptions = await Promise.all(
      [...healthy, refusing, held].map((to) => system.subscribe(to, { nctIds: trials })),
    );
    for (const trial of trials) await system.ingest(trial, [0, 1, 2, 3, 4, 5]);
    while (await system.module.get(NotificationMatcher).matchBatch());
    const database = system.module.get(Database);
    const heldId = subscriptions[4]!.id;
    // Another worker's pass holds the last subscription: its advisory lock, taken on another connection.
    const rounds = await database.session(async (other) => {
      const key = createHash('sha256').update(`deliveries:${heldId}`).digest().readBigInt64BE(0).toString();
      await other.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      try {
        return await system.module.get(WebhookDeliverer).deliverDueMany(subscriptions.map((created) => created.id));
      } finally {
        await other.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      }
    });
    const [count] = await database.query<{ total: string }>(
      `SELECT count(*) AS total FROM events WHERE stream_id = ANY($1)`,
      [trials.map((trial) => `trial-${trial}`)],
    );
    const total = Number(count!.total);
    for (const [index, to] of healthy.entries()) {
      expect(rounds.get(subscriptions[index]!.id)).toMatchObject({ delivered: total, failed: 0, nextDueAt: null });
      expect(sequencesOf(to)).toEqual(Array.from({ length: total }, (_, n) => n + 1));
      for (const trial of trials) {
        const versions = to
          .accepted()
          .filter((webhook) => webhook.json.data.nctId === trial)
          .map((webhook) => webhook.json.data.streamVersion);
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
      }
      const log = await system.log(subscriptions[index]!.id);
      expect(log.attempts).toHaveLength(total);
      expect(log.attempts.every((attempt) => attempt.deliveryStatus === 'delivered')).toBe(true);
      expect((await system.subscription(subscriptions[index]!.id)).failingSince).toBeNull();
    }
    // The refusing receiver got each trial's first event once, and nothing after it: the rest waits for the retry.
    expect(rounds.get(subscriptions[3]!.id)).toMatchObject({ delivered: 0, failed: trials.length });
    expect(rounds.get(subscriptions[3]!.id)!.nextDueAt).toBeInstanceOf(Date);
    expect(refusing.received.map((webhook) => webhook.json.data.nctId).sort()).toEqual(trials);
    for (const webhook of refusing.received) {
      const first = healthy[0]!.accepted().find((sent) => sent.json.data.nctId === webhook.json.data.nctId);
      expect(webhook.json.data.streamVersion).toBe(first!.json.data.streamVersion);
    }
    expect((await system.subscription(subscriptions[3]!.id)).failingSince).not.toBeNull();
    // The held subscription was left to its holder: nothing sent, no round.
    expect(rounds.get(heldId)).toBeNull();
    expect(held.received).toHaveLength(0);
    await system.deliver(heldId, () => held.accepted().length >= total);
    expect(sequencesOf(held)).toEqual(Array.from({ length: total }, (_, n) => n + 1));
  });

  it('records the rest of a shared pass when one of its subscriptions is deleted while its webhook is under way', async () => {
    const database = system.module.get(Database);
    const trial = 'NCT00000795';
    const others = [await receiver(), await receiver()];
    const deletedIds: string[] = [];
    // The receivers of the subscriptions that go: each is deleted (DELETE /subscriptions/:id) while its
    // request is answered, one taking the webhook and one refusing it.
    const leaving = await Promise.all(
      [200, 500].map((status, index) =>
        receiver(async () => {
          await database.execute(`DELETE FROM subscriptions WHERE id = $1`, [deletedIds[index]]);
          return status;
        }),
      ),
    );
    const created = await Promise.all([...leaving, ...others].map((to) => system.subscribe(to, { nctIds: [trial] })));
    deletedIds.push(...created.slice(0, 2).map((subscription) => subscription.id));
    const staying = created.slice(2);
    await system.ingest(trial, [0]);
    while (await system.module.get(NotificationMatcher).matchBatch());

    const deliverer = system.module.get(WebhookDeliverer);
    const rounds = await deliverer.deliverDueMany(created.map((subscription) => subscription.id));
    for (const to of leaving) expect(to.received).toHaveLength(1);
    for (const [index, subscription] of staying.entries()) {
      expect(rounds.get(subscription.id)).toMatchObject({ delivered: 1, failed: 0 });
      expect(await system.log(subscription.id)).toMatchObject({ pending: 0, delivered: 1 });
      // Recorded as delivered: the next pass sends it nothing again.
      await deliverer.deliverDue(subscription.id);
      expect(others[index]!.received).toHaveLength(1);
    }
  });

  it('tells a caught-up matcher from one that cannot see the new events yet (an older transaction still runs)', async () => {
    const to = await receiver();
    const created = await system.subscribe(to, { nctIds: ['NCT00000781'] });
    const matcher = system.module.get(NotificationMatcher);
    const database = system.module.get(Database);
    while (await matcher.matchBatch());
    expect(await matcher.behind()).toBe(false);
    await database.session(async (older) => {
      await older.query('BEGIN');
      await older.query('SELECT pg_current_xact_id()');
      try {
        await system.ingest('NCT00000781', [0]);
        // The new event committed after the open transaction began: below the horizon, so not matched yet.
        expect(await matcher.matchBatch()).toBeNull();
        expect(await matcher.behind()).toBe(true);
      } finally {
        await older.query('COMMIT');
      }
    });
    const batch = await matcher.matchBatch();
    expect(batch?.subscriptionIds).toContain(created.id);
    while (await matcher.matchBatch());
    expect(await matcher.behind()).toBe(false);
  });

  it('disables the subscription when a delivery exhausts the retry schedule, so nothing later goes out past the gap', async () => {
    const down = await receiver(() => 500);
    const created = await system.subscribe(down, { nctIds: ['NCT00000711', 'NCT00000712'] });
    await system.ingest('NCT00000711', [0]);
    await system.deliver(created.id, async () => (await system.subscription(created.id)).status === 'disabled');

    const disabled = await system.subscription(created.id);
    // Read keys see the reason too: it names the receiver by scheme, host and port, not by its path.
    expect(disabled.disabledReason).toMatch(
      /delivery 1 \(event .*\) to http:\/\/127\.0\.0\.1:\d+\/… was abandoned after 3 attempts; last error: receiver answered HTTP 500/,
    );
    expect(down.received).toHaveLength(3);
    expect(await system.delivery(created.id, 1)).toMatchObject({
      status: 'abandoned',
      attempts: 3,
      abandoned_at: expect.any(Date),
    });

    // A later event waits: the subscription is disabled.
    down.answer = () => 200;
    await system.ingest('NCT00000712', [0]);
    while (await system.module.get(NotificationMatcher).matchBatch());
    await system.module.get(WebhookDeliverer).deliverDue(created.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await system.module.get(WebhookDeliverer).deliverDue(created.id);
    expect(down.received).toHaveLength(3);
    expect((await system.log(created.id)).abandoned).toBe(1);
  });

  it('never leaves a delivery abandoned beside an active subscription, even when its connection is cut mid-way', async () => {
    const down = await receiver(() => 500);
    const created = await system.subscribe(down, { nctIds: ['NCT00000715', 'NCT00000716'] });
    await system.ingest('NCT00000715', [0]);
    // Two attempts of three made; the last is due in a second.
    await system.deliver(created.id, async () => (await system.delivery(created.id, 1)).attempts === 2);
    const database = system.module.get(Database);

    // Another session holds the subscription's row (as an update of it would), so the last attempt's
    // bookkeeping waits on it; the worker's connection is cut while it waits (a worker killed, a failover).
    let release!: () => void;
    let held!: () => void;
    const holding = database.transaction(async (sql) => {
      await sql.query(`SELECT 1 FROM subscriptions WHERE id = $1 FOR NO KEY UPDATE`, [created.id]);
      await new Promise<void>((resolve) => {
        release = resolve;
        held();
      });
    });
    await new Promise<void>((resolve) => (held = resolve));
    await eventually(async () => (await system.delivery(created.id, 1)).next_attempt_at <= new Date(), 5000, 20);
    const attempt = system.module
      .get(WebhookDeliverer)
      .deliverDue(created.id)
      .catch((error: unknown) => error);
    const [waiting] = await eventually(async () => {
      const rows = await database.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
      );
      return rows.length > 0 && rows;
    });
    await database.query(`SELECT pg_terminate_backend($1)`, [waiting!.pid]);
    expect(await attempt).toBeInstanceOf(Error);
    release();
    await holding;

    const delivery = await system.delivery(created.id, 1);
    const subscription = await system.subscription(created.id);
    expect({ delivery: delivery.status, subscription: subscription.status }).not.toEqual({
      delivery: 'abandoned',
      subscription: 'active',
    });

    // Whatever the cut left, the gap stays closed: the last attempt abandons it and disables the
    // subscription together, and a later change is not sent past it.
    await system.deliver(created.id, async () => (await system.subscription(created.id)).status === 'disabled');
    expect(await system.delivery(created.id, 1)).toMatchObject({ status: 'abandoned' });
    down.answer = () => 200;
    await system.ingest('NCT00000716', [0]);
    while (await system.module.get(NotificationMatcher).matchBatch());
    await system.module.get(WebhookDeliverer).deliverDue(created.id);
    expect(down.accepted()).toHaveLength(0);
  });

  it('recovers what was abandoned since a time, with fresh attempts, and re-enables the subscription', async () => {
    const flaky = await receiver(() => 500);
    const created = await system.subscribe(flaky, { nctIds: ['NCT00000721', 'NCT00000722', 'NCT00000723'] });
    await system.ingest('NCT00000721', [0]);
    await system.deliver(created.id, async () => (await system.subscription(created.id)).status === 'disabled');
    // Re-enabled without recovery: the first abandoned delivery stays abandoned (the receiver sees sequence 1 missing).
    await system.commands.execute(new EnableSubscriptionCommand(created.id));
    const between = new Date();
    await system.ingest('NCT00000722', [0]);
    await system.deliver(created.id, async () => (await system.subscription(created.id)).status === 'disabled');
    expect(await system.delivery(created.id, 2)).toMatchObject({ status: 'abandoned' });

    flaky.answer = () => 200;
    await system.ingest('NCT00000723', [0]);
    const before = flaky.received.length;
    const result = await system.commands.execute(new RecoverSubscriptionCommand(created.id, between.toISOString()));
    expect(result).toMatchObject({ recovered: 1, since: between.toISOString(), subscription: { status: 'active' } });
    await system.deliver(created.id, () => flaky.accepted().length === 2);

    expect(
      flaky.received
        .slice(before)
        .map((webhook) => webhook.json.data.sequence)
        .sort(),
    ).toEqual([2, 3]);
    expect(await system.delivery(created.id, 1)).toMatchObject({ status: 'abandoned' });
    expect(await system.delivery(created.id, 2)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      abandoned_at: null,
    });
    const log = await system.log(created.id);
    expect(log.attempts.find((attempt) => attempt.sequence === 2)).toMatchObject({ attempt: 1, statusCode: 200 });

    await expect(
      system.commands.execute(new RecoverSubscriptionCommand(created.id, 'yesterday')),
    ).rejects.toMatchObject({
      code: 'subscription.invalid',
      message: expect.stringContaining('since must be an ISO 8601'),
    });
    // A day the calendar does not have is refused, not rolled over into the next month.
    await expect(
      system.commands.execute(new RecoverSubscriptionCommand(created.id, '2026-02-30T00:00:00Z')),
    ).rejects.toMatchObject({
      code: 'subscription.invalid',
      message: expect.stringContaining('got "2026-02-30T00:00:00Z"'),
    });
    await expect(system.commands.execute(new RecoverSubscriptionCommand(created.id, undefined))).rejects.toMatchObject({
      code: 'subscription.invalid',
      message: expect.stringContaining('since is required'),
    });
  });

  it('gives a redelivered abandoned event a fresh retry schedule', async () => {
    const flaky = await receiver(() => 500);
    const created = await system.subscribe(flaky, { nctIds: ['NCT00000731'] });
    await system.ingest('NCT00000731', [0]);
    await system.deliver(created.id, async () => (await system.subscription(created.id)).status === 'disabled');
    const abandoned = await system.delivery(created.id, 1);
    expect(abandoned).toMatchObject({ status: 'abandoned', attempts: 3 });

    // Fails once more, then takes it: with the old attempt count the first failure would abandon it again.
    let calls = 0;
    flaky.answer = () => (++calls === 1 ? 500 : 200);
    await system.commands.execute(new EnableSubscriptionCommand(created.id));
    await system.commands.execute(new RedeliverCommand(created.id, abandoned.event_id));
    await system.deliver(created.id, () => flaky.accepted().length === 1);
    expect(await system.delivery(created.id, 1)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect((await system.subscription(created.id)).status).toBe('active');
  });

  it('keeps a redelivery asked while that event is being sent: the attempt under way neither abandons it nor marks it delivered', async () => {
    const slow = await receiver(() => 500);
    const created = await system.subscribe(slow, { nctIds: ['NCT00000735'] });
    await system.ingest('NCT00000735', [0]);
    // Two attempts of three made: the third, failing, would abandon the delivery and disable the subscription.
    await system.deliver(created.id, async () => (await system.delivery(created.id, 1)).attempts === 2);
    const { event_id: eventId } = await system.delivery(created.id, 1);
    await eventually(async () => (await system.delivery(created.id, 1)).next_attempt_at <= new Date(), 5000, 20);

    /** The receiver holds each request until the test answers it. */
    const heldRequest = () => {
      let answer!: (status: number) => void;
      const arrived = new Promise<void>((resolve) => {
        slow.answer = () =>
          new Promise<number>((respond) => {
            answer = respond;
            resolve();
          });
      });
      return { arrived, answer: (status: number) => answer(status) };
    };
    const third = heldRequest();
    const pass = system.module.get(WebhookDeliverer).deliverDue(created.id);
    await third.arrived;
    await system.commands.execute(new RedeliverCommand(created.id, eventId));
    third.answer(500);
    await pass;
    expect(await system.delivery(created.id, 1)).toMatchObject({ status: 'pending', attempts: 0, abandoned_at: null });
    expect((await system.subscription(created.id)).status).toBe('active');
    expect((await system.log(created.id)).attempts.filter((attempt) => attempt.sequence === 1)).toHaveLength(3);

    // Asked again while an attempt that succeeds is under way: it is sent once more after it.
    const fourth = heldRequest();
    const next = system.module.get(WebhookDeliverer).deliverDue(created.id);
    await fourth.arrived;
    await system.commands.execute(new RedeliverCommand(created.id, eventId));
    fourth.answer(200);
    await next;
    expect(await system.delivery(created.id, 1)).toMatchObject({ status: 'pending' });
    slow.answer = () => 200;
    await system.deliver(created.id, async () => (await system.delivery(created.id, 1)).status === 'delivered');
    expect(slow.accepted()).toHaveLength(2);
  });

  it('disables a subscription at once when the receiver answers 410 Gone, keeping the delivery for later', async () => {
    const gone = await receiver(() => 410);
    const created = await system.subscribe(gone, { nctIds: ['NCT00000741'] });
    await system.ingest('NCT00000741', [0]);
    await system.deliver(created.id, async () => (await system.subscription(created.id)).status === 'disabled');
    expect(gone.received).toHaveLength(1);
    expect((await system.subscription(created.id)).disabledReason).toMatch(/answered 410 Gone/);
    expect(await system.delivery(created.id, 1)).toMatchObject({ status: 'pending', attempts: 1 });

    gone.answer = () => 200;
    await system.commands.execute(new EnableSubscriptionCommand(created.id));
    await system.deliver(created.id, () => gone.accepted().length === 1);
    expect(await system.delivery(created.id, 1)).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});

describe('webhook delivery: backing off as the receiver asks', () => {
  let system: Delivery;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    system = await startDelivery([100, 5000]);
  });

  afterAll(async () => {
    await Promise.all(receivers.map((started) => started.stop()));
    await system?.stop();
  });

  /** The wait before the retry after one answer: what `next_attempt_at` says, from the attempt. */
  const waitAfter = async (nctId: string, answer: Answer): Promise<number> => {
    const started = await WebhookReceiver.start();
    started.answer = () => answer;
    receivers.push(started);
    const created = await system.subscribe(started, { nctIds: [nctId] });
    await system.ingest(nctId, [0]);
    await system.deliver(created.id, () => started.received.length === 1);
    const row = await system.delivery(created.id, 1);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    return row.next_attempt_at.getTime() - (await system.lastAttemptAt(created.id, row.event_id)).getTime();
  };

  it('honours Retry-After in seconds or as a date on 429, 502, 503 and 504, up to the longest scheduled wait', async () => {
    expect(await waitAfter('NCT00000751', { status: 429, headers: { 'retry-after': '2' } })).toBe(2000);
    const date = new Date(Date.now() + 4000).toUTCString();
    const byDate = await waitAfter('NCT00000752', { status: 503, headers: { 'retry-after': date } });
    expect(byDate).toBeGreaterThan(2500);
    expect(byDate).toBeLessThanOrEqual(4000);
    expect(await waitAfter('NCT00000753', { status: 502, headers: { 'retry-after': '3600' } })).toBe(5000);
    expect(await waitAfter('NCT00000754', { status: 504, headers: { 'retry-after': '1' } })).toBe(1000);
  });

  it('follows the schedule for other failures, whatever their Retry-After', async () => {
    for (const [nctId, answer] of [
      ['NCT00000761', { status: 500, headers: { 'retry-after': '2' } }],
      ['NCT00000762', { status: 404 }],
      ['NCT00000763', { status: 429 }],
    ] as const) {
      const wait = await waitAfter(nctId, answer);
      expect(wait).toBeGreaterThanOrEqual(80);
      expect(wait).toBeLessThanOrEqual(120);
    }
  });
});

describe('webhook delivery to a receiver named by host', () => {
  it('asks DNS once for a change fanned out to 30 subscriptions of one receiver', async () => {
    const dns = await TestDnsServer.start({ 'hooks.test': ['127.0.0.1'] }, { ttlSeconds: 300 });
    const receiver = await WebhookReceiver.start();
    const system = await startDelivery([200, 1000], {
      allowedHosts: ['127.0.0.0/8'],
      dnsServers: [dns.address],
      dnsCacheMs: 30_000,
    });
    try {
      const url = receiver.url.replace('127.0.0.1', 'hooks.test');
      const subscriptions: Subscription[] = [];
      for (let index = 0; index < 30; index += 1) {
        subscriptions.push(
          await system.commands.execute(
            new CreateSubscriptionCommand({ url: `${url}?subscriber=${index}`, filter: { nctIds: ['NCT00000801'] } }),
          ),
        );
      }
      await system.ingest('NCT00000801', [0]);
      const subscribers = () => new Set(receiver.accepted().map((webhook) => webhook.path));
      await eventually(
        async () => {
          while (await system.module.get(NotificationMatcher).matchBatch());
          await system.module
            .get(WebhookDeliverer)
            .deliverDueMany(subscriptions.map((subscription) => subscription.id));
          return subscribers().size === 30;
        },
        60_000,
        20,
      );
      expect(subscribers().size).toBe(30);
      // The one question is the first subscription's check; every later check and delivery reuses its answer.
      expect(dns.count('hooks.test')).toBe(1);
    } finally {
      await receiver.stop();
      await system.stop();
      await dns.stop();
    }
  });
});
