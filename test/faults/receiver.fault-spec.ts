import { FaultRun, trials } from './fault-harness.js';

describe('fault: the webhook receiver is down', () => {
  let run: FaultRun;

  afterEach(() => run.stop());

  it('delivers everything once the receiver is back after being down for the whole run', async () => {
    run = new FaultRun('webhook receiver down for the whole run');
    await run.start();
    const port = Number(new URL(run.receiver.url).port);
    await run.receiver.stop();
    run.faults += 1;
    await run.ingest(trials('0941', 4), 0, 10, 2);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(run.receiver.received).toHaveLength(0);
    await run.receiver.listen(port);
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
  });
});
