import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { actual, anOutcome, aTrial, estimated } from '../../../../domain/src/testing/trial-facts.js';
import type { TrialFacts } from '@app/domain';
import { apiV2Study, limitedApiV2Study } from '../../../../../test/support/render-api-v2.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from '../catch-up-projections/catch-up-projections.command.js';
import { GetOutcomeSwitchingReportQuery, type OutcomeSwitchingReport } from './get-outcome-switching-report.query.js';

const TRIALS = ['NCT07330001', 'NCT07330002', 'NCT07330003'];
const MEASURES = ['Overall survival', 'Tumour response rate', 'Quality of life score', 'Hospital admissions count'];

const posted = (date: string): Partial<TrialFacts> => ({
  lastUpdatePostDate: actual(date),
  lastUpdateSubmitDate: date,
});

describe('the outcome-switching report, against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;
  let queries: QueryBus;

  const ingest = async (document: unknown, observedAt?: string): Promise<void> => {
    const { ingestionId } = await commands.execute(
      new AcceptSnapshotCommand(
        { content: Buffer.from(JSON.stringify(document)), mediaType: null, source: 'test', observedAt },
        false,
      ),
    );
    await commands.execute(new ProcessIngestionCommand(ingestionId));
  };

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

  it("lists a trial's switches in the order they were made, also those recorded at one time", async () => {
    for (const nctId of TRIALS) {
      const trial = (measure: string, date: string): TrialFacts =>
        aTrial({
          nctId,
          startDate: actual('2017-01'),
          primaryCompletionDate: estimated('2030-01'),
          completionDate: estimated('2030-06'),
          primaryOutcomes: [anOutcome(measure, '2 years')],
          ...posted(date),
        });
      await ingest(apiV2Study(trial(MEASURES[0]!, '2018-01-10')));
      // A search result without a registry date, observed in December, that shows no outcomes: the records
      // posted before it are recorded at December, never before it (occurredAt never runs backwards).
      await ingest(
        limitedApiV2Study({ ...trial(MEASURES[0]!, '2018-01-10'), enrollment: { count: 350, type: null } }),
        '2025-12-01T00:00:00.000Z',
      );
      await ingest(apiV2Study(trial(MEASURES[1]!, '2025-06-01')));
      await ingest(apiV2Study(trial(MEASURES[2]!, '2025-09-01')));
      await ingest(apiV2Study(trial(MEASURES[3]!, '2025-10-01')));
    }
    await commands.execute(new CatchUpProjectionsCommand());

    const report: OutcomeSwitchingReport = await queries.execute(new GetOutcomeSwitchingReportQuery({ limit: 10 }));
    expect(report.trials.map((trial) => trial.nctId)).toEqual(TRIALS);
    for (const trial of report.trials) {
      expect(trial.switches.map((entry) => entry.occurredAt)).toEqual(Array(3).fill('2025-12-01T00:00:00.000Z'));
      expect(
        trial.switches.map((entry) => [
          [...entry.removed, ...entry.reworded.map((pair) => pair.before)].map((outcome) => outcome.measure),
          [...entry.added, ...entry.reworded.map((pair) => pair.after)].map((outcome) => outcome.measure),
        ]),
      ).toEqual([
        [[MEASURES[0]], [MEASURES[1]]],
        [[MEASURES[1]], [MEASURES[2]]],
        [[MEASURES[2]], [MEASURES[3]]],
      ]);
    }
  });
});
