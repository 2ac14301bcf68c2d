import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { createApiApp } from '../../../../../apps/api/src/create-api-app.js';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from '../catch-up-projections/catch-up-projections.command.js';
import { listenOnLoopback } from '../../../../../test/support/http.js';

/** The status-history export over HTTP, in-process. */
describe('GET /exports/status-history.csv', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createApiApp(environment.config);
    baseUrl = await listenOnLoopback(app);
    const commands = app.get(CommandBus);
    // Recruiting from 2016-01-02, active from 2016-01-27.
    for (const version of [0, 25]) {
      const { ingestionId } = await commands.execute(
        new AcceptSnapshotCommand(
          { content: Buffer.from(studyVersion(version, 'NCT07340001')), mediaType: null, source: 'test' },
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

  it('exports every trial when nctId names none (left empty), as without it', async () => {
    const every = await (await fetch(`${baseUrl}/exports/status-history.csv`)).text();
    expect(every.trim().split('\n')).toEqual([
      'nct_id,status,from,to,days,current',
      'NCT07340001,RECRUITING,2016-01-02T00:00:00.000Z,2016-01-27T00:00:00.000Z,25,false',
      expect.stringMatching(/^NCT07340001,ACTIVE_NOT_RECRUITING,2016-01-27T00:00:00\.000Z,,\d+,true$/),
    ]);
    const empty = await fetch(`${baseUrl}/exports/status-history.csv?nctId=`);
    expect({ status: empty.status, body: await empty.text() }).toEqual({ status: 200, body: every });
  });

  it('reads NCT IDs in any letter case, as the change feed and the trial routes do', async () => {
    const every = await (await fetch(`${baseUrl}/exports/status-history.csv`)).text();
    const lowerCase = await fetch(`${baseUrl}/exports/status-history.csv?nctId=nct07340001`);
    expect({ status: lowerCase.status, body: await lowerCase.text() }).toEqual({ status: 200, body: every });
  });
});
