import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from '../catch-up-projections/catch-up-projections.command.js';
import { listenOnLoopback } from '../../../../../test/support/http.js';

/** A cursor past the end of the feed (another installation, a reset database), over HTTP. */
describe('the change feed read from a cursor past its end', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

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

  it('refuses it with 409 on the feed and its exports, and reads on from its own last cursor', async () => {
    const page = (await (await fetch(`${baseUrl}/changes`)).json()) as { changes: { cursor: string }[] };
    const last = page.changes.at(-1)!.cursor;
    const [transaction, position] = last.split('.');
    const ahead = `${BigInt(transaction!) + 1_000_000n}.${position}`;
    for (const path of ['/changes', '/exports/changes.csv', '/exports/changes.jsonl']) {
      const refused = await fetch(`${baseUrl}${path}?after=${ahead}`);
      expect({ path, status: refused.status, contentType: refused.headers.get('content-type') }).toEqual({
        path,
        status: 409,
        contentType: expect.stringContaining('application/json'),
      });
      expect(((await refused.json()) as { error: unknown }).error).toMatchObject({
        code: 'request.cursor-ahead',
        details: { cursor: ahead, parameter: 'after' },
      });
    }
    const caughtUp = await fetch(`${baseUrl}/changes?after=${last}`);
    expect(caughtUp.status).toBe(200);
    expect(await caughtUp.json()).toMatchObject({ changes: [], nextCursor: last, caughtUp: true });
  });
});
