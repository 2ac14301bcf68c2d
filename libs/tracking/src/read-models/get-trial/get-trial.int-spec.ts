import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { Database } from '@app/infrastructure';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from '../catch-up-projections/catch-up-projections.command.js';
import { GetTrialQuery, type TrialView } from './get-trial.query.js';

const NCT_ID = 'NCT07320001';

describe("a trial's state, current and as of a day, against PostgreSQL", () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let queries: QueryBus;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    module = await createTrackingModule(environment);
    const commands = module.get(CommandBus);
    queries = module.get(QueryBus);
    // Posted 2016-01-02, then 2016-01-27 (status and enrollment change), then 2016-02-21.
    for (const version of [0, 25, 50]) {
      const { ingestionId } = await commands.execute(
        new AcceptSnapshotCommand(
          { content: Buffer.from(studyVersion(version, NCT_ID)), mediaType: null, source: 'test' },
          false,
        ),
      );
      await commands.execute(new ProcessIngestionCommand(ingestionId));
    }
    await commands.execute(new CatchUpProjectionsCommand());
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  it('skips an event a later trialwatch wrote, as the current state does, instead of answering event.unreadable', async () => {
    // The second record's enrollment update, as if written by a later version under a type this one does not know.
    await module
      .get(Database)
      .execute(
        `UPDATE events SET type = 'trial.renamed-by-a-later-version' WHERE stream_id = $1 AND type = $2 AND stream_version < 5`,
        [`trial-${NCT_ID}`, 'trial.enrollment-updated'],
      );
    const current: TrialView = await queries.execute(new GetTrialQuery(NCT_ID));
    const asOf: TrialView = await queries.execute(new GetTrialQuery(NCT_ID, '2016-01-31'));
    expect({ asOf: asOf.asOf, status: asOf.state.overallStatus, streamVersion: asOf.streamVersion }).toEqual({
      asOf: '2016-01-31',
      status: 'ACTIVE_NOT_RECRUITING',
      streamVersion: 4,
    });
    // The later record's enrollment, which the skipped event would have given too, is the same either way.
    const late: TrialView = await queries.execute(new GetTrialQuery(NCT_ID, '2030-01-01'));
    expect({ state: late.state, streamVersion: late.streamVersion }).toEqual({
      state: current.state,
      streamVersion: current.streamVersion,
    });
  });
});
