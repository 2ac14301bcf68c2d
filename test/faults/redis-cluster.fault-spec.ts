import { type AppProcess, startApi, startWorker } from '../support/app-processes.js';
import { json } from '../support/http.js';
import { RedisCluster } from '../support/redis-cluster.js';
import { eventually } from '../support/test-environment.js';
import { FaultRun, trials } from './fault-harness.js';

/** How long the master stays down, in seconds (FAULT_MASTER_DOWN_SECONDS, default 10). */
const DOWN_SECONDS = Number(process.env.FAULT_MASTER_DOWN_SECONDS ?? 10);

/** A fault run on a Redis Cluster with two api and three worker processes; posts alternate between the apis. */
class ClusterRun extends FaultRun {
  readonly moreApis: { api: AppProcess; baseUrl: string }[] = [];
  readonly moreWorkers: AppProcess[] = [];
  private baseUrls: string[] = [];
  private turn = 0;

  async startMore(apis: number, workers: number): Promise<void> {
    for (let index = 0; index < apis; index += 1) this.moreApis.push(await startApi(this.env));
    for (let index = 0; index < workers; index += 1) this.moreWorkers.push(await startWorker(this.env));
    this.baseUrls = [this.baseUrl, ...this.moreApis.map(({ baseUrl }) => baseUrl)];
  }

  override post(nctId: string, version: number): Promise<boolean> {
    if (this.baseUrls.length > 0) this.baseUrl = this.baseUrls[this.turn++ % this.baseUrls.length]!;
    return super.post(nctId, version);
  }

  /** Whether every api says Redis answers. */
  async redisUpEverywhere(): Promise<boolean> {
    const answers = await Promise.all(
      this.baseUrls.map(async (baseUrl) => {
        const health = await fetch(`${baseUrl}/health`).then(json, () => null);
        return health?.details?.redis?.status === 'up';
      }),
    );
    return answers.every(Boolean);
  }

  override async stop(): Promise<void> {
    await Promise.all([
      ...this.moreApis.map(({ api }) => api.stop('SIGKILL')),
      ...this.moreWorkers.map((worker) => worker.stop('SIGKILL')),
    ]);
    await super.stop();
  }
}

describe('fault: a Redis Cluster master restarts', () => {
  let cluster: RedisCluster;
  let run: ClusterRun;

  afterEach(async () => {
    await run?.stop();
    await cluster?.stop();
  });

  it(`loses nothing when the master holding the ingest queue is down ${DOWN_SECONDS} s and comes back empty`, async () => {
    cluster = await RedisCluster.start();
    run = new ClusterRun(`Redis Cluster master restarted (down ${DOWN_SECONDS} s), 2 apis, 3 workers`);
    await run.start({ REDIS_CLUSTER_NODES: cluster.nodesSetting });
    await run.startMore(1, 2);
    const ids = trials('0951', 4);
    await run.ingest(ids, 0, 4, 2);

    // The master that holds the ingest queue's slot: its jobs, and every other key it holds, are lost.
    const ingestKeys = await cluster.keys(`{${run.environment.redisPrefix}:ingest}:*`);
    expect(ingestKeys.length).toBeGreaterThan(0);
    const port = ingestKeys[0]!.port;
    await cluster.stopNode(port);
    run.faults += 1;
    const stoppedAt = Date.now();

    // Snapshots keep arriving while a third of the slots have no master.
    await run.ingest(ids, 4, 3, 2);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, DOWN_SECONDS * 1000 - (Date.now() - stoppedAt))));
    await cluster.restartNode(port);
    await cluster.waitUntilHealthy();
    await eventually(() => run.redisUpEverywhere(), 60_000, 200);
    const outageSeconds = (Date.now() - stoppedAt) / 1000;
    await run.ingest(ids, 7, 4, 2);

    const report = await run.verify();
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
    expect(run.refused).toBe(0);
    console.log(
      `[fault] ${run.scenario}: outage ${outageSeconds.toFixed(1)} s (master on port ${port} stopped until every api saw Redis up), ` +
        `events ${report.events}, faults ${report.faults}, lost ${report.lost}, duplicated ${report.duplicated}`,
    );
  });
});
