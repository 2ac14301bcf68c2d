import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { Database } from '@app/infrastructure';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import {
  CatchUpProjectionsCommand,
  GetChangeFeedQuery,
  GetRecentChangesQuery,
  RebuildProjectionCommand,
} from '../../read-models/index.js';
import { NotificationMatcher } from '../matching/notification-matcher.js';
import { CreateSubscriptionCommand } from '../subscriptions/create-subscription.command.js';

/** Version `version` of a trial, with the conditions, lead sponsor and phases given. */
const trialVersion = (
  nctId: string,
  version: number,
  facts: { conditions: string[]; sponsor: string; phases: string[] },
): string => {
  const study = JSON.parse(studyVersion(version, nctId));
  study.protocolSection.conditionsModule.conditions = facts.conditions;
  study.protocolSection.sponsorCollaboratorsModule.leadSponsor.name = facts.sponsor;
  study.protocolSection.designModule.phases = facts.phases;
  return JSON.stringify(study);
};

describe('one filter meaning: the facts at each event, for webhooks, the change feed and recent changes', () => {
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

  const ingest = async (content: string): Promise<void> => {
    const { ingestionId } = await commands.execute(
      new AcceptSnapshotCommand({ content: Buffer.from(content), mediaType: null, source: 'test' }, false),
    );
    await commands.execute(new ProcessIngestionCommand(ingestionId));
  };
  const feedIds = async (filter: { conditions?: string[]; sponsors?: string[]; phases?: string[] }) =>
    (await queries.execute(new GetChangeFeedQuery({ ...filter, limit: 1000 }))).changes.map((change) => change.eventId);
  /** The events matched to a subscription, in commit order. */
  const delivered = async (subscriptionId: string) =>
    (
      await module
        .get(Database)
        .query<{ event_id: string }>(
          `SELECT event_id FROM deliveries WHERE subscription_id = $1 ORDER BY transaction_id, global_position`,
          [subscriptionId],
        )
    ).map((row) => row.event_id);
  const recentIds = async (filter: { condition?: string; sponsor?: string }) =>
    (await queries.execute(new GetRecentChangesQuery({ ...filter, limit: 1000 }))).changes
      .map((change) => change.eventId)
      .reverse();

  it('matches a trial by what it was when each change happened, not by what it is now', async () => {
    const nctId = 'NCT07200001';
    const hook = 'http://127.0.0.1:9/hook';
    const diabetes = await commands.execute(
      new CreateSubscriptionCommand({ url: hook, filter: { conditions: ['diabetes'] } }),
    );
    const acme = await commands.execute(
      new CreateSubscriptionCommand({ url: hook, filter: { leadSponsors: ['acme'] } }),
    );
    const phase3 = await commands.execute(new CreateSubscriptionCommand({ url: hook, filter: { phases: ['PHASE3'] } }));

    // Registered as an obesity trial of Acme in phase 2; version 1 moves enrollment; version 2 becomes
    // a diabetes trial of Beta Corp in phase 3; version 3 moves enrollment again.
    const before = { conditions: ['Obesity'], sponsor: 'Acme Pharma', phases: ['PHASE2'] };
    const after = { conditions: ['Type 2 Diabetes'], sponsor: 'Beta Corp', phases: ['PHASE3'] };
    await ingest(trialVersion(nctId, 0, before));
    await ingest(trialVersion(nctId, 1, before));
    await ingest(trialVersion(nctId, 2, after));
    await ingest(trialVersion(nctId, 3, after));
    await commands.execute(new CatchUpProjectionsCommand());

    // What each event's trial was once it applied, walked by hand from the event types.
    const changes = (await queries.execute(new GetChangeFeedQuery({ limit: 1000 }))).changes;
    const facts = { ...before };
    const expected = changes.map((change) => {
      if (change.type === 'trial.conditions-changed') facts.conditions = after.conditions;
      if (change.type === 'trial.lead-sponsor-changed') facts.sponsor = after.sponsor;
      if (change.type === 'trial.phases-changed') facts.phases = after.phases;
      return { id: change.eventId, ...facts };
    });
    const where = (test: (entry: (typeof expected)[number]) => boolean) =>
      expected.filter(test).map((entry) => entry.id);
    expect(changes.map((change) => change.type)).toEqual(
      expect.arrayContaining(['trial.conditions-changed', 'trial.lead-sponsor-changed', 'trial.phases-changed']),
    );
    const obesity = where((entry) => entry.conditions === before.conditions);
    expect(obesity.length).toBeGreaterThanOrEqual(2);
    expect(obesity.length).toBeLessThan(changes.length);

    expect(await feedIds({ conditions: ['obesity'] })).toEqual(obesity);
    expect(await feedIds({ conditions: ['DIABETES'] })).toEqual(
      where((entry) => entry.conditions === after.conditions),
    );
    expect(await feedIds({ sponsors: ['acme'] })).toEqual(where((entry) => entry.sponsor === before.sponsor));
    expect(await feedIds({ sponsors: ['beta corp'] })).toEqual(where((entry) => entry.sponsor === after.sponsor));
    expect(await feedIds({ phases: ['PHASE2'] })).toEqual(where((entry) => entry.phases === before.phases));
    expect(await feedIds({ phases: ['PHASE3'] })).toEqual(where((entry) => entry.phases === after.phases));

    // The web's recent changes (and the Atom feeds, which read them) match the same facts.
    expect(await recentIds({ condition: 'obesity' })).toEqual(obesity);
    expect(await recentIds({ sponsor: 'beta corp' })).toEqual(where((entry) => entry.sponsor === after.sponsor));

    // Webhooks matched the same events.
    const matcher = module.get(NotificationMatcher);
    while (await matcher.matchBatch());
    expect(await delivered(diabetes.id)).toEqual(await feedIds({ conditions: ['diabetes'] }));
    expect(await delivered(acme.id)).toEqual(await feedIds({ sponsors: ['acme'] }));
    expect(await delivered(phase3.id)).toEqual(await feedIds({ phases: ['PHASE3'] }));

    // A rebuild of the change feed gives every entry the same facts.
    await commands.execute(new RebuildProjectionCommand('change-feed'));
    expect(await feedIds({ sponsors: ['acme'] })).toEqual(where((entry) => entry.sponsor === before.sponsor));
    expect(await feedIds({ conditions: ['obesity'] })).toEqual(obesity);
  });

  it('matches letters beyond ASCII in any case the same way for webhooks and the change feed', async () => {
    const hook = 'http://127.0.0.1:9/hook';
    const subscribe = (filter: { leadSponsors?: string[]; conditions?: string[] }) =>
      commands.execute(new CreateSubscriptionCommand({ url: hook, filter }));
    const izmir = await subscribe({ leadSponsors: ['izmir'] });
    const istanbul = await subscribe({ conditions: ['istanbul'] });
    // JavaScript lowers 'İ' to 'i' and a combining dot; PostgreSQL's lower() to 'i'.
    const facts = { conditions: ['İSTANBUL Syndrome'], sponsor: 'İzmir Katip Çelebi University', phases: ['PHASE2'] };
    await ingest(trialVersion('NCT07200077', 0, facts));
    await ingest(trialVersion('NCT07200077', 1, facts));
    await commands.execute(new CatchUpProjectionsCommand());
    const matcher = module.get(NotificationMatcher);
    while (await matcher.matchBatch());
    const bySponsor = await feedIds({ sponsors: ['izmir'] });
    expect(bySponsor.length).toBeGreaterThanOrEqual(2);
    expect(await delivered(izmir.id)).toEqual(bySponsor);
    const byCondition = await feedIds({ conditions: ['istanbul'] });
    expect(byCondition).toEqual(bySponsor);
    expect(await delivered(istanbul.id)).toEqual(byCondition);
  });
});
