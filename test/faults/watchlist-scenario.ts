import type { FakeCtgovServer } from '../support/fake-ctgov/index.js';
import { json, type Json } from '../support/http.js';
import { studyVersion } from '../support/study-versions.js';
import { eventually } from '../support/test-environment.js';
import type { FaultRun } from './fault-harness.js';

export { versionPosted } from '../support/study-versions.js';

/**
 * Watchlist scenarios feed trials through a (fake) registry instead of POST /snapshots: what the
 * registry serves is what must end up in the store. `served` remembers each trial's newest version.
 */
export class RegistryFeed {
  readonly served = new Map<string, number>();

  constructor(
    private readonly run: FaultRun,
    readonly fake: FakeCtgovServer,
  ) {}

  serve(nctId: string, version: number): void {
    this.fake.putStudy(JSON.parse(studyVersion(version, nctId)));
    this.served.set(nctId, version);
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${this.run.baseUrl}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: response.status === 204 ? null : await json(response) };
  }

  async createWatchlist(name: string, nctIds: string[]): Promise<string> {
    const created = await this.request('POST', '/watchlists', { name, nctIds, schedule: { cron: '0 0 1 1 *' } });
    if (created.status !== 201) throw new Error(`watchlist refused: ${JSON.stringify(created.body)}`);
    return created.body.id;
  }

  /** Queues a run of each watchlist (the workers take them), then waits until every one has ended. */
  async syncAll(watchlistIds: string[], timeoutMs = 240_000): Promise<Json[]> {
    const queued = await Promise.all(watchlistIds.map((id) => this.request('POST', `/watchlists/${id}/sync`)));
    const runIds = queued.map((answer) => {
      if (answer.status !== 202) throw new Error(`sync refused: ${JSON.stringify(answer.body)}`);
      return answer.body.id as string;
    });
    return this.waitForRuns(runIds, timeoutMs);
  }

  async waitForRuns(runIds: string[], timeoutMs = 240_000): Promise<Json[]> {
    return eventually(
      async () => {
        const runs = await this.run.probe.rows<Json>(
          `SELECT id, watchlist_id, status, errors FROM watchlist_runs WHERE id = ANY($1)`,
          [runIds],
        );
        return runs.length === runIds.length && runs.every((run) => !['queued', 'running'].includes(run.status))
          ? runs
          : undefined;
      },
      timeoutMs,
      250,
    );
  }

  /**
   * Counts what the registry served as accepted, beside what was posted: for each trial, its newest
   * served version with the ingestions that carried it, so that the harness's checks compare every
   * stream with the registry.
   */
  async acceptServed(): Promise<void> {
    const ingestions = await this.run.probe.rows<{ id: string; nct_id: string }>(
      `SELECT i.id, t.nct_id FROM ingestions i CROSS JOIN unnest(i.nct_ids) AS t(nct_id)
       WHERE i.correlation_id IS NOT NULL AND t.nct_id = ANY($1) ORDER BY i.received_at`,
      [[...this.served.keys()]],
    );
    for (const [nctId, version] of this.served) {
      this.run.attempted.push({ nctId, version });
      const carried = ingestions.filter((ingestion) => ingestion.nct_id === nctId);
      if (carried.length === 0) throw new Error(`no ingestion of ${nctId} from any run`);
      for (const ingestion of carried) this.run.accepted.push({ ingestionId: ingestion.id, nctId, version });
    }
  }
}
