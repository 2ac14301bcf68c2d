import { studyVersion } from '../support/study-versions.js';
import { eventually } from '../support/test-environment.js';
import { FaultRun, trials } from './fault-harness.js';

const POISON_TRIAL = 'NCT09500000';
const MAX_ATTEMPTS = 3;

describe('fault: a poison ingestion among good ones', () => {
  let run: FaultRun;

  afterEach(() => run.stop());

  it('processes every good snapshot while the poison one retries behind them, then ends it failed', async () => {
    run = new FaultRun('a poison ingestion among good ones');
    // One ingest job at a time: a poison job that kept its slot, or came back first, would starve the rest.
    await run.start({
      INGEST_CONCURRENCY: '1',
      INGEST_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      INGEST_RETRY_BACKOFF_MS: '5000',
    });
    // A trial whose stream holds an event this version cannot read (as if a newer trialwatch wrote it):
    // every snapshot of it is refused by every attempt.
    await run.probe.rows(
      `INSERT INTO streams (stream_id, version) VALUES ('trial-${POISON_TRIAL}', 1);
       INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, occurred_at)
       VALUES ('trial-${POISON_TRIAL}', 1, gen_random_uuid(), 'trial.registered', 99,
               '{"facts": {"nctId": "${POISON_TRIAL}", "overallStatus": "RECRUITING", "briefTitle": "From a newer version"}}',
               '{}', now())`,
    );
    let poisonId = '';
    await run.ingest(trials('0951', 3), 0, 10, 2, async (posted) => {
      if (posted !== 4) return;
      const response = await fetch(`${run.baseUrl}/snapshots`, { method: 'POST', body: studyVersion(1, POISON_TRIAL) });
      expect(response.status).toBe(202);
      poisonId = ((await response.json()) as { ingestionId: string }).ingestionId;
      run.faults += 1;
    });

    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
    expect(report.snapshotsAccepted).toBe(30);

    const [poison] = await run.probe.rows<{
      status: string;
      attempts: number;
      error: { code: string };
      completed_at: Date;
    }>(`SELECT status, attempts, error, completed_at FROM ingestions WHERE id = $1`, [poisonId]);
    expect(poison).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, error: { code: 'event.unreadable' } });
    // Every good snapshot, those posted after the poison one included, was in before it gave up.
    const [{ last }] = await run.probe.rows<{ last: Date }>(
      `SELECT max(completed_at) AS last FROM ingestions WHERE id = ANY($1)`,
      [run.accepted.map((accepted) => accepted.ingestionId)],
    );
    expect(poison!.completed_at.getTime()).toBeGreaterThan(last!.getTime());

    // Failed stays failed: the sweeper (every second here) never queues it again.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const listed = (await (await fetch(`${run.baseUrl}/ingestions?status=failed`)).json()) as {
      ingestions: { id: string; attempts: number }[];
    };
    expect(listed.ingestions).toEqual([expect.objectContaining({ id: poisonId, attempts: MAX_ATTEMPTS })]);
    await eventually(async () =>
      /^trialwatch_ingestions_failed 1$/m.test(await (await fetch(`${run.baseUrl}/metrics`)).text()),
    );
  });
});
