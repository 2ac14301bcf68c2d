import { CommandBus } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import { CqrsModule } from '@nestjs/cqrs';
import { hygieneThresholdsOf, type TrialFacts } from '@app/domain';
import { Clock, Database, EventStore, InfrastructureModule, type StoredEvent } from '@app/infrastructure';
import { AcceptSnapshotCommand, IngestionModule, ProcessIngestionCommand } from '@app/tracking/ingestion';
import {
  CatchUpProjectionsCommand,
  GetChangeFeedQuery,
  GetHygieneReportQuery,
  GetResultsDueReportQuery,
  GetTrialSignalsQuery,
  ReadModelsModule,
  SearchTrialsQuery,
} from '@app/tracking/read-models';
import { CreateWatchlistCommand, WatchlistsModule, type Watchlist } from '@app/tracking/watchlists';
import { QueryBus } from '@nestjs/cqrs';
import { actual, aTrial, estimated } from '../../../../domain/src/testing/trial-facts.js';
import { apiV2Study } from '../../../../../test/support/render-api-v2.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../../test/support/test-environment.js';
import { SignalsModule } from '../signals.module.js';
import { CheckSignalsCommand } from './check-signals.command.js';

/*
 * The daily check against PostgreSQL: trials written as the registry's API v2 records, projected to the
 * current-state read model, then checked on chosen days (the check takes its day as an argument).
 */

const posted = (date: string): Partial<TrialFacts> => ({
  lastUpdatePostDate: actual(date),
  lastUpdateSubmitDate: date,
});

/** Applicable under FDAAA 801 (interventional, phase 3, a US site), primary completion 2024-03-15: due 2025-03-15. */
const DUE_TRIAL = aTrial({
  nctId: 'NCT09000001',
  overallStatus: 'COMPLETED',
  primaryCompletionDate: actual('2024-03-15'),
  completionDate: actual('2024-06-30'),
  hasResults: false,
  ...posted('2024-07-01'),
});

/** Recruiting, verified January 2022, to complete June 2023: both hygiene flags by March 2024. */
const UNTIDY_TRIAL = aTrial({
  nctId: 'NCT09000002',
  overallStatus: 'RECRUITING',
  statusVerifiedDate: '2022-01',
  primaryCompletionDate: estimated('2023-03'),
  completionDate: estimated('2023-06'),
  ...posted('2022-01-20'),
});

describe('the daily signal check, against PostgreSQL', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let commands: CommandBus;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    module = await Test.createTestingModule({
      imports: [
        InfrastructureModule.forRoot(environment.config),
        CqrsModule.forRoot(),
        IngestionModule,
        ReadModelsModule,
        WatchlistsModule,
        SignalsModule,
      ],
    }).compile();
    await module.init();
    commands = module.get(CommandBus);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  const ingest = async (facts: TrialFacts): Promise<void> => {
    const content = Buffer.from(JSON.stringify(apiV2Study(facts)));
    const { ingestionId } = await commands.execute(
      new AcceptSnapshotCommand({ content, mediaType: null, source: 'test' }, false),
    );
    await commands.execute(new ProcessIngestionCommand(ingestionId));
    await commands.execute(new CatchUpProjectionsCommand());
  };
  /** As in the worker, where projections run all the time: the check reads an up-to-date read model. */
  const check = async (on: string) => {
    await commands.execute(new CatchUpProjectionsCommand('current-state'));
    return commands.execute(new CheckSignalsCommand(on));
  };
  const eventsOf = (nctId: string): Promise<StoredEvent[]> => module.get(EventStore).readStream(`trial-${nctId}`);
  const signalTypesOf = async (nctId: string) =>
    (await eventsOf(nctId)).filter((event) => event.metadata?.['source'] === 'daily-check').map((event) => event.type);

  it('records results as overdue once, on the first check after the due date, and not before', async () => {
    await ingest(DUE_TRIAL);
    await check('2025-03-10');
    expect(await signalTypesOf('NCT09000001')).toEqual([]);
    const summary = await check('2025-03-20');
    expect(summary.recorded['trial.results-overdue']).toBe(1);
    await check('2025-03-21');
    await check('2025-09-01');
    const events = await eventsOf('NCT09000001');
    const overdue = events.filter((event) => event.type === 'trial.results-overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.data).toEqual({ dueDate: '2025-03-15', primaryCompletionDate: actual('2024-03-15') });
    // Overdue from the day after the due date; never before the stream's latest change.
    expect(overdue[0]!.occurredAt.toISOString()).toBe('2025-03-16T00:00:00.000Z');
  });

  it('announces the overdue results in the change feed that subscribers and streams read', async () => {
    await commands.execute(new CatchUpProjectionsCommand());
    const feed = await module
      .get(QueryBus)
      .execute(new GetChangeFeedQuery({ nctIds: ['NCT09000001'], types: ['trial.results-overdue'], limit: 10 }));
    expect(feed.changes.map((change) => change.type)).toEqual(['trial.results-overdue']);
  });

  it("does not record results as overdue that were submitted by the due date and await the registry's review", async () => {
    // Submitted on 1 March 2025, two weeks before the due date; still not posted in September.
    const awaitingReview = {
      ...DUE_TRIAL,
      nctId: 'NCT09000070',
      resultsFirstSubmitDate: '2025-03-01',
      ...posted('2025-03-02'),
    };
    await ingest(awaitingReview);
    await check('2025-03-20');
    await check('2025-09-01');
    expect(await signalTypesOf('NCT09000070')).toEqual([]);
    const report = await module.get(QueryBus).execute(new GetResultsDueReportQuery({ on: '2025-09-01', limit: 1000 }));
    expect(report.trials.find((trial: { nctId: string }) => trial.nctId === 'NCT09000070')).toMatchObject({
      dueDate: '2025-03-15',
      state: 'reported-on-time',
      submittedOn: '2025-03-01',
      reportedOn: null,
      daysOverdue: null,
    });
    const overdue = await module
      .get(QueryBus)
      .execute(new GetResultsDueReportQuery({ on: '2025-09-01', states: ['overdue'], limit: 1000 }));
    expect(overdue.trials.map((trial: { nctId: string }) => trial.nctId)).not.toContain('NCT09000070');
    expect(
      (await module.get(QueryBus).execute(new GetTrialSignalsQuery('NCT09000070', '2025-09-01'))).resultsDue,
    ).toEqual({
      dueDate: '2025-03-15',
      state: 'reported-on-time',
      submittedOn: '2025-03-01',
      reportedOn: null,
      daysOverdue: null,
    });
  });

  it('raises each hygiene flag once when it starts to hold and clears it when the record is put right', async () => {
    await ingest(UNTIDY_TRIAL);
    // Completion "June 2023": not passed on the last day of June, passed from 1 July.
    await check('2023-06-30');
    expect(await signalTypesOf('NCT09000002')).toEqual([]);
    await check('2023-07-10');
    expect(await signalTypesOf('NCT09000002')).toEqual(['trial.hygiene-flag-raised']);
    await check('2024-03-01');
    await check('2024-03-02');
    const raised = (await eventsOf('NCT09000002')).filter((event) => event.type === 'trial.hygiene-flag-raised');
    expect(raised.map((event) => event.data)).toEqual([
      { flag: 'completion-past-while-recruiting', since: '2023-07-01' },
      { flag: 'status-verification-stale', since: '2024-02-01' },
    ]);

    await ingest({
      ...UNTIDY_TRIAL,
      overallStatus: 'COMPLETED',
      statusVerifiedDate: '2024-03',
      completionDate: actual('2024-02-28'),
      ...posted('2024-03-05'),
    });
    const summary = await check('2024-03-06');
    expect(summary.recorded['trial.hygiene-flag-cleared']).toBe(2);
    const events = await eventsOf('NCT09000002');
    const cleared = events.filter((event) => event.type === 'trial.hygiene-flag-cleared');
    expect(cleared.map((event) => (event.data as { flag: string }).flag).sort()).toEqual([
      'completion-past-while-recruiting',
      'status-verification-stale',
    ]);
    const times = events.map((event) => event.occurredAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    await check('2024-03-07');
    // Completed with primary completion in March 2023 and no results: due 2024-03-01, so overdue as well.
    expect(await signalTypesOf('NCT09000002')).toEqual([
      'trial.hygiene-flag-raised',
      'trial.hygiene-flag-raised',
      'trial.results-overdue',
      'trial.hygiene-flag-cleared',
      'trial.hygiene-flag-cleared',
    ]);
  });

  it('flags a trial a watchlist sync found gone from the registry, in the report and on its stream, until it is found again', async () => {
    await ingest(
      aTrial({ nctId: 'NCT09000004', overallStatus: 'COMPLETED', hasResults: true, ...posted('2024-01-10') }),
    );
    const watchlist: Watchlist = await commands.execute(
      new CreateWatchlistCommand({ name: 'gone-from-registry', nctIds: ['NCT09000004'] }),
    );
    // What a sync records when the registry answers that it no longer has a trial it had.
    const database = module.get(Database);
    await database.execute(
      `INSERT INTO watched_trials (watchlist_id, nct_id, registry_state, missing_since)
       VALUES ($1, 'NCT09000004', 'removed', '2024-05-03T08:00:00Z')`,
      [watchlist.id],
    );
    const goneOn = async (on: string) =>
      (await module.get(QueryBus).execute(new GetHygieneReportQuery({ on, flags: ['gone-from-registry'], limit: 10 })))
        .trials;
    const goneEvents = async () =>
      (await eventsOf('NCT09000004'))
        .filter((event) => (event.data as { flag?: string }).flag === 'gone-from-registry')
        .map((event) => ({ type: event.type, data: event.data }));

    await check('2024-05-02');
    expect(await goneEvents()).toEqual([]);
    expect(await goneOn('2024-05-02')).toEqual([]);
    await check('2024-05-04');
    await check('2024-05-05');
    expect(await goneEvents()).toEqual([
      { type: 'trial.hygiene-flag-raised', data: { flag: 'gone-from-registry', since: '2024-05-03' } },
    ]);
    expect(await goneOn('2024-05-04')).toEqual([
      expect.objectContaining({ nctId: 'NCT09000004', flags: [{ flag: 'gone-from-registry', since: '2024-05-03' }] }),
    ]);
    const searchGone = async (on: string) =>
      (
        await module
          .get(QueryBus)
          .execute(new SearchTrialsQuery({ hygieneFlag: 'gone-from-registry', on, limit: 10, countTotal: true }))
      ).total;
    expect(await searchGone('2024-05-04')).toBe(1);
    expect(await searchGone('2024-05-02')).toBe(0);

    await database.execute(
      `UPDATE watched_trials SET registry_state = 'found', last_found_at = '2024-06-01T08:00:00Z', missing_since = NULL
       WHERE watchlist_id = $1`,
      [watchlist.id],
    );
    await check('2024-06-02');
    expect(await goneEvents()).toEqual([
      { type: 'trial.hygiene-flag-raised', data: { flag: 'gone-from-registry', since: '2024-05-03' } },
      { type: 'trial.hygiene-flag-cleared', data: { flag: 'gone-from-registry' } },
    ]);
    expect(await goneOn('2024-06-02')).toEqual([]);
  });

  it('keeps the stream in time order when one check clears a flag and raises another', async () => {
    // Recruiting, verified May 2022: its status is stale from 2024-06-01.
    await ingest(
      aTrial({
        nctId: 'NCT09000041',
        overallStatus: 'RECRUITING',
        statusVerifiedDate: '2022-05',
        primaryCompletionDate: estimated('2027-06'),
        completionDate: estimated('2027-12'),
        ...posted('2024-01-10'),
      }),
    );
    const watchlist: Watchlist = await commands.execute(
      new CreateWatchlistCommand({ name: 'gone, then stale', nctIds: ['NCT09000041'] }),
    );
    const database = module.get(Database);
    await database.execute(
      `INSERT INTO watched_trials (watchlist_id, nct_id, registry_state, missing_since)
       VALUES ($1, 'NCT09000041', 'removed', '2024-05-03T08:00:00Z')`,
      [watchlist.id],
    );
    await check('2024-05-04');
    // Found again as its status goes stale: one check clears one flag and raises the other.
    await database.execute(
      `UPDATE watched_trials SET registry_state = 'found', last_found_at = '2024-06-01T08:00:00Z', missing_since = NULL
       WHERE watchlist_id = $1`,
      [watchlist.id],
    );
    await check('2024-06-02');
    const events = (await eventsOf('NCT09000041')).map((event) => ({
      type: event.type,
      flag: (event.data as { flag?: string }).flag,
      occurredAt: event.occurredAt.toISOString(),
    }));
    expect(events.slice(1).map(({ type, flag }) => `${type} ${flag}`)).toEqual(
      expect.arrayContaining([
        'trial.hygiene-flag-raised gone-from-registry',
        'trial.hygiene-flag-cleared gone-from-registry',
        'trial.hygiene-flag-raised status-verification-stale',
      ]),
    );
    const times = events.map((event) => event.occurredAt);
    expect(times).toEqual([...times].sort());
  });

  it('records a signal once when two checks run at the same time', async () => {
    await ingest({ ...DUE_TRIAL, nctId: 'NCT09000003' });
    await Promise.all([check('2025-04-01'), check('2025-04-01'), check('2025-04-02')]);
    expect(await signalTypesOf('NCT09000003')).toEqual(['trial.results-overdue']);
  });

  it('ends the overdue record when results are posted, without a signal event of its own', async () => {
    await ingest({ ...DUE_TRIAL, hasResults: true, ...posted('2025-05-01') });
    await check('2025-05-02');
    expect(await signalTypesOf('NCT09000001')).toEqual(['trial.results-overdue']);
    await ingest({ ...DUE_TRIAL, hasResults: false, ...posted('2025-06-01') });
    await check('2025-06-02');
    // Results taken down again: overdue again, announced anew.
    expect(await signalTypesOf('NCT09000001')).toEqual(['trial.results-overdue', 'trial.results-overdue']);
  });

  it('records results overdue again when results the registry first posted on a known day are taken down', async () => {
    const trial = { ...DUE_TRIAL, nctId: 'NCT09000031' };
    await ingest(trial);
    await check('2025-04-01');
    await ingest({ ...trial, hasResults: true, resultsFirstPostDate: actual('2025-04-20'), ...posted('2025-04-21') });
    await check('2025-04-22');
    expect(await signalTypesOf('NCT09000031')).toEqual(['trial.results-overdue']);
    // Taken down: the registry shows no results, though the trial's state still knows when they were first posted.
    await ingest({ ...trial, hasResults: false, resultsFirstPostDate: null, ...posted('2025-06-01') });
    const signals = await module.get(QueryBus).execute(new GetTrialSignalsQuery('NCT09000031', '2025-06-02'));
    expect(signals.resultsDue).toMatchObject({ state: 'overdue', reportedOn: null });
    await check('2025-06-02');
    expect(await signalTypesOf('NCT09000031')).toEqual(['trial.results-overdue', 'trial.results-overdue']);
  });

  it('refuses a day after today, recording nothing that has not happened yet', async () => {
    const now = module.get(Clock).nowIso();
    const tomorrow = new Date(Date.parse(now) + 86_400_000).toISOString().slice(0, 10);
    // Results due a year after a primary completion a week ago: not overdue for another year.
    const completed = new Date(Date.parse(now) - 7 * 86_400_000).toISOString().slice(0, 10);
    const trial = { ...DUE_TRIAL, nctId: 'NCT09000032', primaryCompletionDate: actual(completed) };
    await ingest({ ...trial, ...posted(completed) });
    await expect(check(tomorrow)).rejects.toThrow(`${tomorrow} is after today`);
    await expect(check('2099-01-01')).rejects.toThrow('2099-01-01 is after today');
    expect(await signalTypesOf('NCT09000032')).toEqual([]);
    await check(now.slice(0, 10));
    expect(await signalTypesOf('NCT09000032')).toEqual([]);
  });

  it('takes a trial as merged into another only when the other lists it as an alias, not as a secondary ID', async () => {
    const completed = { overallStatus: 'COMPLETED', hasResults: true, ...posted('2024-01-10') } as const;
    await ingest(aTrial({ nctId: 'NCT09000011', ...completed }));
    await ingest(aTrial({ nctId: 'NCT09000013', ...completed }));
    // An extension study names its parent among its secondary IDs; another record took NCT09000013 in.
    await ingest({
      ...UNTIDY_TRIAL,
      nctId: 'NCT09000012',
      statusVerifiedDate: '2024-01',
      completionDate: estimated('2027-12'),
      primaryCompletionDate: estimated('2027-06'),
      secondaryIds: [{ id: 'NCT09000011', type: 'OTHER', domain: 'ClinicalTrials.gov (parent study)' }],
      nctIdAliases: [],
    });
    await ingest(aTrial({ nctId: 'NCT09000014', ...completed, nctIdAliases: ['NCT09000013'] }));

    await check('2024-06-01');
    const merged = await module
      .get(QueryBus)
      .execute(new GetHygieneReportQuery({ on: '2024-06-01', flags: ['merged-into-another'], limit: 10 }));
    expect(merged.trials.map((trial: { nctId: string }) => trial.nctId)).toEqual(['NCT09000013']);
    expect(await module.get(QueryBus).execute(new GetTrialSignalsQuery('NCT09000011', '2024-06-01'))).toMatchObject({
      hygieneFlags: [],
    });
    expect(await signalTypesOf('NCT09000011')).toEqual([]);
    expect(await signalTypesOf('NCT09000013')).toEqual(['trial.hygiene-flag-raised']);
  });

  it('reads a past day against the record as it stood that day, in the report, the search and the check', async () => {
    const queries = module.get(QueryBus);
    const today = module.get(Clock).nowIso().slice(0, 10);
    const recruiting = (nctId: string, facts: Partial<TrialFacts>) =>
      aTrial({ nctId, overallStatus: 'RECRUITING', primaryCompletionDate: estimated('2027-03'), ...facts });
    // Verified June 2021, stale from 2023-07-01; verified again in June 2025.
    const verifiedAgain = recruiting('NCT09000051', {
      statusVerifiedDate: '2021-06',
      completionDate: estimated('2027-06'),
      ...posted('2023-01-10'),
    });
    // To complete June 2023, passed from 2023-07-01; moved to June 2027 in June 2025.
    const movedLater = recruiting('NCT09000052', {
      statusVerifiedDate: '2023-01',
      completionDate: estimated('2023-06'),
      ...posted('2023-01-10'),
    });
    // To complete June 2025; pulled to September 2023 in June 2025: passed today, not on 2024-01-01.
    const pulledEarlier = recruiting('NCT09000053', {
      statusVerifiedDate: '2023-01',
      completionDate: estimated('2025-06'),
      ...posted('2023-01-10'),
    });
    for (const trial of [verifiedAgain, movedLater, pulledEarlier]) await ingest(trial);
    await ingest({ ...verifiedAgain, statusVerifiedDate: '2025-06', ...posted('2025-06-10') });
    await ingest({
      ...movedLater,
      statusVerifiedDate: '2025-06',
      completionDate: estimated('2027-06'),
      ...posted('2025-06-10'),
    });
    await ingest({
      ...pulledEarlier,
      statusVerifiedDate: '2025-06',
      completionDate: estimated('2023-09'),
      ...posted('2025-06-10'),
    });
    // First recorded in June 2025, verified in 2021: stale then, but trialwatch had no record of it on 2024-01-01.
    await ingest(
      recruiting('NCT09000054', {
        statusVerifiedDate: '2021-01',
        completionDate: estimated('2027-06'),
        ...posted('2025-06-10'),
      }),
    );

    const flaggedOn = async (on: string, limit = 100) => {
      const found: { nctId: string; flags: { flag: string; since: string | null }[] }[] = [];
      let cursor: string | undefined;
      do {
        const page = await queries.execute(new GetHygieneReportQuery({ on, cursor, limit }));
        found.push(...page.trials);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return found
        .filter((trial) => trial.nctId.startsWith('NCT0900005'))
        .map((trial) => ({ nctId: trial.nctId, flags: trial.flags }));
    };
    const onFirstOfJanuary = [
      { nctId: 'NCT09000051', flags: [{ flag: 'status-verification-stale', since: '2023-07-01' }] },
      { nctId: 'NCT09000052', flags: [{ flag: 'completion-past-while-recruiting', since: '2023-07-01' }] },
    ];
    expect(await flaggedOn('2024-01-01')).toEqual(onFirstOfJanuary);
    expect(await flaggedOn('2024-01-01', 1)).toEqual(onFirstOfJanuary);
    expect(await flaggedOn(today)).toEqual([
      { nctId: 'NCT09000053', flags: [{ flag: 'completion-past-while-recruiting', since: '2023-10-01' }] },
      { nctId: 'NCT09000054', flags: [{ flag: 'status-verification-stale', since: '2023-02-01' }] },
    ]);
    const stale = async (on: string) =>
      (
        await queries.execute(new SearchTrialsQuery({ hygieneFlag: 'status-verification-stale', on, limit: 100 }))
      ).trials
        .map((trial: { nctId: string }) => trial.nctId)
        .filter((nctId: string) => nctId.startsWith('NCT0900005'));
    expect(await stale('2024-01-01')).toEqual(['NCT09000051']);
    expect(await stale(today)).toEqual(['NCT09000054']);

    // A check of 2024-01-01 raises what held then; today's check clears it and raises what holds now.
    await check('2024-01-01');
    expect(await signalTypesOf('NCT09000051')).toEqual(['trial.hygiene-flag-raised']);
    expect(await signalTypesOf('NCT09000052')).toEqual(['trial.hygiene-flag-raised']);
    expect(await signalTypesOf('NCT09000053')).toEqual([]);
    expect(await signalTypesOf('NCT09000054')).toEqual([]);
    await check(today);
    expect(await signalTypesOf('NCT09000051')).toEqual(['trial.hygiene-flag-raised', 'trial.hygiene-flag-cleared']);
    expect(await signalTypesOf('NCT09000053')).toEqual(['trial.hygiene-flag-raised']);
    expect(await signalTypesOf('NCT09000054')).toEqual(['trial.hygiene-flag-raised']);
  });

  it("reads one trial's signals on a past day against the record as it stood that day, as the report does", async () => {
    const queries = module.get(QueryBus);
    const today = module.get(Clock).nowIso().slice(0, 10);
    // Due 2025-03-15 as first recorded; in June 2025 primary completion is corrected to September 2024, and
    // results are posted: the record says it was due 2025-09-30 and reported on time.
    const corrected = { ...DUE_TRIAL, nctId: 'NCT09000061' };
    await ingest(corrected);
    await ingest({
      ...corrected,
      primaryCompletionDate: actual('2024-09-30'),
      hasResults: true,
      resultsFirstPostDate: actual('2025-06-10'),
      ...posted('2025-06-10'),
    });
    // Recruiting, verified June 2021 (stale from 2023-07-01), verified again and completed in June 2025.
    const verifiedAgain = aTrial({
      nctId: 'NCT09000062',
      overallStatus: 'RECRUITING',
      statusVerifiedDate: '2021-06',
      primaryCompletionDate: estimated('2027-03'),
      completionDate: estimated('2027-06'),
      ...posted('2023-01-10'),
    });
    await ingest(verifiedAgain);
    await ingest({
      ...verifiedAgain,
      overallStatus: 'COMPLETED',
      statusVerifiedDate: '2025-06',
      ...posted('2025-06-10'),
    });

    const signalsOn = (nctId: string, on: string) => queries.execute(new GetTrialSignalsQuery(nctId, on));
    expect((await signalsOn('NCT09000061', '2025-04-01')).resultsDue).toEqual({
      dueDate: '2025-03-15',
      submittedOn: null,
      reportedOn: null,
      state: 'overdue',
      daysOverdue: 17,
    });
    expect((await signalsOn('NCT09000061', today)).resultsDue).toEqual({
      dueDate: '2025-09-30',
      submittedOn: null,
      reportedOn: '2025-06-10',
      state: 'reported-on-time',
      daysOverdue: null,
    });
    const flagsOn = async (nctId: string, on: string) => (await signalsOn(nctId, on)).hygieneFlags;
    expect(await flagsOn('NCT09000062', '2024-01-01')).toEqual([
      { flag: 'status-verification-stale', since: '2023-07-01' },
    ]);
    expect(await flagsOn('NCT09000062', today)).toEqual([]);
    const reported = async (on: string) =>
      (await queries.execute(new GetHygieneReportQuery({ on, limit: 1000 }))).trials.find(
        (trial: { nctId: string }) => trial.nctId === 'NCT09000062',
      )?.flags ?? [];
    expect(await reported('2024-01-01')).toEqual(await flagsOn('NCT09000062', '2024-01-01'));
    // First recorded in June 2025, verified in 2021: trialwatch had no record of it on 2024-01-01, so no
    // flag then, as in the report; its results due that day are the ones its first record gives.
    const recordedLater = aTrial({
      nctId: 'NCT09000063',
      overallStatus: 'RECRUITING',
      statusVerifiedDate: '2021-01',
      completionDate: estimated('2027-06'),
      ...posted('2025-06-10'),
    });
    await ingest(recordedLater);
    expect(await flagsOn('NCT09000063', '2024-01-01')).toEqual([]);
    expect(await flagsOn('NCT09000063', today)).toEqual([{ flag: 'status-verification-stale', since: '2023-02-01' }]);
    expect((await signalsOn('NCT09000061', '2024-06-01')).resultsDue).toEqual({
      dueDate: '2025-03-15',
      submittedOn: null,
      reportedOn: null,
      state: 'not-due',
      daysOverdue: null,
    });
  });

  it('gives the flag days of a past day alike in the report and for one trial, by the rules of the domain', async () => {
    const queries = module.get(QueryBus);
    const before = '2025-06-01';
    /** What each trial's record said until June 2025, when each was completed and verified anew. */
    const cases: Partial<TrialFacts>[] = [
      // Year-only dates: verified until the end of 2022, completing by the end of 2023.
      { overallStatus: 'RECRUITING', statusVerifiedDate: '2022', completionDate: estimated('2023') },
      // Month dates, February of a leap year: its last day is the 29th.
      { overallStatus: 'NOT_YET_RECRUITING', statusVerifiedDate: '2023-02', completionDate: estimated('2024-02') },
      // 29 February verified: two years on is 28 February.
      {
        overallStatus: 'ENROLLING_BY_INVITATION',
        statusVerifiedDate: '2020-02-29',
        completionDate: actual('2024-02-29'),
      },
      { overallStatus: 'RECRUITING', statusVerifiedDate: '2020-02', completionDate: estimated('2020-02') },
      // No completion date: the primary completion counts.
      {
        overallStatus: 'RECRUITING',
        statusVerifiedDate: '2024-12-15',
        completionDate: null,
        primaryCompletionDate: estimated('2023-06'),
      },
      // Active, not recruiting: stale, never recruiting past completion.
      { overallStatus: 'ACTIVE_NOT_RECRUITING', statusVerifiedDate: '2021-06', completionDate: estimated('2023-06') },
      { overallStatus: 'SUSPENDED', statusVerifiedDate: '2021-06', completionDate: estimated('2023-06') },
      // Closed: nothing left to verify.
      { overallStatus: 'TERMINATED', statusVerifiedDate: '2021-06', completionDate: actual('2022-06') },
      { overallStatus: 'WITHDRAWN', statusVerifiedDate: '2021-06', completionDate: estimated('2022-06') },
    ];
    const trials = cases.map((facts, index) =>
      aTrial({
        nctId: `NCT090001${String(index).padStart(2, '0')}`,
        primaryCompletionDate: estimated('2022-12'),
        ...facts,
        ...posted('2020-01-10'),
      }),
    );
    for (const trial of trials) {
      await ingest(trial);
      await ingest({
        ...trial,
        overallStatus: 'COMPLETED',
        statusVerifiedDate: '2025-06',
        completionDate: actual('2025-06-05'),
        ...posted('2025-06-10'),
      });
    }
    const report = (await queries.execute(new GetHygieneReportQuery({ on: before, limit: 1000 }))).trials;
    for (const trial of trials) {
      const expected = Object.entries(hygieneThresholdsOf(trial))
        .filter(([, since]) => since <= before)
        .map(([flag, since]) => ({ flag, since }));
      const reported = report.find((row: { nctId: string }) => row.nctId === trial.nctId)?.flags ?? [];
      const signals = await queries.execute(new GetTrialSignalsQuery(trial.nctId, before));
      expect({ nctId: trial.nctId, reported, signals: signals.hygieneFlags }).toEqual({
        nctId: trial.nctId,
        reported: expected,
        signals: expected,
      });
    }
    // Each case holds a flag the current record no longer gives, or none by its status.
    expect(trials.map((trial) => Object.keys(hygieneThresholdsOf(trial)).length > 0)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('owes no results once the record says the trial enrolled no one, and ends its overdue record', async () => {
    const terminated = { ...DUE_TRIAL, nctId: 'NCT09000021', overallStatus: 'TERMINATED' };
    const overdueOn = async (on: string): Promise<string[]> =>
      (
        await module.get(QueryBus).execute(new SearchTrialsQuery({ resultsDueState: 'overdue', on, limit: 50 }))
      ).trials.map((trial: { nctId: string }) => trial.nctId);
    await ingest(terminated);
    await check('2025-04-01');
    expect(await signalTypesOf('NCT09000021')).toEqual(['trial.results-overdue']);

    // Only the enrollment changes: an actual enrollment of 0.
    await ingest({ ...terminated, enrollment: { count: 0, type: 'ACTUAL' }, ...posted('2025-04-10') });
    expect(await overdueOn('2025-04-11')).not.toContain('NCT09000021');
    const signals = await module.get(QueryBus).execute(new GetTrialSignalsQuery('NCT09000021', '2025-04-11'));
    expect(signals.resultsDue).toBeNull();
    await check('2025-04-11');

    // Corrected to the participants it did enrol: overdue again, announced anew.
    await ingest({ ...terminated, enrollment: { count: 12, type: 'ACTUAL' }, ...posted('2025-05-01') });
    expect(await overdueOn('2025-05-02')).toContain('NCT09000021');
    await check('2025-05-02');
    expect(await signalTypesOf('NCT09000021')).toEqual(['trial.results-overdue', 'trial.results-overdue']);
  });
});
