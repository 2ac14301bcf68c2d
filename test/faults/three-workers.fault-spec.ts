import { type AppProcess, runCli, startWorker } from '../support/app-processes.js';
import { FakeCtgovServer } from '../support/fake-ctgov/index.js';
import { maxInAnyWindow, shortestGap } from '../support/request-rate.js';
import { FaultRun, trials } from './fault-harness.js';
import { RegistryFeed, versionPosted } from './watchlist-scenario.js';

const RUN_ENDED = /run ([0-9a-f-]{36}) (succeeded|partial|failed|skipped)/g;

describe('fault: three workers syncing', () => {
  let run: FaultRun;
  let fake: FakeCtgovServer;
  const extraWorkers: AppProcess[] = [];

  afterEach(async () => {
    for (const worker of extraWorkers.splice(0)) await worker.stop('SIGKILL');
    await run?.stop();
    await fake?.stop();
  });

  it('keeps every process to 1 request/s at the registry, and loses or duplicates nothing', async () => {
    fake = await FakeCtgovServer.start();
    run = new FaultRun('three workers syncing');
    await run.start({
      CTGOV_BASE_URL: fake.baseUrl,
      CTGOV_REQUESTS_PER_SECOND: '1',
      CTGOV_TIMEOUT_MS: '5000',
      CTGOV_MAX_RETRIES: '4',
      CTGOV_BACKOFF_BASE_MS: '100',
      // Each worker says which runs it ended.
      LOG_LEVEL: 'info',
    });
    extraWorkers.push(await startWorker(run.env), await startWorker(run.env));
    const feed = new RegistryFeed(run, fake);

    // Seven watchlists of three trials: six synced by the workers, one by the CLI in its own process.
    const watched = trials('0931', 21);
    for (const nctId of watched) feed.serve(nctId, versionPosted(3));
    const watchlists: string[] = [];
    for (let index = 0; index < 7; index++)
      watchlists.push(await feed.createWatchlist(`three workers ${index}`, watched.slice(index * 3, index * 3 + 3)));
    const [cliWatchlist, ...workerWatchlists] = watchlists;

    // The registry answers one request 429 (Retry-After: 1) and one 503: retries wait for their turn too.
    fake.injectFaults([
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'status', status: 503 },
    ]);
    run.faults += 2;
    const [first, cli] = await Promise.all([
      feed.syncAll(workerWatchlists),
      runCli(['watch', 'sync', cliWatchlist!], run.env),
    ]);
    expect(cli.status).toBe(0);
    expect(first.map((r) => r.status)).toEqual(Array(6).fill('succeeded'));

    // The registry publishes a new version of every other trial; a worker is killed mid-round and restarted.
    for (const nctId of watched.filter((_, index) => index % 2 === 0)) feed.serve(nctId, versionPosted(0));
    fake.setDataTimestamp('2026-01-16T09:00:05');
    const second = feed.syncAll(workerWatchlists);
    const before = fake.requests.length;
    while (fake.requests.length < before + 3) await new Promise((resolve) => setTimeout(resolve, 100));
    const killed = extraWorkers.shift()!;
    await killed.stop('SIGKILL');
    run.faults += 1;
    extraWorkers.push(await startWorker(run.env));
    const [secondRuns, cliAgain] = await Promise.all([second, runCli(['watch', 'sync', cliWatchlist!], run.env)]);
    expect(cliAgain.status).toBe(0);
    expect(secondRuns.map((r) => r.status)).toEqual(Array(6).fill('succeeded'));

    // Politeness, measured where it matters: at the registry.
    const arrivals = fake.requests.map((request) => request.at);
    const most = maxInAnyWindow(arrivals, 1_000);
    console.log(
      `[fault] three workers syncing: ${arrivals.length} registry requests in ${((Math.max(...arrivals) - Math.min(...arrivals)) / 1000).toFixed(1)} s, ` +
        `at most ${most} in any 1 s window, shortest gap ${shortestGap(arrivals)} ms`,
    );
    expect(most).toBe(1);
    expect(shortestGap(arrivals)).toBeGreaterThanOrEqual(1_000);

    // The workers shared the runs: each of the three that ran the first round ended some of them.
    const endedBy = [run.worker, killed, ...extraWorkers.slice(0, 1)].map(
      (worker) => new Set([...worker.output.matchAll(RUN_ENDED)].map((match) => match[1])),
    );
    expect(endedBy.filter((runs) => runs.size > 0).length).toBeGreaterThanOrEqual(2);

    await feed.acceptServed();
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
  });
});
