import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { factsOf, type TrialFacts, type TrialSnapshot } from '@app/domain';
import { parseSnapshots } from '@app/registry-formats';
import { readFixture } from '../../../../../test/support/fixtures.js';
import { apiV2Study } from '../../../../../test/support/render-api-v2.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, type Ingestion, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from '../catch-up-projections/catch-up-projections.command.js';
import { GetTrialQuery } from '../get-trial/get-trial.query.js';
import { GetStatusHistoryQuery, type StatusHistory } from './get-status-history.query.js';

const NCT_ID = 'NCT05292611';
/** A Veeva page of the trial, without a last-update date: it says the trial is completed. */
const PAGE = () => readFixture('registry-pages', '003_3bc531e48d6f61f9.txt').replaceAll('NCT05292625', NCT_ID);

const record = (facts: TrialFacts, date: string, overallStatus: string): string =>
  JSON.stringify(
    apiV2Study({
      ...facts,
      overallStatus,
      lastUpdatePostDate: { date, type: 'ACTUAL' },
      lastUpdateSubmitDate: date,
      primaryCompletionDate: facts.primaryCompletionDate ?? { date: '2027-06', type: 'ESTIMATED' },
    }),
  );

describe('status history, against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;
  let queries: QueryBus;

  const ingest = async (content: string, observedAt?: string): Promise<Ingestion> => {
    const { ingestionId } = await commands.execute(
      new AcceptSnapshotCommand({ content: Buffer.from(content), mediaType: null, source: 'test', observedAt }, false),
    );
    return commands.execute(new ProcessIngestionCommand(ingestionId));
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

  it('keeps one period when a record shows the status a page had seemed to change was never left', async () => {
    const facts = factsOf(parseSnapshots(PAGE(), { receivedAt: '2026-01-01T00:00:00.000Z' })[0] as TrialSnapshot);
    await ingest(record(facts, '2018-05-01', 'RECRUITING'));
    // The page, observed later, says completed: a change, as far as trialwatch can tell then.
    expect((await ingest(PAGE(), '2025-12-01T00:00:00.000Z')).status).toBe('appended');
    // The record posted before that observation still says recruiting: the page's status is replaced, learned.
    const later = await ingest(record(facts, '2025-06-01', 'RECRUITING'));
    expect(later.results[0]!.events.map((event) => event.type)).toEqual([
      'trial.facts-learned',
      'trial.last-update-posted-date-moved',
    ]);
    await commands.execute(new CatchUpProjectionsCommand());

    const trial = await queries.execute(new GetTrialQuery(NCT_ID));
    expect(trial.state.overallStatus).toBe('RECRUITING');
    const history: StatusHistory = await queries.execute(new GetStatusHistoryQuery(NCT_ID));
    expect({
      currentStatus: history.currentStatus,
      periods: history.periods.map(({ status, from, to, current }) => ({ status, from, to, current })),
    }).toEqual({
      currentStatus: 'RECRUITING',
      periods: [{ status: 'RECRUITING', from: '2018-05-01T00:00:00.000Z', to: null, current: true }],
    });
  });
});
