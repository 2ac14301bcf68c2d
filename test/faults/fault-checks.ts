import { eventually } from '../support/test-environment.js';
import type { FaultRun } from './fault-harness.js';
import { checkReadModels } from './read-model-check.js';
import { checkStreams, storedEvents } from './stream-checks.js';
import { checkWebhooks } from './webhook-check.js';

export interface FaultReport {
  scenario: string;
  faults: number;
  snapshotsAccepted: number;
  events: number;
  /** Accepted snapshots not ingested, events missing from read models or from webhook deliveries. */
  lost: number;
  /** Events that changed nothing (a second copy of a change), or read-model rows applied twice. */
  duplicated: number;
  webhooksReceived: number;
  /** Webhooks received more than once (at-least-once delivery), always with the same webhook-id. */
  redelivered: number;
}

/** What one check found lost or applied twice, and why. */
export interface Findings {
  lost: number;
  duplicated: number;
  causes: string[];
}

/**
 * Waits until every accepted ingestion has an outcome and every projection has caught up; returns
 * how many accepted ingestions did not end appended, learned, unchanged or stale.
 */
const settle = async (run: FaultRun): Promise<number> => {
  const ids = run.accepted.map((a) => a.ingestionId);
  // Every ingestion, not only the accepted ones: a snapshot stored by an api killed before it answered
  // is still processed (by the sweeper), and its events must be in before anything is compared.
  await eventually(
    async () => (await run.probe.count(`SELECT count(*) FROM ingestions WHERE status = 'queued'`)) === 0,
    180_000,
    200,
  );
  const unfinished = await run.probe.count(
    `SELECT count(*) FROM ingestions WHERE id = ANY($1) AND status NOT IN ('appended', 'learned', 'unchanged', 'stale')`,
    [ids],
  );
  await eventually(
    async () => {
      const events = await run.probe.count('SELECT count(*) FROM events');
      const feed = await run.probe.count('SELECT count(*) FROM change_feed');
      const lag = await run.probe.count(
        `SELECT count(*) FROM projection_checkpoints c WHERE EXISTS (SELECT 1 FROM events e WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position))`,
      );
      return events === feed && lag === 0;
    },
    180_000,
    200,
  );
  return unfinished;
};

/** Once the run has settled: the event streams, the read models and the webhooks, in one report. */
export const checkRun = async (run: FaultRun): Promise<FaultReport> => {
  const unfinished = await settle(run);
  const events = await storedEvents(run.probe);
  const findings: Findings[] = [
    { lost: unfinished, duplicated: 0, causes: unfinished ? [`${unfinished} accepted ingestions not finished`] : [] },
    checkStreams(events, run.accepted, run.attempted),
    await checkReadModels(run.probe, run.env),
  ];
  const webhooks = await checkWebhooks(events, run.receiver);
  findings.push(webhooks);
  const causes = findings.flatMap((found) => found.causes);

  const report: FaultReport = {
    scenario: run.scenario,
    faults: run.faults,
    snapshotsAccepted: run.accepted.length,
    events: events.length,
    lost: findings.reduce((sum, found) => sum + found.lost, 0),
    duplicated: findings.reduce((sum, found) => sum + found.duplicated, 0),
    webhooksReceived: run.receiver.accepted().length,
    redelivered: run.receiver.accepted().length - webhooks.delivered,
  };
  console.log(
    `[fault] ${report.scenario}: faults ${report.faults}, snapshots accepted ${report.snapshotsAccepted} (refused ${run.refused}), ` +
      `events ${report.events}, lost ${report.lost}, duplicated ${report.duplicated}, webhooks ${report.webhooksReceived} (redelivered ${report.redelivered})` +
      (causes.length ? `\n  ${causes.join('\n  ')}` : ''),
  );
  return report;
};
