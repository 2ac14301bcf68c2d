import { getQueueToken } from '@nestjs/bullmq';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Queue } from 'bullmq';
import type { TestingModule } from '@nestjs/testing';
import { Database, EventStore, QUEUES } from '@app/infrastructure';
import { FakeCtgovServer } from '../../../../../test/support/fake-ctgov/index.js';
import { readFixture } from '../../../../../test/support/fixtures.js';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import {
  createTestEnvironment,
  eventually,
  type TestEnvironment,
} from '../../../../../test/support/test-environment.js';
import { IngestSnapshotsCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand, GetChangeFeedQuery } from '../../read-models/index.js';
import {
  CreateWatchlistCommand,
  DeleteWatchlistCommand,
  GetWatchlistQuery,
  RequestWatchlistSyncCommand,
} from '../../watchlists/index.js';
import { DeleteSubscriptionCommand } from '../subscriptions/delete-subscription.command.js';
import { EnableSubscriptionCommand } from '../subscriptions/enable-subscription.command.js';
import { CreateSubscriptionCommand } from '../subscriptions/create-subscription.command.js';
import { GetSubscriptionQuery } from '../subscriptions/get-subscription.query.js';
import { ListSubscriptionsQuery } from '../subscriptions/list-subscriptions.query.js';
import { UpdateSubscriptionCommand } from '../subscriptions/update-subscription.command.js';
import { NotificationMatcher } from './notification-matcher.js';

describe('a watchlist filter, whatever the letter case of the watchlist id, against PostgreSQL', () => {
  let fake: FakeCtgovServer;
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;
  let queries: QueryBus;

  beforeAll(async () => {
    fake = await FakeCtgovServer.start();
    environment = await createTestEnvironment({
      outbound: { allowedHosts: ['127.0.0.0/8'], dnsServers: [], dnsCacheMs: 30_000 },
    });
    environment.config.ctgov = {
      baseUrl: fake.baseUrl,
      requestsPerSecond: 100,
      timeoutMs: 10_000,
      maxRetries: 1,
      backoffBaseMs: 10,
      historyEnabled: false,
    };
    module = await createTrackingModule(environment);
    commands = module.get(CommandBus);
    queries = module.get(QueryBus);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
    await fake?.stop();
  });

  it('matches the same changes for webhooks and the change feed with the id in capitals, stored ones included', async () => {
    const watchlist = await commands.execute(new CreateWatchlistCommand({ name: 'cased', nctIds: ['NCT07100031'] }));
    const capitals = watchlist.id.toUpperCase();
    const subscribe = (watchlistId: string) =>
      commands.execute(
        new CreateSubscriptionCommand({ url: 'http://127.0.0.1:9/hook', filter: { watchlistIds: [watchlistId] } }),
      );
    const lower = await subscribe(watchlist.id);
    const upper = await subscribe(capitals);
    expect(upper.filter.watchlistIds).toEqual([watchlist.id]);
    // A subscription stored with the id in capitals (as one made before ids were kept in lower case).
    const stored = await subscribe(watchlist.id);
    await module
      .get(Database)
      .execute(
        `UPDATE subscriptions SET filter = jsonb_build_object('watchlistIds', jsonb_build_array($2::text)) WHERE id = $1`,
        [stored.id, capitals],
      );

    await commands.execute(
      new IngestSnapshotsCommand(
        [0, 1, 2].flatMap((version) =>
          ['NCT07100031', 'NCT07100032'].map((nctId) => ({
            content: Buffer.from(studyVersion(version, nctId)),
            mediaType: 'application/json',
            source: 'test',
          })),
        ),
      ),
    );
    while (await module.get(NotificationMatcher).matchBatch());
    await commands.execute(new CatchUpProjectionsCommand());

    const delivered = async (id: string) => (await queries.execute(new GetSubscriptionQuery(id))).lastSequence;
    const feed = async (watchlistId: string) =>
      (await queries.execute(new GetChangeFeedQuery({ watchlistIds: [watchlistId], limit: 100 }))).changes.map(
        (change) => `${change.nctId} ${change.type}`,
      );
    const watched = await feed(watchlist.id);
    expect(watched.length).toBeGreaterThan(1);
    expect(new Set(watched.map((change) => change.split(' ')[0]))).toEqual(new Set(['NCT07100031']));
    expect(await feed(capitals)).toEqual(watched);
    expect(await delivered(lower.id)).toBe(watched.length);
    expect(await delivered(upper.id)).toBe(watched.length);
    expect(await delivered(stored.id)).toBe(watched.length);
  });

  it('refuses a watchlist id no watchlist has, creating or changing a subscription, and writes nothing', async () => {
    const watchlist = await commands.execute(new CreateWatchlistCommand({ name: 'known', nctIds: ['NCT07100041'] }));
    const unknown = '2b1f6c1e-8a6f-4c55-9d7e-0a9f0e3c1b11';
    const before = (await queries.execute(new ListSubscriptionsQuery())).length;
    // A subscription to a watchlist that does not exist would match nothing, ever, without saying so.
    await expect(
      commands.execute(
        new CreateSubscriptionCommand({
          url: 'http://127.0.0.1:9/hook',
          filter: { watchlistIds: [watchlist.id, unknown.toUpperCase()] },
        }),
      ),
    ).rejects.toMatchObject({ code: 'subscription.invalid', message: expect.stringContaining(unknown) });
    expect(await queries.execute(new ListSubscriptionsQuery())).toHaveLength(before);

    const created = await commands.execute(
      new CreateSubscriptionCommand({ url: 'http://127.0.0.1:9/hook', filter: { watchlistIds: [watchlist.id] } }),
    );
    await expect(
      commands.execute(
        new UpdateSubscriptionCommand(created.id, { name: 'renamed', filter: { watchlistIds: [unknown] } }),
      ),
    ).rejects.toMatchObject({ code: 'subscription.invalid', message: expect.stringContaining(unknown) });
    expect(await queries.execute(new GetSubscriptionQuery(created.id))).toMatchObject({
      name: null,
      filter: { watchlistIds: [watchlist.id] },
    });
  });

  it('refuses to delete a watchlist a subscription listens to, naming the subscription, until no filter names it', async () => {
    const watchlist = await commands.execute(new CreateWatchlistCommand({ name: 'in use', nctIds: ['NCT07100051'] }));
    const other = await commands.execute(new CreateWatchlistCommand({ name: 'other', nctIds: ['NCT07100052'] }));
    const listening = await commands.execute(
      new CreateSubscriptionCommand({
        url: 'http://127.0.0.1:9/hook',
        name: 'oncology desk',
        filter: { watchlistIds: [other.id, watchlist.id] },
      }),
    );
    // A subscription stored with the id in capitals (as one made before ids were kept in lower case).
    const stored = await commands.execute(
      new CreateSubscriptionCommand({ url: 'http://127.0.0.1:9/hook', filter: { watchlistIds: [watchlist.id] } }),
    );
    await module
      .get(Database)
      .execute(
        `UPDATE subscriptions SET filter = jsonb_build_object('watchlistIds', jsonb_build_array($2::text)) WHERE id = $1`,
        [stored.id, watchlist.id.toUpperCase()],
      );
    // Deleted, the watchlist would leave them matching nothing, ever, without a word to their receivers.
    const refusal = await commands.execute(new DeleteWatchlistCommand(watchlist.id)).catch((error: unknown) => error);
    expect(refusal).toMatchObject({
      code: 'watchlist.in-use',
      kind: 'conflict',
      details: { subscriptionIds: expect.arrayContaining([listening.id, stored.id]) },
    });
    expect((refusal as Error).message).toContain(listening.id);
    expect((refusal as Error).message).toContain('oncology desk');
    expect(await queries.execute(new GetWatchlistQuery(watchlist.id))).toMatchObject({ id: watchlist.id });
    // Its schedule is left running.
    const watchlistQueue = module.get<Queue>(getQueueToken(QUEUES.watchlists));
    expect(await watchlistQueue.getJobScheduler(`watchlist:${watchlist.id}`)).toBeDefined();

    await commands.execute(new UpdateSubscriptionCommand(listening.id, { filter: { watchlistIds: [other.id] } }));
    await commands.execute(new DeleteSubscriptionCommand(stored.id));
    await commands.execute(new DeleteWatchlistCommand(watchlist.id));
    await expect(queries.execute(new GetWatchlistQuery(watchlist.id))).rejects.toMatchObject({
      code: 'watchlist.not-found',
    });

    // One left naming a watchlist deleted before deleting refused it is not enabled again to match nothing.
    await module
      .get(Database)
      .execute(
        `UPDATE subscriptions SET status = 'disabled', filter = jsonb_build_object('watchlistIds', jsonb_build_array($2::text)) WHERE id = $1`,
        [listening.id, watchlist.id],
      );
    await expect(commands.execute(new EnableSubscriptionCommand(listening.id))).rejects.toMatchObject({
      code: 'subscription.invalid',
      message: expect.stringContaining(watchlist.id),
    });
    expect(await queries.execute(new GetSubscriptionQuery(listening.id))).toMatchObject({ status: 'disabled' });
  });

  it('hears of the first changes of a trial a run brings in, matched before the run ends, on webhooks and the feed', async () => {
    const [found] = fake.putSyntheticStudies(1, { firstNumber: 96_000_001, condition: 'glioblastoma' });
    // The run's page comes late: the worker matches what the search brought in while the run goes on.
    const page = '/pages/NCT06360861.html';
    fake.servePage(page, readFixture('registry-pages-html', '004_e3c06c917fab1162.html'));
    fake.injectFaults([{ kind: 'delay', ms: 2_000 }], (url) => url.pathname === page);
    const watchlist = await commands.execute(
      new CreateWatchlistCommand({
        name: 'glioblastoma search',
        search: { 'query.cond': 'glioblastoma' },
        pageUrls: [`${fake.baseUrl}${page}`],
      }),
    );
    const subscription = await commands.execute(
      new CreateSubscriptionCommand({ url: 'http://127.0.0.1:9/hook', filter: { watchlistIds: [watchlist.id] } }),
    );
    const feed = (after?: string) =>
      queries.execute(new GetChangeFeedQuery({ watchlistIds: [watchlist.id], after, limit: 100 }));

    const run = commands.execute(new RequestWatchlistSyncCommand(watchlist.id, true));
    await eventually(async () => (await module.get(EventStore).readStream(`trial-${found}`)).length > 0);
    while (await module.get(NotificationMatcher).matchBatch());
    await commands.execute(new CatchUpProjectionsCommand());
    const readMeanwhile = await feed();
    expect(await run).toMatchObject({ status: 'succeeded' });

    while (await module.get(NotificationMatcher).matchBatch());
    await commands.execute(new CatchUpProjectionsCommand());
    const whole = await feed();
    const trials = whole.changes.map((change) => change.nctId);
    expect(new Set(trials)).toEqual(new Set([found, 'NCT06360861']));
    // Read from where the reader was meanwhile, the feed goes on with what it had not given yet.
    const rest = await feed(readMeanwhile.nextCursor!);
    expect([...readMeanwhile.changes, ...rest.changes].map((change) => change.eventId)).toEqual(
      whole.changes.map((change) => change.eventId),
    );
    expect((await queries.execute(new GetSubscriptionQuery(subscription.id))).lastSequence).toBe(whole.changes.length);
  });
});
