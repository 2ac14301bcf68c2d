import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Database, EventStore } from '@app/infrastructure';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import {
  createTestEnvironment,
  eventually,
  type TestEnvironment,
} from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from '../catch-up-projections/catch-up-projections.command.js';
import { CHANGE_FEED_TABLE, ChangeFeedRepository } from '../repositories/change-feed.repository.js';
import { listenOnLoopback } from '../../../../../test/support/http.js';

interface Answer {
  changes?: { nctId: string }[];
  error?: { code: string; message: string; details: Record<string, unknown> };
}

/** `watchlist=` on the change feed, its exports and its live stream, over HTTP. */
describe('the change feed filtered by watchlist', () => {
  const NO_SUCH_WATCHLIST = '0b7c1e1e-4a3e-4c3e-9c3e-1e1e1e1e1e1e';
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let watchlistId: string;

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: (await response.text()) as string,
    };
  };
  const json = (text: string): Answer => JSON.parse(text) as Answer;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    baseUrl = await listenOnLoopback(app);
    const created = await fetch(`${baseUrl}/watchlists`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'watched', nctIds: ['NCT07320001'] }),
    });
    expect(created.status).toBe(201);
    watchlistId = ((await created.json()) as { id: string }).id;
    const commands = app.get(CommandBus);
    for (const nctId of ['NCT07320001', 'NCT07320002']) {
      for (const version of [0, 30]) {
        const { ingestionId } = await commands.execute(
          new AcceptSnapshotCommand(
            { content: Buffer.from(studyVersion(version, nctId)), mediaType: null, source: 'test' },
            false,
          ),
        );
        await commands.execute(new ProcessIngestionCommand(ingestionId));
      }
    }
    await commands.execute(new CatchUpProjectionsCommand());
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it("gives a watchlist's changes, its trials' only", async () => {
    const feed = await get(`/changes?watchlist=${watchlistId}`);
    expect(feed.status).toBe(200);
    expect(new Set(json(feed.body).changes!.map((change) => change.nctId))).toEqual(new Set(['NCT07320001']));
  });

  it('refuses a watchlist that does not exist with a 400 naming the parameter and the id, not an empty answer', async () => {
    for (const path of [
      `/changes?watchlist=${NO_SUCH_WATCHLIST}`,
      `/changes?watchlist=${watchlistId},${NO_SUCH_WATCHLIST}`,
      `/exports/changes.csv?watchlist=${NO_SUCH_WATCHLIST}`,
      `/exports/changes.jsonl?watchlist=${NO_SUCH_WATCHLIST}`,
      `/changes/stream?watchlist=${NO_SUCH_WATCHLIST}`,
    ]) {
      const refused = await get(path);
      expect({ path, status: refused.status, contentType: refused.contentType }).toEqual({
        path,
        status: 400,
        contentType: expect.stringContaining('application/json'),
      });
      expect(json(refused.body).error).toEqual({
        code: 'request.unknown-watchlist',
        message: `watchlist: no watchlist with id ${NO_SUCH_WATCHLIST}`,
        details: { parameter: 'watchlist', watchlistIds: [NO_SUCH_WATCHLIST] },
      });
    }
  });

  // Last: it writes the feed's entry itself, as the projection would.
  it('passes over no change of a trial brought into the watchlist while the feed is being read', async () => {
    const caughtUp = json((await get(`/changes?watchlist=${watchlistId}`)).body) as Answer & { nextCursor: string };
    const database = app.get(Database);
    const nctId = 'NCT07320003';
    const { ingestionId } = await app
      .get(CommandBus)
      .execute(
        new AcceptSnapshotCommand(
          { content: Buffer.from(studyVersion(0, nctId)), mediaType: null, source: 'test' },
          false,
        ),
      );
    await app.get(CommandBus).execute(new ProcessIngestionCommand(ingestionId));
    const events = await app.get(EventStore).readStream(`trial-${nctId}`);
    const waitingOnFeed = async () =>
      (
        await database.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_locks WHERE relation = '${CHANGE_FEED_TABLE}'::regclass AND NOT granted`,
        )
      )[0]!.waiting > 0;
    let reading!: Promise<{ body: string }>;
    // The feed is held while the read is under way; meanwhile the trial is added to the watchlist and
    // its change projected (as when a run brings a trial in: recorded before its changes are stored).
    await database.transaction(async (sql) => {
      await sql.execute(`LOCK TABLE ${CHANGE_FEED_TABLE} IN ACCESS EXCLUSIVE MODE`);
      reading = get(`/changes?watchlist=${watchlistId}&after=${caughtUp.nextCursor}`);
      await eventually(waitingOnFeed, 10_000, 10);
      const added = await fetch(`${baseUrl}/watchlists/${watchlistId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nctIds: ['NCT07320001', nctId] }),
      });
      expect(added.status).toBe(200);
      await app.get(ChangeFeedRepository).insert(sql, CHANGE_FEED_TABLE, events, new Map());
    });
    const seen: string[] = [];
    let page = json((await reading).body) as Answer & { nextCursor: string; caughtUp: boolean };
    seen.push(...page.changes!.map((change) => change.nctId));
    while (!page.caughtUp) {
      page = json((await get(`/changes?watchlist=${watchlistId}&after=${page.nextCursor}`)).body) as typeof page;
      seen.push(...page.changes!.map((change) => change.nctId));
    }
    page = json((await get(`/changes?watchlist=${watchlistId}&after=${page.nextCursor}`)).body) as typeof page;
    seen.push(...page.changes!.map((change) => change.nctId));
    expect(seen).toContain(nctId);
  });
});
