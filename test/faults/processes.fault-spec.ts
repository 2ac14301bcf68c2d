import { startApi, startWorker } from '../support/app-processes.js';
import { FaultRun, trials } from './fault-harness.js';

describe('fault: processes die', () => {
  let run: FaultRun;

  afterEach(() => run.stop());

  it('loses nothing when the worker is killed with SIGKILL mid-batch, three times', async () => {
    run = new FaultRun('worker SIGKILL mid-batch x3');
    await run.start();
    let restart: Promise<void> | undefined;
    await run.ingest(trials('0921', 5), 0, 12, 2, async (posted) => {
      // One restart at a time: the other writer waits for it, or a slow start-up would swallow the later kills.
      if (restart) return restart;
      if (posted >= 15 * (run.faults + 1) && run.faults < 3) {
        restart = (async () => {
          await run.worker.stop('SIGKILL');
          run.faults += 1;
          run.worker = await startWorker(run.env);
        })().finally(() => (restart = undefined));
        await restart;
      }
    });
    expect(run.faults).toBe(3);
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
  });

  it('never loses an accepted snapshot when the api is killed while accepting', async () => {
    run = new FaultRun('api SIGKILL while accepting snapshots');
    await run.start();
    // Killed after a number of posts, not after a delay: a fast api could accept all 60 before any timer fires.
    let killing: Promise<unknown> | undefined;
    await run.ingest(trials('0922', 5), 0, 12, 4, async (posted) => {
      if (posted >= 12 && !killing) {
        run.faults += 1;
        killing = run.api.stop('SIGKILL');
      }
      await killing;
    });
    ({ api: run.api, baseUrl: run.baseUrl } = await startApi(run.env));
    expect(run.refused).toBeGreaterThan(0);
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
  });

  it('finishes in-flight jobs on SIGTERM and leaves nothing half-written', async () => {
    run = new FaultRun('graceful shutdown on SIGTERM');
    await run.start();
    run.receiver.answer = () => new Promise((resolve) => setTimeout(() => resolve(200), 300));
    await run.ingest(trials('0923', 3), 0, 8, 2);
    await run.worker.stop('SIGTERM');
    run.faults += 1;
    // Every webhook the receiver saw was recorded: no delivery was cut off half-way by the shutdown.
    expect(await run.probe.count('SELECT count(*) FROM delivery_attempts')).toBe(run.receiver.received.length);
    expect(await run.probe.count(`SELECT count(*) FROM delivery_attempts WHERE error IS NOT NULL`)).toBe(0);
    run.worker = await startWorker(run.env);
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
  });
});
