import { diff, type DomainEvent, evolve, factsOf, type TrialState } from '@app/domain';
import { parseSnapshots } from '@app/registry-formats';
import { type AppProcess, runCli, startApi, startWorker } from '../support/app-processes.js';
import { DatabaseProbe } from '../support/database-probe.js';
import { json } from '../support/http.js';
import { studyVersion } from '../support/study-versions.js';
import { createTestEnvironment, eventually, type TestEnvironment } from '../support/test-environment.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

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

interface Accepted {
  ingestionId: string;
  nctId: string;
  version: number;
}

/**
 * One fault scenario: the api and a worker as processes on a fresh database, a webhook subscription
 * to every change, snapshots of known trials fed in, and afterwards the check that nothing was lost
 * or applied twice.
 */
export class FaultRun {
  environment!: TestEnvironment;
  env!: Record<string, string>;
  api!: AppProcess;
  worker!: AppProcess;
  baseUrl!: string;
  probe!: DatabaseProbe;
  receiver!: WebhookReceiver;
  readonly accepted: Accepted[] = [];
  /** Every version posted, accepted or not: one whose answer was lost may still have been stored. */
  readonly attempted: { nctId: string; version: number }[] = [];
  /** Posts that got no 202 (the api was down, or refused): the client knows they were not taken. */
  refused = 0;
  faults = 0;

  constructor(readonly scenario: string) {}

  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    this.environment = await createTestEnvironment();
    this.receiver = await WebhookReceiver.start();
    this.env = {
      ...this.environment.env,
      INGEST_SWEEP_AFTER_MS: '1000',
      PROJECTION_WAKE_INTERVAL_MS: '300',
      SCHEDULER_REFRESH_MS: '1000',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.0/8',
      WEBHOOK_RETRY_SCHEDULE: Array.from({ length: 40 }, () => '500ms').join(','),
      WEBHOOK_TIMEOUT_MS: '3000',
      ...extraEnv,
    };
    ({ api: this.api, baseUrl: this.baseUrl } = await startApi(this.env));
    this.env.PUBLIC_BASE_URL = this.baseUrl;
    this.worker = await startWorker(this.env);
    this.probe = new DatabaseProbe(this.environment.databaseUrl);
    const subscription = await fetch(`${this.baseUrl}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: this.receiver.url, name: `faults: ${this.scenario}` }),
    });
    if (subscription.status !== 201) throw new Error(`subscription refused: ${await subscription.text()}`);
  }

  async stop(): Promise<void> {
    await this.api?.stop('SIGKILL');
    await this.worker?.stop('SIGKILL');
    await this.receiver?.stop();
    await this.probe?.close().catch(() => undefined);
    await this.environment?.teardown();
  }

  /** POSTs version `version` of trial `nctId`; remembers it when the api answers 202. */
  async post(nctId: string, version: number): Promise<boolean> {
    this.attempted.push({ nctId, version });
    try {
      const response = await fetch(`${this.baseUrl}/snapshots`, { method: 'POST', body: studyVersion(version, nctId) });
      if (response.status !== 202) {
        this.refused += 1;
        return false;
      }
      this.accepted.push({ ingestionId: (await json(response)).ingestionId, nctId, version });
      return true;
    } catch {
      this.refused += 1;
      return false;
    }
  }

  /** `writers` concurrent clients post versions first..first+count-1 of every trial, each trial's versions in order. */
  async ingest(
    trials: string[],
    first: number,
    count: number,
    writers = 1,
    during?: (posted: number) => Promise<void>,
  ): Promise<void> {
    const work = trials.flatMap((_, index) =>
      Array.from({ length: count }, (__, offset) => ({ index, version: first + offset })),
    );
    work.sort((a, b) => a.version - b.version || a.index - b.index);
    let next = 0;
    let posted = 0;
    const client = async () => {
      for (let item = work[next++]; item; item = work[next++]) {
        await this.post(trials[item.index]!, item.version);
        posted += 1;
        if (during) await during(posted);
      }
    };
    await Promise.all(Array.from({ length: writers }, client));
  }

  /** Checks everything and returns the figures; throws with the details when anything was lost or duplicated. */
  async verify(): Promise<FaultReport> {
    try {
      return await this.check();
    } catch (error) {
      // Say what was stuck, with the processes' last words.
      const queued = await this.probe.count(`SELECT count(*) FROM ingestions WHERE status = 'queued'`).catch(() => -1);
      const tail = (text: string) => text.split('\n').slice(-15).join('\n');
      throw new Error(
        `${(error as Error).message}\nqueued ingestions: ${queued}\n--- worker ---\n${tail(this.worker.output)}\n--- api ---\n${tail(this.api.output)}`,
        { cause: error },
      );
    }
  }

  private async check(): Promise<FaultReport> {
    const ids = this.accepted.map((a) => a.ingestionId);
    await eventually(
      async () =>
        (await this.probe.count(`SELECT count(*) FROM ingestions WHERE id = ANY($1) AND status = 'queued'`, [ids])) ===
        0,
      180_000,
      200,
    );
    const unfinished = await this.probe.count(
      `SELECT count(*) FROM ingestions WHERE id = ANY($1) AND status NOT IN ('appended', 'unchanged', 'stale')`,
      [ids],
    );
    await eventually(
      async () => {
        const events = await this.probe.count('SELECT count(*) FROM events');
        const feed = await this.probe.count('SELECT count(*) FROM change_feed');
        const lag = await this.probe.count(
          `SELECT count(*) FROM projection_checkpoints c WHERE EXISTS (SELECT 1 FROM events e WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position))`,
        );
        return events === feed && lag === 0;
      },
      180_000,
      200,
    );

    const events = await this.probe.rows<{
      stream_id: string;
      stream_version: number;
      event_id: string;
      type: string;
      schema_version: number;
      data: unknown;
    }>(
      `SELECT stream_id, stream_version, event_id, type, schema_version, data FROM events ORDER BY stream_id, stream_version`,
    );
    let duplicated = 0;
    let lost = unfinished;
    const causes: string[] = [];
    if (unfinished) causes.push(`${unfinished} accepted ingestions not finished`);
    const streams = new Map<string, typeof events>();
    for (const event of events) streams.set(event.stream_id, [...(streams.get(event.stream_id) ?? []), event]);
    for (const [streamId, stream] of streams) {
      stream.forEach((event, index) => {
        if (event.stream_version !== index + 1) {
          duplicated += 1;
          causes.push(`${streamId} version ${event.stream_version} at position ${index + 1}`);
        }
      });
      let state: TrialState | null = null;
      for (const event of stream) {
        const next = evolve(state, {
          type: event.type,
          schemaVersion: event.schema_version,
          data: event.data,
        } as DomainEvent);
        if (state && JSON.stringify(next) === JSON.stringify(state)) {
          duplicated += 1;
          causes.push(`${streamId} version ${event.stream_version} (${event.type}) changed nothing`);
        }
        state = next;
      }
      const nctId = streamId.replace('trial-', '');
      // The state must be the newest accepted version, or a newer one whose answer was lost.
      const newest = Math.max(...this.accepted.filter((a) => a.nctId === nctId).map((a) => a.version));
      const candidates = this.attempted.filter((a) => a.nctId === nctId && a.version >= newest).map((a) => a.version);
      const current = candidates.some((version) => {
        const [snapshot] = parseSnapshots(studyVersion(version, nctId), { receivedAt: new Date().toISOString() });
        return state !== null && diff(state, factsOf(snapshot!)).length === 0;
      });
      if (Number.isFinite(newest) && !current) {
        lost += 1;
        causes.push(`${nctId} is not at its newest accepted version ${newest}`);
      }
    }
    for (const nctId of new Set(this.accepted.map((a) => a.nctId)))
      if (!streams.has(`trial-${nctId}`)) {
        lost += 1;
        causes.push(`${nctId} has no stream`);
      }

    const live = await this.probe.readModels();
    const rebuild = await runCli(['projections', 'rebuild'], this.env);
    if (rebuild.status !== 0) throw new Error(`rebuild failed: ${rebuild.stderr}`);
    const rebuilt = await this.probe.readModels();
    for (const table of Object.keys(live)) {
      const missing = rebuilt[table]!.filter((row) => !live[table]!.includes(row)).length;
      const extra = live[table]!.filter((row) => !rebuilt[table]!.includes(row)).length;
      lost += missing;
      duplicated += extra;
      if (missing || extra) causes.push(`${table}: ${missing} rows missing, ${extra} extra against a rebuild`);
    }

    const eventIds = new Set(events.map((event) => event.event_id));
    await eventually(
      async () => [...eventIds].every((id) => this.receiver.accepted().some((webhook) => webhook.id === id)),
      180_000,
      250,
    ).catch(() => undefined);
    const delivered = new Set(this.receiver.accepted().map((webhook) => webhook.id));
    const undelivered = [...eventIds].filter((id) => !delivered.has(id)).length;
    lost += undelivered;
    if (undelivered) causes.push(`${undelivered} events without a webhook`);
    const bodies = new Map<string, string>();
    for (const webhook of this.receiver.accepted()) {
      const earlier = bodies.get(webhook.id);
      if (earlier !== undefined && JSON.parse(earlier).data.eventId !== JSON.parse(webhook.body).data.eventId) {
        duplicated += 1;
        causes.push(`webhook-id ${webhook.id} reused for another event`);
      }
      bodies.set(webhook.id, webhook.body);
    }

    const report: FaultReport = {
      scenario: this.scenario,
      faults: this.faults,
      snapshotsAccepted: this.accepted.length,
      events: events.length,
      lost,
      duplicated,
      webhooksReceived: this.receiver.accepted().length,
      redelivered: this.receiver.accepted().length - delivered.size,
    };
    console.log(
      `[fault] ${report.scenario}: faults ${report.faults}, snapshots accepted ${report.snapshotsAccepted} (refused ${this.refused}), ` +
        `events ${report.events}, lost ${report.lost}, duplicated ${report.duplicated}, webhooks ${report.webhooksReceived} (redelivered ${report.redelivered})` +
        (causes.length ? `\n  ${causes.join('\n  ')}` : ''),
    );
    return report;
  }
}

export const trials = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, index) => `NCT${prefix}${String(index).padStart(8 - prefix.length, '0')}`);
