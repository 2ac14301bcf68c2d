import { type AppProcess, startApi, startWorker } from '../support/app-processes.js';
import { DatabaseProbe } from '../support/database-probe.js';
import { json } from '../support/http.js';
import { studyVersion } from '../support/study-versions.js';
import { createTestEnvironment, type TestEnvironment } from '../support/test-environment.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { checkRun, type FaultReport } from './fault-checks.js';

export type { FaultReport } from './fault-checks.js';

export interface Accepted {
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
  /**
   * Each post that got no 202 (the api was down, or refused), so the client knows it was not taken: its
   * status and error code, or 'no answer' when the api could not be reached.
   */
  readonly refusals: (string | 'no answer')[] = [];
  faults = 0;

  constructor(readonly scenario: string) {}

  get refused(): number {
    return this.refusals.length;
  }

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
        const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
        this.refusals.push(`${response.status} ${body?.error?.code ?? ''}`.trim());
        return false;
      }
      this.accepted.push({ ingestionId: (await json(response)).ingestionId, nctId, version });
      return true;
    } catch {
      this.refusals.push('no answer');
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

  /** Posts again, as a client told to try again would, versions first..first+count-1 of `trials` that were not accepted. */
  async postRefusedAgain(trials: string[], first: number, count: number): Promise<void> {
    const refused = trials.flatMap((nctId) =>
      Array.from({ length: count }, (_, offset) => ({ nctId, version: first + offset })).filter(
        ({ version }) => !this.accepted.some((a) => a.nctId === nctId && a.version === version),
      ),
    );
    await Promise.all(refused.map(({ nctId, version }) => this.post(nctId, version)));
  }

  /** Checks everything and returns the figures; throws with the details when anything was lost or duplicated. */
  async verify(): Promise<FaultReport> {
    try {
      return await checkRun(this);
    } catch (error) {
      // Say what was stuck, with the processes' last words.
      const queued = await this.probe.count(`SELECT count(*) FROM ingestions WHERE status = 'queued'`).catch(() => -1);
      // Enough of each process's output for a crash's error and its stack, not only the error's fields.
      const tail = (text: string) => text.split('\n').slice(-60).join('\n');
      throw new Error(
        `${(error as Error).message}\nqueued ingestions: ${queued}\n--- worker ---\n${tail(this.worker.output)}\n--- api ---\n${tail(this.api.output)}`,
        { cause: error },
      );
    }
  }
}

export const trials = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, index) => `NCT${prefix}${String(index).padStart(8 - prefix.length, '0')}`);
