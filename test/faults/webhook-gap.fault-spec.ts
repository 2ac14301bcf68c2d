import { json } from '../support/http.js';
import { eventually } from '../support/test-environment.js';
import { FaultRun, trials } from './fault-harness.js';

describe('fault: the webhook receiver is down past the whole retry schedule', () => {
  let run: FaultRun;

  afterEach(() => run.stop());

  it('disables the subscription when a delivery is abandoned, sends nothing past the gap, and after recover the receiver has every event', async () => {
    run = new FaultRun('webhook receiver down past the whole retry schedule, then recovered');
    // A short schedule (3.3 s in all) that the outage outlasts. Its last wait dominates, so the delivery runs out of
    // retries before the subscription has failed for WEBHOOK_DISABLE_AFTER (the whole schedule) and is disabled for that.
    await run.start({ WEBHOOK_RETRY_SCHEDULE: '300ms,3s' });
    const [subscription] = await json(await fetch(`${run.baseUrl}/subscriptions`));
    const port = Number(new URL(run.receiver.url).port);
    await run.receiver.stop();
    run.faults += 1;
    const downSince = new Date();
    // One trial's first change alone, so its delivery is the only one failing: it uses up the whole schedule.
    const all = trials('0942', 4);
    expect(await run.post(all[0]!, 0)).toBe(true);
    const disabled = await eventually(async () => {
      const current = await json(await fetch(`${run.baseUrl}/subscriptions/${subscription.id}`));
      return current.status === 'disabled' && current;
    }, 60_000);
    expect(disabled.disabledReason).toMatch(/delivery 1 \(event .*\) to .* was abandoned after 3 attempts/);
    // Everything else changes while the subscription is disabled and the receiver still down.
    await run.ingest(all.slice(1), 0, 10, 2);
    await run.ingest([all[0]!], 1, 9, 1);

    // Back up, but the subscription stays disabled: nothing is delivered past the abandoned delivery.
    await run.receiver.listen(port);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(run.receiver.received).toHaveLength(0);

    const recovered = await fetch(
      `${run.baseUrl}/subscriptions/${subscription.id}/recover?since=${encodeURIComponent(downSince.toISOString())}`,
      { method: 'POST' },
    );
    expect(recovered.status).toBe(202);
    const { recovered: requeued } = await json(recovered);
    expect(requeued).toBe(1);

    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
    // Every webhook numbered, 1 to the number of events, none missing; a repeat has the same webhook-id and number.
    const sequences = new Map(run.receiver.accepted().map((webhook) => [webhook.id, webhook.json.data.sequence]));
    expect([...sequences.values()].sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: report.events }, (_, index) => index + 1),
    );
    for (const webhook of run.receiver.accepted()) expect(webhook.json.data.sequence).toBe(sequences.get(webhook.id));
    console.log(
      `[fault] ${run.scenario}: ${requeued} abandoned deliveries recovered; redelivered (same webhook-id) ${report.redelivered}`,
    );
  });
});
