import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/app-processes.js';
import { DatabaseProbe } from '../support/database-probe.js';
import { studyVersion } from '../support/study-versions.js';
import { createTestEnvironment, type TestEnvironment } from '../support/test-environment.js';
import { trials } from './fault-harness.js';

const STUDIES = 3_000;

describe('fault: PostgreSQL cuts the connections of a bulk ingest', () => {
  let environment: TestEnvironment;
  let probe: DatabaseProbe;
  let folder: string;

  afterAll(async () => {
    await probe?.close().catch(() => undefined);
    await environment?.teardown();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('stops with database.unavailable and what caused it, keeps whole batches only, and a rerun finishes the rest', async () => {
    environment = await createTestEnvironment();
    folder = await mkdtemp(join(tmpdir(), 'trialwatch-bulk-cut-'));
    const ids = trials('0961', STUDIES);
    for (const nctId of ids) await writeFile(join(folder, `${nctId}.json`), studyVersion(0, nctId));
    expect((await runCli(['migrate'], environment.env)).status).toBe(0);
    probe = new DatabaseProbe(environment.databaseUrl);

    const ingest = runCli(['ingest', folder, '--no-project', '--json'], environment.env);
    let ended = false;
    const end = () => (ended = true);
    ingest.then(end, end);
    // Once the first batch is in, every connection of the command is cut, again until it gives up.
    let cuts = 0;
    while (!ended && (await probe.count('SELECT count(*) FROM events')) === 0)
      await new Promise((resolve) => setTimeout(resolve, 20));
    while (!ended) {
      await probe.cutOtherConnections();
      cuts += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const first = await ingest;
    expect(cuts).toBeGreaterThan(0);
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(
      /database\.unavailable: The database \(PostgreSQL\) is unavailable; try again shortly \(.+\)/,
    );
    // What went in went in whole: each trial that has a stream has its registration, once.
    const [partial] = await probe.rows<{ streams: string; events: string; registered: string }>(
      `SELECT count(DISTINCT stream_id) AS streams, count(*) AS events,
              count(*) FILTER (WHERE type = 'trial.registered') AS registered FROM events`,
    );
    expect(Number(partial!.events)).toBeLessThan(STUDIES);
    expect(partial).toEqual({ streams: partial!.events, events: partial!.events, registered: partial!.events });

    const rerun = await runCli(['ingest', folder, '--no-project', '--json'], environment.env);
    expect(rerun.status).toBe(0);
    const summary = JSON.parse(rerun.stdout);
    expect(summary).toMatchObject({ files: STUDIES, appended: STUDIES - Number(partial!.events), failed: 0 });
    expect(summary.unchanged).toBe(Number(partial!.events));
    expect(await probe.count(`SELECT count(*) FROM events WHERE type = 'trial.registered'`)).toBe(STUDIES);
    expect(await probe.count('SELECT count(*) FROM events')).toBe(STUDIES);
  });
});
