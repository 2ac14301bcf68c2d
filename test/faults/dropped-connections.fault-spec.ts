import { FaultRun, trials } from './fault-harness.js';

/** How many times every connection of the apps is cut while snapshots go in. */
const DROPS = 12;

describe('fault: PostgreSQL drops every connection, again and again', () => {
  let run: FaultRun;

  afterEach(() => run.stop());

  it(`keeps both processes up through ${DROPS} cuts of all their connections and loses nothing`, async () => {
    run = new FaultRun('every connection cut repeatedly');
    await run.start();
    const apiPid = run.api.pid;
    const workerPid = run.worker.pid;
    const ids = trials('0951', 6);
    // A cut ends each server process with 57P01 (as a restart does), whatever its connection was doing:
    // idle in the pool, checked out between statements, in a transaction, in a COPY or a lock wait.
    const cutEverything = async () => {
      for (let drop = 0; drop < DROPS; drop += 1) {
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 250));
        await run.probe.cutOtherConnections();
        run.faults += 1;
      }
    };
    await Promise.all([run.ingest(ids, 0, 8, 3), cutEverything()]);
    await run.postRefusedAgain(ids, 0, 8);
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
    // The client was told to try again, not that something unexpected happened.
    expect(run.refusals.filter((answer) => answer !== '503 database.unavailable')).toEqual([]);
    expect(run.api.pid).toBe(apiPid);
    expect(run.worker.pid).toBe(workerPid);
  });
});
