import { WatchlistDeletedDuringRunError } from './watchlist.js';

describe('a watchlist deleted while a run of it was waited on', () => {
  const RUN_ID = '7d1f2c3e-0000-4000-8000-000000000009';

  it('says a run under way stopped, and a run still queued never started', () => {
    expect(new WatchlistDeletedDuringRunError('weekly', { id: RUN_ID, status: 'running' }).message).toBe(
      `Watchlist "weekly" was deleted while its run ${RUN_ID} was under way: the run stopped, and went with the watchlist (what it had ingested is kept)`,
    );
    const queued = new WatchlistDeletedDuringRunError('weekly', { id: RUN_ID, status: 'queued' }).message;
    expect(queued).toBe(
      `Watchlist "weekly" was deleted while its run ${RUN_ID} was queued: the run went with the watchlist and will not start`,
    );
    expect(queued).not.toMatch(/stopped|under way|ingested/);
  });
});
