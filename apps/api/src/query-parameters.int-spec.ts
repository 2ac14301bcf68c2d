import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '@app/tracking/ingestion';
import { CatchUpProjectionsCommand } from '@app/tracking/read-models';
import { studyVersion } from '../../../test/support/study-versions.js';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/test-environment.js';
import { createApiApp } from './create-api-app.js';

/** Query parameters as clients write them, over HTTP. */
describe('query parameters', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  const get = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text,
    };
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    const commands = app.get(CommandBus);
    // Registered recruiting, then active: a registration and a status change.
    for (const version of [0, 25]) {
      const { ingestionId } = await commands.execute(
        new AcceptSnapshotCommand(
          { content: Buffer.from(studyVersion(version, 'NCT07350001')), mediaType: null, source: 'test' },
          false,
        ),
      );
      await commands.execute(new ProcessIngestionCommand(ingestionId));
    }
    await commands.execute(new CatchUpProjectionsCommand());
  });

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('reads a list given more than once, comma-separated or not, as one list', async () => {
    const typesOf = async (query: string) => {
      const { status, body } = await get(`/changes?${query}`);
      expect(status).toBe(200);
      return (body as { changes: { type: string }[] }).changes.map((change) => change.type);
    };
    // The second record changed the status and the enrollment.
    const three = ['trial.registered', 'trial.overall-status-changed', 'trial.enrollment-updated'];
    expect(await typesOf(`types=${three.join(',')}`)).toEqual(three);
    expect(await typesOf(three.map((type) => `types=${type}`).join('&'))).toEqual(three);
    expect(await typesOf(`types=${three[0]},${three[1]}&types=${three[2]}`)).toEqual(three);
  });
});
