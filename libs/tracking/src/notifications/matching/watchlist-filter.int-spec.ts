import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { Database } from '@app/infrastructure';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { IngestSnapshotsCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand, GetChangeFeedQuery } from '../../read-models/index.js';
import { CreateWatchlistCommand } from '../../watchlists/index.js';
import { CreateSubscriptionCommand } from '../subscriptions/create-subscription.command.js';
import { GetSubscriptionQuery } from '../subscriptions/get-subscription.query.js';
import { ListSubscriptionsQuery } from '../subscriptions/list-subscriptions.query.js';
import { UpdateSubscriptionCommand } from '../subscriptions/update-subscription.command.js';
import { NotificationMatcher } from './notification-matcher.js';

describe('a watchlist filter, whatever the letter case of the watchlist id, against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;
  let queries: QueryBus;

  beforeAll(async () => {
    environment = await createTestEnvironment({
      outbound: { allowedHosts: ['127.0.0.0/8'], dnsServers: [], dnsCacheMs: 30_000 },
    });
    module = await createTrackingModule(environment);
    commands = module.get(CommandBus);
    queries = module.get(QueryBus);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
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
});
