import { readFileSync } from 'node:fs';
import { factsOf, type Outcome, type TrialFacts, type TrialSnapshot } from '@app/domain';
import { parseSnapshots } from '@app/registry-formats';
import { fixturePath } from './support/fixtures.js';
import { json, type Json } from './support/http.js';
import { type AppProcess, runCli, startApi, startWorker } from './support/app-processes.js';
import { apiV2Study } from './support/render-api-v2.js';
import { createTestEnvironment, eventually, type TestEnvironment } from './support/test-environment.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/*
 * Signals and reports through the running api, worker and CLI. Series are written from the API v2
 * fixture NCT02210780 (a phase 3 trial with US sites), as the registry's successive records of made-up
 * trials; rules that depend on the day are asked for a fixed day (`on=`), never today.
 */

const FIXTURE = (): TrialFacts =>
  factsOf(
    parseSnapshots(readFileSync(fixturePath('ctgov-api-v2', 'NCT02210780.json'), 'utf8'), {
      receivedAt: '2026-01-01T00:00:00.000Z',
    })[0] as TrialSnapshot,
  );

const version = (facts: TrialFacts, posted: string, overrides: Partial<TrialFacts>): string =>
  JSON.stringify(
    apiV2Study({
      ...facts,
      lastUpdatePostDate: { date: posted, type: 'ACTUAL' },
      lastUpdateSubmitDate: posted,
      ...overrides,
    }),
  );

const ON = '2024-03-01';
/** Each CLI run starts a process of its own; these tests run several. */
const CLI_TEST_TIMEOUT_MS = 300_000;
const weight12: Outcome = { measure: 'Change in body weight', timeFrame: '12 weeks' };
const weight52: Outcome = { measure: 'Change in body weight', timeFrame: '52 weeks' };
const hba1c: Outcome = { measure: 'Change in HbA1c', timeFrame: '26 weeks' };

describe('signals and reports through the running api, worker and CLI', () => {
  let environment: TestEnvironment;
  let env: Record<string, string>;
  let api: AppProcess;
  let worker: AppProcess;
  let baseUrl: string;
  let receiver: WebhookReceiver;
  let base: TrialFacts;

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, body: (await json(response)) as Json };
  };
  const text = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  };
  const ingest = async (content: string) => {
    const response = await fetch(`${baseUrl}/snapshots?wait=true`, { method: 'POST', body: content });
    expect((await json(response)).status).toBe('appended');
  };
  const caughtUp = () =>
    eventually(async () => {
      const health = (await get('/health')).body;
      const lag = Object.values(health.details.projections.lag as Record<string, { events: number }>);
      return lag.every((projection) => projection.events === 0);
    });

  beforeAll(async () => {
    environment = await createTestEnvironment();
    env = { ...environment.env, OUTBOUND_ALLOWED_HOSTS: '127.0.0.0/8', PROJECTION_WAKE_INTERVAL_MS: '300' };
    ({ api, baseUrl } = await startApi(env));
    env.PUBLIC_BASE_URL = baseUrl;
    worker = await startWorker(env);
    receiver = await WebhookReceiver.start();
    base = FIXTURE();

    // NCT09100001: outcome B added before the start, A's time frame switched after it, reworded after completion.
    const switching = { ...base, nctId: 'NCT09100001', leadSponsor: { name: 'Switchco', class: 'INDUSTRY' } };
    const dates = { startDate: { date: '2019-03-01', type: 'ACTUAL' as const } };
    await ingest(
      version(switching, '2019-01-10', {
        ...dates,
        primaryCompletionDate: { date: '2021-06', type: 'ESTIMATED' },
        primaryOutcomes: [weight12],
      }),
    );
    await ingest(
      version(switching, '2019-02-01', {
        ...dates,
        primaryCompletionDate: { date: '2021-06', type: 'ESTIMATED' },
        primaryOutcomes: [weight12, hba1c],
      }),
    );
    await ingest(
      version(switching, '2020-05-01', {
        ...dates,
        primaryCompletionDate: { date: '2021-06', type: 'ESTIMATED' },
        primaryOutcomes: [weight52, hba1c],
      }),
    );
    await ingest(
      version(switching, '2022-01-10', {
        ...dates,
        primaryCompletionDate: { date: '2021-06-30', type: 'ACTUAL' },
        primaryOutcomes: [weight52, { measure: 'Change in HbA1c from baseline', timeFrame: '26 weeks' }],
      }),
    );

    // Results: overdue, reported late, not due yet, and a phase 1 trial that is not applicable.
    // No results submitted or posted (the fixture's were submitted in March 2020).
    const completed = {
      overallStatus: 'COMPLETED',
      hasResults: false,
      resultsFirstSubmitDate: null,
      resultsFirstPostDate: null,
    };
    await ingest(
      version({ ...base, nctId: 'NCT09100002' }, '2023-02-01', {
        ...completed,
        primaryCompletionDate: { date: '2023-01-15', type: 'ACTUAL' },
      }),
    );
    await ingest(
      version({ ...base, nctId: 'NCT09100003' }, '2024-06-02', {
        ...completed,
        hasResults: true,
        resultsFirstPostDate: { date: '2024-06-01', type: 'ACTUAL' },
        primaryCompletionDate: { date: '2023-02-01', type: 'ACTUAL' },
      }),
    );
    await ingest(
      version({ ...base, nctId: 'NCT09100004' }, '2023-12-01', {
        overallStatus: 'ACTIVE_NOT_RECRUITING',
        hasResults: false,
        resultsFirstSubmitDate: null,
        resultsFirstPostDate: null,
        primaryCompletionDate: { date: '2023-11-30', type: 'ACTUAL' },
      }),
    );
    await ingest(
      version({ ...base, nctId: 'NCT09100005' }, '2023-02-01', {
        ...completed,
        phases: ['PHASE1'],
        primaryCompletionDate: { date: '2023-01-15', type: 'ACTUAL' },
      }),
    );

    // Hygiene: recruiting, verified January 2021, due to complete June 2022; and a trial merged into another.
    await ingest(
      version({ ...base, nctId: 'NCT09100006' }, '2021-01-20', {
        overallStatus: 'RECRUITING',
        statusVerifiedDate: '2021-01',
        primaryCompletionDate: { date: '2022-03', type: 'ESTIMATED' },
        completionDate: { date: '2022-06', type: 'ESTIMATED' },
        phases: ['PHASE1'],
      }),
    );
    await ingest(
      version({ ...base, nctId: 'NCT09100007' }, '2020-01-10', {
        overallStatus: 'COMPLETED',
        phases: ['PHASE1'],
        secondaryIds: [{ id: 'ISRCTN12345678', type: 'REGISTRY', domain: 'ISRCTN' }],
      }),
    );
    await ingest(
      version({ ...base, nctId: 'NCT09100008' }, '2020-02-10', {
        overallStatus: 'COMPLETED',
        phases: ['PHASE1'],
        nctIdAliases: ['NCT09100007'],
      }),
    );
    await caughtUp();
  });

  afterAll(async () => {
    await api?.stop();
    await worker?.stop('SIGKILL');
    await receiver?.stop();
    await environment?.teardown();
  });

  it('lists trials whose primary outcomes switched after the start, with the outcomes before and after', async () => {
    const { status, body } = await get('/reports/outcome-switching');
    expect(status).toBe(200);
    expect(body.trials.map((trial: Json) => trial.nctId)).toEqual(['NCT09100001']);
    const [trial] = body.trials;
    expect(trial.leadSponsor).toBe('Switchco');
    expect(trial.switches.map((entry: Json) => entry.timing)).toEqual(['after-start', 'after-primary-completion']);
    expect(trial.switches[0].timeFrameChanged).toEqual([{ before: weight12, after: weight52 }]);
    expect(trial.switches[1].reworded).toEqual([
      { before: hba1c, after: { measure: 'Change in HbA1c from baseline', timeFrame: '26 weeks' } },
    ]);

    const since = await get('/reports/outcome-switching?since=2021-01-01');
    expect(since.body.trials[0].switches.map((entry: Json) => entry.timing)).toEqual(['after-primary-completion']);
    expect((await get('/reports/outcome-switching?sponsor=nobody')).body.trials).toEqual([]);
    expect((await get('/reports/outcome-switching?since=yesterday')).status).toBe(400);
    // Dates that pass a lenient check but name no day, or a day the calendar lacks: 400 naming the parameter.
    for (const path of [
      '/reports/outcome-switching?since=2024-W01',
      '/reports/outcome-switching?since=2024',
      '/reports/results-due?on=2024-02-30',
      '/reports/hygiene?on=2024-02-30',
      '/trials?on=2024-02-30',
      '/trials?changedSince=2024',
      '/trials/NCT00000001/signals?on=2024-02-30',
    ]) {
      const refused = await get(path);
      expect({ path, status: refused.status }).toEqual({ path, status: 400 });
      expect(JSON.stringify(refused.body)).toMatch(/\b(on|since|changedSince) must be/);
    }

    const csv = await text('/reports/outcome-switching.csv');
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe(
      'nct_id,brief_title,lead_sponsor,start_date,primary_completion_date,occurred_at,timing,start_date_then,primary_completion_date_then,before,after,event_id',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Change in body weight [12 weeks]');
    expect(lines[1]).toContain('Change in body weight [52 weeks]');
  });

  it('notes under each switch the dates its timing was judged by, not dates that moved after it', async () => {
    // NCT09100009: a time frame switched on 1 May 2020, after its start on 1 March 2019; in 2021 the record
    // moved the start to 1 September 2020, after the switch. The switch stays "after the start" of then.
    const moved = { ...base, nctId: 'NCT09100009', overallStatus: 'COMPLETED', phases: ['PHASE1'] };
    const record = (posted: string, startDate: string, primaryOutcomes: Outcome[]) =>
      version(moved, posted, {
        startDate: { date: startDate, type: 'ACTUAL' },
        primaryCompletionDate: { date: '2021-06', type: 'ESTIMATED' },
        primaryOutcomes,
      });
    await ingest(record('2019-06-01', '2019-03-01', [weight12]));
    await ingest(record('2020-05-01', '2019-03-01', [weight52]));
    await ingest(record('2021-02-01', '2020-09-01', [weight52]));
    await caughtUp();

    const page = await text('/ui/reports/outcome-switching');
    const row = page.body.match(/<tr data-timing="after-start">(?:(?!<\/tr>)[\s\S])*NCT09100009[\s\S]*?<\/tr>/)?.[0];
    expect(row?.replace(/\s+/g, ' ')).toContain('<span class="cell-note">start 1 Mar 2019 (actual)</span>');
    expect(row).not.toContain('Sep 2020');

    const { body } = await get('/reports/outcome-switching');
    const trial = body.trials.find((entry: Json) => entry.nctId === 'NCT09100009');
    expect(trial.startDate).toEqual({ date: '2020-09-01', type: 'ACTUAL' });
    expect(trial.switches).toEqual([
      expect.objectContaining({
        timing: 'after-start',
        datesThen: {
          startDate: { date: '2019-03-01', type: 'ACTUAL' },
          primaryCompletionDate: { date: '2021-06', type: 'ESTIMATED' },
        },
      }),
    ]);

    const csv = (await text('/reports/outcome-switching.csv')).body.trim().split('\n');
    const line = csv.find((entry) => entry.startsWith('NCT09100009,'));
    expect(line).toContain(',2020-09-01,2021-06,2020-05-01T00:00:00.000Z,after-start,2019-03-01,2021-06,');
  });

  it('gives results due on a day: overdue, reported late, due soon or not, with counts, as JSON and CSV', async () => {
    const { body } = await get(`/reports/results-due?on=${ON}`);
    const states = Object.fromEntries(body.trials.map((trial: Json) => [trial.nctId, trial.state]));
    // NCT09100003's results, due 1 Feb 2024, were first posted on 1 June 2024: not yet on 1 March.
    expect(states).toMatchObject({
      NCT09100002: 'overdue',
      NCT09100003: 'overdue',
      NCT09100004: 'not-due',
    });
    expect(states).not.toHaveProperty('NCT09100005');
    const overdue = body.trials.find((trial: Json) => trial.nctId === 'NCT09100002');
    expect(overdue).toMatchObject({ dueDate: '2024-01-15', daysOverdue: 46, reportedOn: null });
    expect(body.trials.find((trial: Json) => trial.nctId === 'NCT09100003')).toMatchObject({
      dueDate: '2024-02-01',
      state: 'overdue',
      daysOverdue: 29,
      reportedOn: '2024-06-01',
    });
    expect(body.counts.overdue).toBe(2);
    const posted = await get('/reports/results-due?on=2024-06-01');
    expect(posted.body.trials.find((trial: Json) => trial.nctId === 'NCT09100003')).toMatchObject({
      state: 'reported-late',
      daysOverdue: null,
    });
    expect(posted.body.counts['reported-late']).toBe(1);
    expect((await get('/trials/NCT09100003/signals?on=2024-05-31')).body.resultsDue).toMatchObject({
      state: 'overdue',
    });
    expect((await get('/trials/NCT09100003/signals?on=2024-06-01')).body.resultsDue).toMatchObject({
      state: 'reported-late',
    });

    const filtered = await get(`/reports/results-due?on=${ON}&state=overdue`);
    expect(filtered.body.trials.every((trial: Json) => trial.state === 'overdue')).toBe(true);
    expect((await get(`/reports/results-due?on=2024-11-15&state=due-within-30-days`)).body.trials).toEqual([
      expect.objectContaining({ nctId: 'NCT09100004', dueDate: '2024-11-30' }),
    ]);
    const wrong = await get('/reports/results-due?state=late');
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('state must be results-due states');
    // A cursor naming a day the calendar lacks is refused like a malformed one, not sent to the database.
    for (const cursor of ['2024-02-30~NCT09100002', '2024-13-01~NCT09100002', 'next']) {
      const refused = await get(`/reports/results-due?on=${ON}&cursor=${cursor}`);
      expect({ cursor, status: refused.status }).toEqual({ cursor, status: 400 });
      expect(JSON.stringify(refused.body)).toContain('cursor must be the nextCursor of a previous page');
    }
    const after = await get(`/reports/results-due?on=${ON}&cursor=2024-01-15~NCT09100002`);
    expect(after.status).toBe(200);
    expect(after.body.trials.map((trial: Json) => trial.nctId)).not.toContain('NCT09100002');

    const csv = await text(`/reports/results-due.csv?on=${ON}&state=overdue`);
    expect(csv.body.split('\n')[0]).toBe(
      'nct_id,brief_title,lead_sponsor,overall_status,primary_completion_date,due_date,state,submitted_on,reported_on,days_overdue',
    );
    expect(csv.body).toContain('NCT09100002');
    expect(csv.body).toContain('NCT09100003');
    expect(csv.body).not.toContain('NCT09100004');
  });

  it('flags registry hygiene on a day, each flag with the day it started to hold', async () => {
    const { body } = await get(`/reports/hygiene?on=${ON}`);
    const flags = Object.fromEntries(body.trials.map((trial: Json) => [trial.nctId, trial.flags]));
    expect(flags['NCT09100006']).toEqual([
      { flag: 'status-verification-stale', since: '2023-02-01' },
      { flag: 'completion-past-while-recruiting', since: '2022-07-01' },
    ]);
    expect(flags['NCT09100007']).toEqual([{ flag: 'merged-into-another', since: null, mergedInto: 'NCT09100008' }]);
    const early = await get('/reports/hygiene?on=2022-07-01&flag=status-verification-stale');
    expect(early.body.trials.map((trial: Json) => trial.nctId)).not.toContain('NCT09100006');
    expect((await get('/reports/hygiene?flag=untidy')).status).toBe(400);

    // The same flags on the trial itself, with its results-due state on that day.
    const untidy = await get(`/trials/NCT09100006/signals?on=${ON}`);
    expect(untidy.body).toMatchObject({
      nctId: 'NCT09100006',
      on: ON,
      hygieneFlags: [
        { flag: 'status-verification-stale', since: '2023-02-01' },
        { flag: 'completion-past-while-recruiting', since: '2022-07-01' },
      ],
    });
    expect((await get(`/trials/NCT09100007/signals?on=${ON}`)).body.hygieneFlags).toEqual([
      { flag: 'merged-into-another', since: null, mergedInto: 'NCT09100008' },
    ]);
    expect((await get(`/trials/NCT09100002/signals?on=${ON}`)).body.resultsDue).toMatchObject({ state: 'overdue' });
    expect((await get('/trials/NCT09100006/signals?on=2022-07-01')).body.hygieneFlags).toEqual([
      { flag: 'completion-past-while-recruiting', since: '2022-07-01' },
    ]);
    expect((await get('/trials/NCT09100006/signals?on=soon')).status).toBe(400);

    // The trial search finds trials by the same flags and states on a day, with a total when asked.
    const stale = await get(`/trials?hygieneFlag=status-verification-stale&on=${ON}&total=true`);
    expect(stale.body.trials.map((trial: Json) => trial.nctId)).toContain('NCT09100006');
    expect(stale.body.total).toBe(stale.body.trials.length);
    const overdue = await get(`/trials?resultsDue=overdue&on=${ON}`);
    expect(overdue.body.trials.map((trial: Json) => trial.nctId)).toEqual(['NCT09100002', 'NCT09100003']);
    const late = await get('/trials?resultsDue=reported-late&on=2024-06-01');
    expect(late.body.trials.map((trial: Json) => trial.nctId)).toEqual(['NCT09100003']);
    expect(overdue.body).not.toHaveProperty('total');
    const badState = await get('/trials?resultsDue=late');
    expect(badState.status).toBe(400);
    expect(JSON.stringify(badState.body)).toContain('resultsDue must be one of not-due');
    expect((await get('/trials/NCT09199999/signals')).status).toBe(404);
  });

  it('compares first registered with current, and finds a trial by another registry identifier', async () => {
    const { body } = await get('/trials/NCT09100001/baseline');
    const outcomes = body.fields.find((entry: Json) => entry.field === 'primaryOutcomes');
    expect(outcomes.first).toEqual([weight12]);
    expect(outcomes.changes).toBe(3);
    const completion = body.fields.find((entry: Json) => entry.field === 'primaryCompletionDate');
    expect(completion).toMatchObject({ first: { date: '2021-06', type: 'ESTIMATED' }, changes: 1 });

    const found = await get('/trials?secondaryId=isrctn%2012345678');
    expect(found.body.trials.map((trial: Json) => trial.nctId)).toEqual(['NCT09100007']);
    // An NCT ID merged into another trial finds the trial it went into.
    const merged = await get('/trials?secondaryId=nct09100007');
    expect(merged.body.trials.map((trial: Json) => trial.nctId)).toEqual(['NCT09100008']);
  });

  it(
    'records overdue results with the daily check, once, and delivers them to a subscription',
    async () => {
      const subscribed = await fetch(`${baseUrl}/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url, filter: { eventTypes: ['trial.results-overdue'] } }),
      });
      expect(subscribed.status).toBe(201);
      const first = await runCli(['signals', 'check', '--on', ON, '--json'], env);
      expect(first.status).toBe(0);
      expect(JSON.parse(first.stdout).recorded['trial.results-overdue']).toBe(1);
      const again = await runCli(['signals', 'check', '--on', '2024-03-02', '--json'], env);
      expect(JSON.parse(again.stdout).recorded).toEqual({});

      await eventually(async () => receiver.received.length >= 1);
      expect(receiver.received.map((webhook) => [webhook.json.type, webhook.json.data.nctId])).toEqual([
        ['trial.results-overdue', 'NCT09100002'],
      ]);
      const feed = await get('/changes?types=trial.results-overdue');
      expect(feed.body.changes.map((change: Json) => change.nctId)).toEqual(['NCT09100002']);
      const badDay = await runCli(['signals', 'check', '--on', 'tomorrow'], env);
      expect(badDay.status).not.toBe(0);
      expect(badDay.stderr).toContain('--on must be a date as YYYY-MM-DD');
      // A day still to come would announce what has not happened: refused as a usage error, nothing recorded.
      const ahead = await runCli(['signals', 'check', '--on', '2099-01-01'], env);
      expect(ahead.status).toBe(2);
      expect(ahead.stderr).toContain('2099-01-01 is after today');
      expect((await get('/changes?types=trial.results-overdue')).body.changes).toHaveLength(1);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'exports the status history and the reports, over HTTP and from the CLI, as CSV and JSON Lines',
    async () => {
      const csv = await text('/exports/status-history.csv?nctId=NCT09100001,NCT09100002');
      expect(csv.status).toBe(200);
      const lines = csv.body.trim().split('\n');
      expect(lines[0]).toBe('nct_id,status,from,to,days,current');
      expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(
        expect.arrayContaining(['NCT09100001', 'NCT09100002']),
      );
      expect((await text('/exports/status-history.csv?nctId=nope')).status).toBe(400);

      const changes = await text('/exports/changes.csv?nctId=NCT09100001&minMateriality=high');
      const changeLines = changes.body.trim().split('\n');
      expect(changeLines[0]).toBe(
        'cursor,occurred_at,recorded_at,nct_id,type,materiality,subtype,reason,event_id,data',
      );
      expect(changeLines).toHaveLength(3);
      expect(
        changeLines.slice(1).every((line) => line.includes(',NCT09100001,trial.primary-outcomes-changed,high,')),
      ).toBe(true);
      const everyChange = await text('/exports/changes.jsonl?nctId=NCT09100001');
      expect(everyChange.type).toMatch(/^application\/x-ndjson/);
      const entries = everyChange.body
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const paged = await get('/changes?nctId=NCT09100001&limit=1000');
      expect(entries.map((entry) => entry.eventId)).toEqual(paged.body.changes.map((change: Json) => change.eventId));

      const jsonl = await runCli(['export', 'results-due', '--format', 'jsonl', '--on', ON], env);
      expect(jsonl.status).toBe(0);
      const rows = jsonl.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(rows.find((row) => row.nctId === 'NCT09100002')).toMatchObject({ state: 'overdue', daysOverdue: 46 });
      const periods = await runCli(['export', 'status-history', '--nct-id', 'NCT09100001'], env);
      expect(
        periods.stdout
          .trim()
          .split('\n')
          .slice(1)
          .every((line) => line.startsWith('NCT09100001,')),
      ).toBe(true);
      const wrong = await runCli(['export', 'everything'], env);
      expect(wrong.status).toBe(2);
      expect(wrong.stderr).toContain('choose one of changes, status-history, results-due, hygiene, outcome-switching');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it('grades every change, and filters the feed, the trial feed, the page and a subscription by materiality', async () => {
    const feed = await get('/changes?nctId=NCT09100001&limit=100');
    const byType = (type: string) => feed.body.changes.filter((change: Json) => change.type === type);
    const outcomes = byType('trial.primary-outcomes-changed');
    expect(outcomes.map((change: Json) => change.materiality)).toEqual([
      expect.objectContaining({ tier: 'medium', subtype: 'outcome-added' }),
      expect.objectContaining({ tier: 'high', subtype: 'outcome-time-frame-changed' }),
      expect.objectContaining({ tier: 'high', subtype: 'outcome-reworded' }),
    ]);
    expect(outcomes[1].materiality.reason).toContain('after the study started');
    expect(byType('trial.last-update-posted-date-moved')[0].materiality.tier).toBe('noise');

    const high = await get('/changes?nctId=NCT09100001&minMateriality=high&limit=100');
    expect(high.body.changes.map((change: Json) => change.materiality.tier)).toEqual(['high', 'high']);
    const wrong = await get('/changes?minMateriality=huge');
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('minMateriality must be one of noise, low, medium, high');
    const atom = await text('/trials/NCT09100001/changes.atom?minMateriality=high');
    expect(atom.body.match(/<entry>/g)).toHaveLength(2);
    const page = await text('/ui?minMateriality=high');
    expect(page.body).toContain('NCT09100001');
    expect(page.body).not.toContain('NCT09100004');

    const subscribed = await fetch(`${baseUrl}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, filter: { nctIds: ['NCT09100004'], minMateriality: 'high' } }),
    });
    expect(subscribed.status).toBe(201);
    await ingest(
      version({ ...base, nctId: 'NCT09100004' }, '2024-02-01', {
        overallStatus: 'TERMINATED',
        whyStopped: 'Sponsor decision',
        hasResults: false,
        resultsFirstPostDate: null,
        primaryCompletionDate: { date: '2023-11-30', type: 'ACTUAL' },
      }),
    );
    await eventually(async () => receiver.received.some((webhook) => webhook.json.data.nctId === 'NCT09100004'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(
      receiver.received
        .filter((webhook) => webhook.json.data.nctId === 'NCT09100004')
        .map((webhook) => webhook.json.type),
    ).toEqual(['trial.overall-status-changed']);

    // The same filter from the CLI: kept on the subscription and shown by `subscriptions list`.
    const cli = await runCli(
      [
        'subscribe',
        '--url',
        receiver.url,
        '--nct-id',
        'NCT09100004',
        '--min-materiality',
        'medium',
        '--name',
        'stopped-trial desk',
        '--json',
      ],
      env,
    );
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout).filter).toMatchObject({ nctIds: ['NCT09100004'], minMateriality: 'medium' });
    const listed = await runCli(['subscriptions', 'list'], env);
    expect(listed.stdout).toMatch(/NAME/);
    expect(listed.stdout).toMatch(/stopped-trial desk .*nctIds=NCT09100004 .*minMateriality=medium/);
    const badTier = await runCli(['subscribe', '--url', receiver.url, '--min-materiality', 'urgent'], env);
    expect({ status: badTier.status, stderr: badTier.stderr }).toEqual({
      status: 2,
      stderr: 'trialwatch: --min-materiality must be one of noise, low, medium, high\n',
    });
  });
});
