import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import pg from 'pg';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from '../catch-up-projections/catch-up-projections.command.js';
import { listenOnLoopback } from '../../../../../test/support/http.js';

/**
 * Query parameters that name an instant (`changedSince`, `since`) over HTTP, against a database whose
 * time zone is not UTC, as a managed PostgreSQL's may be.
 */
describe('instants in query parameters, against a database in another time zone', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  const ingest = async (commands: CommandBus, content: string): Promise<void> => {
    const { ingestionId } = await commands.execute(
      new AcceptSnapshotCommand({ content: Buffer.from(content), mediaType: null, source: 'test' }, false),
    );
    await commands.execute(new ProcessIngestionCommand(ingestionId));
  };
  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const idsOf = (body: Record<string, unknown>) => (body['trials'] as { nctId: string }[]).map((trial) => trial.nctId);

  beforeAll(async () => {
    environment = await createTestEnvironment();
    const server = new pg.Client({ connectionString: new URL('/postgres', environment.databaseUrl).toString() });
    await server.connect();
    try {
      const name = pg.escapeIdentifier(new URL(environment.databaseUrl).pathname.slice(1));
      await server.query(`CREATE DATABASE ${name}`);
      await server.query(`ALTER DATABASE ${name} SET timezone TO 'America/New_York'`);
    } finally {
      await server.end();
    }
    app = await createApiApp(environment.config);
    baseUrl = await listenOnLoopback(app);
    const commands = app.get(CommandBus);
    // Last changed by the record posted 2016-03-02 (midnight UTC).
    await ingest(commands, studyVersion(0, 'NCT07310001'));
    await ingest(commands, studyVersion(60, 'NCT07310001'));
    await commands.execute(new CatchUpProjectionsCommand());
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('reads a day alone as its midnight UTC, whatever the time zone of the database', async () => {
    const since = await get('/trials?changedSince=2016-03-02');
    expect({ status: since.status, ids: idsOf(since.body) }).toEqual({ status: 200, ids: ['NCT07310001'] });
    const after = await get('/trials?changedSince=2016-03-03');
    expect({ status: after.status, ids: idsOf(after.body) }).toEqual({ status: 200, ids: [] });
  });

  it('reads a time with an offset as the instant it names, and refuses one PostgreSQL cannot read with a 400, not a 500', async () => {
    // 2016-03-02T09:00+14:00 is 2016-03-01T19:00Z, before the last change; 2016-03-02T15:00+14:00 is after it.
    const before = await get(`/trials?changedSince=${encodeURIComponent('2016-03-02T09:00:00+14:00')}`);
    expect({ status: before.status, ids: idsOf(before.body) }).toEqual({ status: 200, ids: ['NCT07310001'] });
    const later = await get(`/trials?changedSince=${encodeURIComponent('2016-03-02T15:00:00+14:00')}`);
    expect({ status: later.status, ids: idsOf(later.body) }).toEqual({ status: 200, ids: [] });
    // JavaScript reads an offset of 20 hours, PostgreSQL does not.
    for (const path of ['/trials?changedSince=', '/reports/outcome-switching?since=']) {
      const refused = await get(`${path}${encodeURIComponent('2016-03-02T09:00:00+20:00')}`);
      expect(refused).toMatchObject({
        status: 400,
        body: { error: { message: expect.stringContaining('must be an ISO 8601 date or time') } },
      });
    }
  });
});
