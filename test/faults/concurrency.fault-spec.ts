import pg from 'pg';
import { FaultRun, trials } from './fault-harness.js';

describe('fault: concurrent writers and a transaction held open', () => {
  let run: FaultRun;

  afterEach(() => run.stop());

  it('keeps every stream whole with 8 concurrent writers on the same trials', async () => {
    run = new FaultRun('8 concurrent writers on the same trials');
    await run.start({ INGEST_CONCURRENCY: '8' });
    await run.ingest(trials('0901', 4), 0, 15, 8);
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
    expect(report.snapshotsAccepted).toBe(60);
  });

  it('misses nothing committed behind a transaction held open while later ones commit', async () => {
    run = new FaultRun('a transaction held open while later ones commit');
    await run.start();
    const holder = new pg.Client({ connectionString: run.environment.databaseUrl });
    await holder.connect();
    // An ingestion's append that is slow to commit: its transaction takes an id first, then waits.
    await holder.query('BEGIN');
    await holder.query(
      `INSERT INTO streams (stream_id, version) VALUES ('trial-NCT09020000', 1);
       INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, occurred_at)
       VALUES ('trial-NCT09020000', 1, gen_random_uuid(), 'trial.registered', 1,
               '{"facts": {"nctId": "NCT09020000", "overallStatus": "RECRUITING", "briefTitle": "Held open"}}', '{}', now())`,
    );
    run.faults += 1;
    await run.ingest(
      trials('0902', 3).map((id) => id.replace('NCT0902', 'NCT0903')),
      0,
      10,
      2,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await holder.query('COMMIT');
    await holder.end();
    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
    expect(await run.probe.count(`SELECT count(*) FROM trial_current_state WHERE nct_id = 'NCT09020000'`)).toBe(1);
  });
});
