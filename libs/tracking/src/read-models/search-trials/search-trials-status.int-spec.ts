import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from '../catch-up-projections/catch-up-projections.command.js';
import { listenOnLoopback } from '../../../../../test/support/http.js';

/** `GET /trials?status=` over HTTP. */
describe('searching trials by status', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    return {
      status: response.status,
      body: (await response.json()) as { trials?: { nctId: string }[]; error?: { message: string } },
    };
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    baseUrl = await listenOnLoopback(app);
    const commands = app.get(CommandBus);
    const { ingestionId } = await commands.execute(
      new AcceptSnapshotCommand(
        { content: Buffer.from(studyVersion(0, 'NCT07340001')), mediaType: null, source: 'test' },
        false,
      ),
    );
    await commands.execute(new ProcessIngestionCommand(ingestionId));
    await commands.execute(new CatchUpProjectionsCommand());
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('finds trials by a registry status in any letter case, and none by another the registry has', async () => {
    const recruiting = await get('/trials?status=recruiting');
    expect({ status: recruiting.status, ids: recruiting.body.trials?.map((trial) => trial.nctId) }).toEqual({
      status: 200,
      ids: ['NCT07340001'],
    });
    expect(await get('/trials?status=AVAILABLE')).toEqual({ status: 200, body: { trials: [], nextCursor: null } });
  });

  it('refuses a status the registry does not have (a typo) with a 400 naming the parameter, not an empty list', async () => {
    const typo = await get('/trials?status=RECRUTING');
    expect(typo.status).toBe(400);
    expect(typo.body.error?.message).toMatch(/^status must be an API v2 overall status: .*\bRECRUITING\b/);
  });
});
