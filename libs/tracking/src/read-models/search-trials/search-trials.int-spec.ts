import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import { studyVersion } from '../../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { AcceptSnapshotCommand, ProcessIngestionCommand } from '../../ingestion/index.js';
import { CatchUpProjectionsCommand } from '../catch-up-projections/catch-up-projections.command.js';
import { GetLastMaterialChangesQuery } from '../get-last-material-changes/get-last-material-changes.query.js';
import { SearchTrialsQuery, type TrialSearchCriteria, type TrialSearchPage } from './search-trials.query.js';

const TRIALS = ['NCT07200001', 'NCT07200002', 'NCT07200003', 'NCT07200004', 'NCT07200005'];

describe('searching the current states, against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;
  let queries: QueryBus;

  const ingest = async (content: string): Promise<void> => {
    const { ingestionId } = await commands.execute(
      new AcceptSnapshotCommand({ content: Buffer.from(content), mediaType: null, source: 'test' }, false),
    );
    await commands.execute(new ProcessIngestionCommand(ingestionId));
  };
  const search = (criteria: TrialSearchCriteria): Promise<TrialSearchPage> =>
    queries.execute(new SearchTrialsQuery(criteria));
  const idsOf = (page: TrialSearchPage) => page.trials.map((trial) => trial.nctId);

  beforeAll(async () => {
    environment = await createTestEnvironment();
    module = await createTrackingModule(environment);
    commands = module.get(CommandBus);
    queries = module.get(QueryBus);
    for (const nctId of TRIALS) await ingest(studyVersion(0, nctId));
    // A later record of one trial: its status and enrollment change (10 to 40 participants).
    await ingest(studyVersion(30, 'NCT07200003'));
    await commands.execute(new CatchUpProjectionsCommand());
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  it('pages through every match by NCT ID, counting them all on each page', async () => {
    const first = await search({ text: 'nct072', limit: 2, countTotal: true });
    expect({ ids: idsOf(first), total: first.total, next: first.nextCursor }).toEqual({
      ids: ['NCT07200001', 'NCT07200002'],
      total: 5,
      next: 'NCT07200002',
    });
    const second = await search({ text: 'nct072', limit: 2, countTotal: true, cursor: first.nextCursor! });
    expect({ ids: idsOf(second), total: second.total }).toEqual({ ids: ['NCT07200003', 'NCT07200004'], total: 5 });
    const last = await search({ text: 'nct072', limit: 2, cursor: second.nextCursor! });
    expect({ ids: idsOf(last), next: last.nextCursor, total: last.total }).toEqual({
      ids: ['NCT07200005'],
      next: null,
      total: undefined,
    });
  });

  it('matches text in any letter case, with the other criteria, and counts what it matches', async () => {
    const title = (await search({ text: 'nct07200001', limit: 1 })).trials[0]!.briefTitle!;
    const byTitle = await search({ text: title.slice(3, 20).toUpperCase(), limit: 10, countTotal: true });
    expect(byTitle.total).toBe(5);
    const moved = await search({ text: 'nct072', status: 'ACTIVE_NOT_RECRUITING', limit: 10, countTotal: true });
    expect({ ids: idsOf(moved), total: moved.total }).toEqual({ ids: ['NCT07200003'], total: 1 });
    expect((await search({ text: 'no such words anywhere', limit: 10, countTotal: true })).total).toBe(0);
  });

  it("gives each trial's latest change graded medium or higher, leaving out trials without one", async () => {
    const latest = await queries.execute(new GetLastMaterialChangesQuery(['NCT07200001', 'NCT07200003']));
    expect([...latest.keys()]).toEqual(['NCT07200003']);
    const change = latest.get('NCT07200003')!;
    expect(['medium', 'high']).toContain(change.materiality.tier);
    expect(change.occurredAt.slice(0, 10)).toBe('2016-02-01');
    expect(await queries.execute(new GetLastMaterialChangesQuery([]))).toEqual(new Map());
  });
});
