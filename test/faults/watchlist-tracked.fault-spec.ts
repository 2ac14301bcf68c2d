import { FakeCtgovServer } from '../support/fake-ctgov/index.js';
import { FaultRun, trials } from './fault-harness.js';
import { RegistryFeed } from './watchlist-scenario.js';

describe('fault: a tracked trial added to a watchlist', () => {
  let run: FaultRun;
  let fake: FakeCtgovServer;

  afterEach(async () => {
    await run?.stop();
    await fake?.stop();
  });

  it('gets the newer registry version of trials it already tracked, through a failed run and a flaky registry', async () => {
    fake = await FakeCtgovServer.start();
    run = new FaultRun('tracked trial added to a watchlist');
    await run.start({
      CTGOV_BASE_URL: fake.baseUrl,
      CTGOV_REQUESTS_PER_SECOND: '50',
      CTGOV_TIMEOUT_MS: '1000',
      CTGOV_MAX_RETRIES: '4',
      CTGOV_BACKOFF_BASE_MS: '50',
    });
    const feed = new RegistryFeed(run, fake);

    // Five trials tracked from old records (versions 0 to 3, posted in January 2016)...
    const tracked = trials('0941', 5);
    await run.ingest(tracked, 0, 4, 2);
    // ...while the registry has long published version 12 of each: far older than any sync window.
    for (const nctId of tracked) feed.serve(nctId, 12);
    const others = trials('0942', 3);
    for (const nctId of others) feed.serve(nctId, 5);
    const watchlist = await feed.createWatchlist('tracked trials added', others);
    expect((await feed.syncAll([watchlist]))[0]).toMatchObject({ status: 'succeeded' });

    const patched = await feed.request('PATCH', `/watchlists/${watchlist}`, { nctIds: [...others, ...tracked] });
    expect(patched.status).toBe(200);
    fake.setDataTimestamp('2026-01-16T09:00:05');
    const askedInFull = (url: URL) =>
      url.pathname === '/api/v2/studies' &&
      url.searchParams.get('filter.ids') === tracked.join(',') &&
      !url.searchParams.has('filter.advanced');

    // The first run after the change finds the registry failing on every attempt: the run fails...
    fake.injectFaults(
      Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 500 })),
      askedInFull,
    );
    run.faults += 5;
    const [failed] = await feed.syncAll([watchlist]);
    expect(failed).toMatchObject({ status: 'failed' });
    // ...and the next one, through a 429 and a dropped connection, still asks for them in full.
    fake.injectFaults([{ kind: 'status', status: 429, retryAfter: '1' }, { kind: 'drop' }], askedInFull);
    run.faults += 2;
    const [second] = await feed.syncAll([watchlist]);
    expect(second).toMatchObject({ status: 'succeeded', errors: [] });
    const runs = await feed.request('GET', `/watchlists/${watchlist}/runs`);
    expect(runs.body[0].requested.firstWatched).toEqual(tracked);
    expect(runs.body[0].appended).toBe(5);
    const watched = await feed.request('GET', `/watchlists/${watchlist}/trials`);
    expect(watched.body.filter((trial: { fetchedInFullAt: string | null }) => trial.fetchedInFullAt)).toHaveLength(8);

    await feed.acceptServed();
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
  });
});
