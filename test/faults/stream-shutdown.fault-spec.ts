import { startApi } from '../support/app-processes.js';
import { json } from '../support/http.js';
import { ReconnectingSseClient } from '../support/sse-client.js';
import { eventually } from '../support/test-environment.js';
import { FaultRun, trials } from './fault-harness.js';

const CLIENTS = 20;

describe('fault: the api stops while live streams are open', () => {
  let run: FaultRun;
  let clients: ReconnectingSseClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.map((client) => client.stop()));
    clients = [];
    await run.stop();
  });

  it('twenty stream clients during an api SIGTERM and restart: the api exits within seconds, no client misses or repeats a change', async () => {
    run = new FaultRun('twenty stream clients during an api SIGTERM and restart');
    await run.start({ STREAM_MAX_PER_KEY: String(CLIENTS) });
    const nctIds = trials('0931', 4);
    // Every client follows the whole feed from its start, as EventSource does: it reconnects after
    // each end or failure, to wherever the api is now, with the last id it holds. Half filter by trial.
    clients = Array.from(
      { length: CLIENTS },
      (_, index) =>
        new ReconnectingSseClient(
          () => run.baseUrl,
          index % 2 === 0 ? '/changes/stream' : `/changes/stream?nctId=${nctIds[index % nctIds.length]}`,
          '0.0',
        ),
    );

    const exitTimes: number[] = [];
    let stopping: Promise<void> | undefined;
    await run.ingest(nctIds, 0, 10, 2, async (posted) => {
      if (stopping) return stopping;
      if (posted >= 12 * (run.faults + 1) && run.faults < 2) {
        stopping = (async () => {
          const started = Date.now();
          await run.api.stop('SIGTERM');
          exitTimes.push(Date.now() - started);
          run.faults += 1;
          ({ api: run.api, baseUrl: run.baseUrl } = await startApi(run.env));
        })().finally(() => (stopping = undefined));
        await stopping;
      }
    });
    expect(run.faults).toBe(2);
    const report = await run.verify();

    // Once everything is in the feed, every client holds exactly the feed's changes for its filter.
    let lost = 0;
    let duplicated = 0;
    const causes: string[] = [];
    const feedOf = async (query: string): Promise<string[]> => {
      const ids: string[] = [];
      let cursor = '0.0';
      for (;;) {
        const page = await json(await fetch(`${run.baseUrl}/changes?${query}limit=1000&after=${cursor}`));
        ids.push(...page.changes.map((change: { cursor: string }) => change.cursor));
        cursor = page.nextCursor;
        if (page.caughtUp) return ids;
      }
    };
    const expected = new Map<string, string[]>();
    expected.set('/changes/stream', await feedOf(''));
    for (const nctId of nctIds) expected.set(`/changes/stream?nctId=${nctId}`, await feedOf(`nctId=${nctId}&`));
    const pathOf = (index: number) =>
      index % 2 === 0 ? '/changes/stream' : `/changes/stream?nctId=${nctIds[index % nctIds.length]}`;
    await eventually(
      async () => clients.every((client, index) => client.received.length >= expected.get(pathOf(index))!.length),
      60_000,
      200,
    ).catch(() => undefined);
    for (const [index, client] of clients.entries()) {
      const wanted = expected.get(pathOf(index))!;
      const got = client.received.map((event) => event.id);
      const missing = wanted.filter((id) => !got.includes(id));
      const repeated = got.length - new Set(got).size;
      const unexpected = got.filter((id) => !wanted.includes(id)).length;
      lost += missing.length;
      duplicated += repeated + unexpected;
      if (missing.length || repeated || unexpected) {
        causes.push(`client ${index}: ${missing.length} missing, ${repeated} repeated, ${unexpected} not in its feed`);
      }
      // Each client really reconnected across both restarts.
      expect(client.connections).toBeGreaterThanOrEqual(3);
    }
    const events = [...expected.values()][0]!.length;
    console.log(
      `[fault] ${run.scenario}: faults ${run.faults}, stream clients ${CLIENTS}, events ${events} ` +
        `(store ${report.events}), lost ${lost}, duplicated ${duplicated}, api exit after SIGTERM ${exitTimes.join(', ')} ms` +
        (causes.length ? `\n  ${causes.join('\n  ')}` : ''),
    );
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    for (const exitMs of exitTimes) expect(exitMs).toBeLessThan(5000);
    expect(report).toMatchObject({ lost: 0, duplicated: 0 });
  });
});
