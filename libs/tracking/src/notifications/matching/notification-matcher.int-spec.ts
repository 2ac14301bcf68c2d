import { randomUUID } from 'node:crypto';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { Database, EventStore } from '@app/infrastructure';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import {
  createTestEnvironment,
  eventually,
  type TestEnvironment,
} from '../../../../../test/support/test-environment.js';
import { CreateSubscriptionCommand } from '../subscriptions/create-subscription.command.js';
import { GetSubscriptionQuery } from '../subscriptions/get-subscription.query.js';
import { UpdateSubscriptionCommand } from '../subscriptions/update-subscription.command.js';
import { NotificationMatcher } from './notification-matcher.js';

describe('the notification matcher and a subscription changed while it runs, against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;

  beforeAll(async () => {
    environment = await createTestEnvironment({
      outbound: { allowedHosts: ['127.0.0.0/8'], dnsServers: [], dnsCacheMs: 30_000 },
    });
    module = await createTrackingModule(environment);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  const statusChange = () => ({
    eventId: randomUUID(),
    type: 'trial.overall-status-changed',
    schemaVersion: 1,
    data: { from: 'RECRUITING', to: 'COMPLETED', whyStopped: null, lastKnownStatus: null },
    metadata: {},
    occurredAt: '2026-01-15T00:00:00.000Z',
  });

  it('matches every change committed after a filter change returned by the new filter, even with a pass under way', async () => {
    const database = module.get(Database);
    const subscription = await module
      .get(CommandBus)
      .execute(new CreateSubscriptionCommand({ url: 'http://127.0.0.1:9/hook', filter: { nctIds: ['NCT07200001'] } }));
    const waitingOnEvents = async () =>
      (
        await database.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_locks WHERE relation = 'events'::regclass AND NOT granted`,
        )
      )[0]!.waiting > 0;

    let patchedAt: number | null = null;
    let pass: Promise<unknown> = Promise.resolve();
    let patch: Promise<unknown> = Promise.resolve();
    const change = statusChange();
    // Held here, the events table keeps a matcher pass between reading the subscriptions and reading the events.
    await database.transaction(async (sql) => {
      await sql.execute('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
      pass = module.get(NotificationMatcher).matchBatch();
      await eventually(waitingOnEvents, 10_000, 10);
      patch = module
        .get(CommandBus)
        .execute(new UpdateSubscriptionCommand(subscription.id, { filter: { nctIds: ['NCT07200001', 'NCT07200002'] } }))
        .then(() => (patchedAt = performance.now()));
      await Promise.race([patch, new Promise((resolve) => setTimeout(resolve, 500))]);
      await module.get(EventStore).append('trial-NCT07200002', [change], 'no-stream', sql);
    });
    const committedAt = performance.now();
    await Promise.all([pass, patch]);
    while (await module.get(NotificationMatcher).matchBatch());

    const delivered = await database.query(`SELECT 1 FROM deliveries WHERE subscription_id = $1 AND event_id = $2`, [
      subscription.id,
      change.eventId,
    ]);
    const patchReturnedFirst = patchedAt !== null && patchedAt < committedAt;
    // A change committed once the new filter was answered is matched by it; one committed before may not be.
    expect(delivered.length === 1).toBe(patchReturnedFirst);
    expect((await module.get(QueryBus).execute(new GetSubscriptionQuery(subscription.id))).filter).toEqual({
      nctIds: ['NCT07200001', 'NCT07200002'],
    });
  });
});
