import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CreateWatchlistCommand } from '../../watchlists/index.js';
import { Database } from '@app/infrastructure';
import { CatchUpProjectionsCommand } from '../catch-up-projections/catch-up-projections.command.js';
import { GetChangeFeedEndQuery } from '../get-change-feed-end/get-change-feed-end.query.js';
import { type ChangeFeedFilter, type ChangeFeedPage, GetChangeFeedQuery } from './get-change-feed.query.js';

describe('the change feed reads each entry once, against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;
  let queries: QueryBus;

  beforeAll(async () => {
    environment = await createTestEnvironment();
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
  const caughtUp = () => commands.execute(new CatchUpProjectionsCommand());
  const page = (filter: ChangeFeedFilter): Promise<ChangeFeedPage> => queries.execute(new GetChangeFeedQuery(filter));
  const end = (): Promise<string> => queries.execute(new GetChangeFeedEndQuery());
  const compare = (a: string, b: string): number => {
    const [ax, ap] = a.split('.').map(BigInt) as [bigint, bigint];
    const [bx, bp] = b.split('.').map(BigInt) as [bigint, bigint];
    return ax === bx ? Number(ap - bp) : Number(ax - bx);
  };

  it('moves a filter that matched nothing to the end of the feed, and from there reads only what is new', async () => {
    for (const version of [0, 1, 2, 3]) await ingest(studyVersion(version, 'NCT07100001'));
    await caughtUp();

    const quiet = await page({ nctIds: ['NCT07100002'], limit: 100 });
    expect(quiet.changes).toEqual([]);
    expect(quiet.caughtUp).toBe(true);
    // Scanned up to the newest entry, although none matched: the next read starts there.
    expect(quiet.nextCursor).toBe(await end());

    await ingest(studyVersion(4, 'NCT07100001'));
    await ingest(studyVersion(0, 'NCT07100002'));
    await caughtUp();
    const next = await page({ nctIds: ['NCT07100002'], after: quiet.nextCursor!, limit: 100 });
    expect(next.changes.map((change) => [change.nctId, change.type])).toEqual([['NCT07100002', 'trial.registered']]);
    expect(next.nextCursor).toBe(await end());

    // Nothing new: the cursor stays where it was.
    const idle = await page({ nctIds: ['NCT07100002'], after: next.nextCursor!, limit: 100 });
    expect(idle).toEqual({ changes: [], nextCursor: next.nextCursor, caughtUp: true });
  });

  it('looks at a bounded number of entries per read; the pages together hold every match once, in order', async () => {
    for (const version of [0, 1, 2, 3, 4, 5]) {
      await ingest(studyVersion(version, 'NCT07100011'));
      if (version % 3 === 0) await ingest(studyVersion(version, 'NCT07100012'));
    }
    await caughtUp();
    const everything = await page({ nctIds: ['NCT07100011', 'NCT07100012'], limit: 1000 });
    const wanted = everything.changes.filter((change) => change.nctId === 'NCT07100012').map((c) => c.eventId);
    expect(wanted.length).toBeGreaterThanOrEqual(2);

    const seen: string[] = [];
    let after: string | undefined;
    let emptyButNotCaughtUp = 0;
    for (let reads = 0; reads < 100; reads += 1) {
      const next = await page({ nctIds: ['NCT07100012'], after, limit: 1, scanLimit: 2 });
      seen.push(...next.changes.map((change) => change.eventId));
      if (next.changes.length === 0 && !next.caughtUp) emptyButNotCaughtUp += 1;
      if (after) expect(compare(next.nextCursor!, after)).toBeGreaterThanOrEqual(0);
      after = next.nextCursor!;
      if (next.caughtUp) break;
    }
    expect(seen).toEqual(wanted);
    // Some reads looked only at other trials' entries: they found nothing yet moved on.
    expect(emptyButNotCaughtUp).toBeGreaterThan(0);
    expect(after).toBe(await end());
  });

  it('reads watchlist membership as data: a trial a run recorded is watched, with no run or ingestion to join', async () => {
    const watchlist = await commands.execute(
      new CreateWatchlistCommand({ name: 'membership', search: { 'query.cond': 'nothing in particular' } }),
    );
    // What a run records when its search brings a trial in; no run or ingestion of the watchlist exists.
    const database = module.get(Database);
    await database.execute(
      `INSERT INTO watchlist_trials (watchlist_id, nct_id, first_seen_at) VALUES ($1, $2, now())`,
      [watchlist.id, 'NCT07100021'],
    );
    expect(await database.query(`SELECT 1 FROM watchlist_runs WHERE watchlist_id = $1`, [watchlist.id])).toEqual([]);

    await ingest(studyVersion(0, 'NCT07100021'));
    await ingest(studyVersion(0, 'NCT07100022'));
    await caughtUp();
    const watched = await page({ watchlistIds: [watchlist.id], limit: 100 });
    expect(watched.changes.map((change) => change.nctId)).toEqual(['NCT07100021']);
    expect(watched.nextCursor).toBe(await end());
  });
});
