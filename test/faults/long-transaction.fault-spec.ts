import pg from 'pg';
import { json } from '../support/http.js';
import { eventually } from '../support/test-environment.js';
import { FaultRun, trials } from './fault-harness.js';

/**
 * How long the transaction stays open, in seconds (FAULT_HOLD_SECONDS, default 25). While it is open
 * every reader of the global order in trialwatch's database waits.
 */
const HOLD_SECONDS = Number(process.env.FAULT_HOLD_SECONDS ?? 25);
/** The service reports itself degraded once events have waited this long (HEALTH_DEGRADED_AFTER_SECONDS). */
const DEGRADED_AFTER_SECONDS = Math.max(1, HOLD_SECONDS - 15);
const HOLDER_NAME = 'bulk-load-held-open';

interface TransactionsDetail {
  status: string;
  oldestTransaction: {
    pid: number;
    applicationName: string | null;
    ageSeconds: number;
    holds: string[];
    state: string;
  } | null;
  projectionsHeldSeconds: number;
}

describe('fault: a write transaction held open', () => {
  let run: FaultRun;

  let holder: pg.Client | undefined;

  afterEach(async () => {
    await holder?.end().catch(() => undefined);
    await run.stop();
  });

  it(`names the transaction while it holds projections (${HOLD_SECONDS} s), then resumes and loses nothing`, async () => {
    run = new FaultRun(`a write transaction held open for ${HOLD_SECONDS} s`);
    await run.start({ HEALTH_DEGRADED_AFTER_SECONDS: String(DEGRADED_AFTER_SECONDS) });
    const transactions = async (): Promise<TransactionsDetail> =>
      (await json(await fetch(`${run.baseUrl}/health`))).details.transactions;
    const ids = trials('0941', 4);
    await run.ingest(ids, 0, 3, 2);

    // A bulk load that has written to the event store and does not commit.
    holder = new pg.Client({ connectionString: run.environment.databaseUrl, application_name: HOLDER_NAME });
    // Dropping the database at the end ends this session if a failed check left it open.
    holder.on('error', () => undefined);
    await holder.connect();
    const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await holder.query('BEGIN');
    await holder.query(
      `INSERT INTO streams (stream_id, version) VALUES ('trial-NCT09420000', 1);
       INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, occurred_at)
       VALUES ('trial-NCT09420000', 1, gen_random_uuid(), 'trial.registered', 1,
               '{"facts": {"nctId": "NCT09420000", "overallStatus": "RECRUITING", "briefTitle": "Held open"}}', '{}', now())`,
    );
    const heldAt = Date.now();
    run.faults += 1;

    // Snapshots keep arriving and are appended, but no projection may read past the open transaction.
    let version = 3;
    while (Date.now() - heldAt < HOLD_SECONDS * 1000) {
      await run.ingest(ids, version, 1, 2);
      version += 1;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const whileHeld = await eventually(async () => {
      const detail = await transactions();
      return detail.oldestTransaction?.pid === pid && detail;
    });
    expect(whileHeld.oldestTransaction).toMatchObject({
      pid,
      applicationName: HOLDER_NAME,
      state: 'idle in transaction',
    });
    expect(whileHeld.oldestTransaction!.holds).toEqual(
      expect.arrayContaining(['events (RowExclusiveLock)', 'streams (RowExclusiveLock)']),
    );
    expect(whileHeld.oldestTransaction!.ageSeconds).toBeGreaterThanOrEqual(HOLD_SECONDS - 1);
    // Events committed after it began wait behind it for (nearly) the whole hold.
    expect(whileHeld.projectionsHeldSeconds).toBeGreaterThanOrEqual(HOLD_SECONDS - 5);
    // Held past HEALTH_DEGRADED_AFTER_SECONDS, the service says it is degraded.
    expect(whileHeld.projectionsHeldSeconds).toBeGreaterThan(DEGRADED_AFTER_SECONDS);
    expect(whileHeld.status).toBe('degraded');
    const metrics = await (await fetch(`${run.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`trialwatch_oldest_transaction_seconds\\{pid="${pid}",application_name="${HOLDER_NAME}"\\} \\d+`),
    );
    const heldSeconds = Number(/^trialwatch_projections_held_seconds (\S+)$/m.exec(metrics)?.[1]);
    expect(heldSeconds).toBeGreaterThanOrEqual(HOLD_SECONDS - 5);
    const applied = await run.probe.count('SELECT count(*) FROM change_feed');
    const stored = await run.probe.count('SELECT count(*) FROM events');
    expect(applied).toBeLessThan(stored);

    await holder.query('COMMIT');
    await holder.end();
    holder = undefined;
    const committedAt = Date.now();
    const report = await run.verify();
    const resumedInSeconds = (Date.now() - committedAt) / 1000;
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
    expect(await run.probe.count(`SELECT count(*) FROM trial_current_state WHERE nct_id = 'NCT09420000'`)).toBe(1);
    const after = await eventually(async () => {
      const detail = await transactions();
      return detail.oldestTransaction?.pid !== pid && detail;
    });
    expect(after.status).toBe('up');
    console.log(
      `[fault] ${run.scenario}: held ${heldSeconds.toFixed(1)} s behind pid ${pid} (${HOLDER_NAME}), ` +
        `events stored while held ${stored - applied}, caught up and checked ${resumedInSeconds.toFixed(1)} s after commit`,
    );
  });
});
