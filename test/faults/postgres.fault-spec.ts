import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { FaultRun, trials } from './fault-harness.js';

const restartPostgres = () => {
  const version = readdirSync('/etc/postgresql')[0]!;
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
};

describe('fault: PostgreSQL restarts', () => {
  let run: FaultRun;

  afterEach(() => run.stop());

  it('reconnects without manual action and loses nothing', async () => {
    run = new FaultRun('PostgreSQL restarted mid-run');
    await run.start();
    const apiPid = run.api.pid;
    const workerPid = run.worker.pid;
    await run.ingest(trials('0931', 4), 0, 6, 2);
    restartPostgres();
    run.faults += 1;
    // While it comes back, some posts fail; the client is told so and tries again.
    await run.ingest(trials('0931', 4), 6, 6, 2);
    await run.postRefusedAgain(trials('0931', 4), 6, 6);
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
    // The client was told to try again, not that something unexpected happened.
    expect(run.refusals.filter((answer) => answer !== '503 database.unavailable')).toEqual([]);
    expect(run.api.pid).toBe(apiPid);
    expect(run.worker.pid).toBe(workerPid);
  });
});
