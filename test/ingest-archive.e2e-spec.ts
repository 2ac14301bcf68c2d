import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/app-processes.js';
import { generatedNctIds, studyArchive } from './support/study-archive.js';
import { useMigratedWorkspace } from './support/migrated-workspace.js';

/** `trialwatch ingest <file.zip>`: the registry's all-studies download, streamed, against real PostgreSQL. */
describe('ingesting the registry all-studies ZIP archive', () => {
  const workspace = useMigratedWorkspace('archive');

  const ingest = async (file: string, ...args: string[]) => {
    const run = await runCli(['ingest', file, '--json', ...args], workspace.environment.env);
    return { ...run, summary: JSON.parse(run.stdout || '{}') };
  };
  const trackedAmong = (nctIds: string[]) =>
    workspace.probe.count(`SELECT count(DISTINCT stream_id) AS count FROM events WHERE stream_id = ANY($1)`, [
      nctIds.map((nctId) => `trial-${nctId}`),
    ]);
  const ingestionsOf = (nctIds: string[]) =>
    workspace.probe.count(`SELECT count(*) AS count FROM ingestions WHERE nct_ids && $1::text[]`, [nctIds]);

  it('ingests every study of the archive in batches, skips what is not a study, and a rerun skips what it already ingested', async () => {
    const nctIds = generatedNctIds(9, 30);
    const archive = join(workspace.folder, 'ctg-studies.json.zip');
    writeFileSync(archive, await studyArchive(nctIds, { folder: 'docs/', file: 'manifest.csv' }));

    const first = await ingest(archive, '--batch-size', '8');
    expect(first.status).toBe(0);
    expect(first.summary).toMatchObject({ files: 30, appended: 30, rejected: 0, failed: 0, skipped: 0 });
    expect(first.summary.eventsAppended).toBeGreaterThanOrEqual(30);
    expect(await trackedAmong(nctIds)).toBe(30);
    // Caught up before exiting: every trial is in the current-state read model.
    expect(
      await workspace.probe.count(`SELECT count(*) AS count FROM trial_current_state WHERE nct_id = ANY($1)`, [nctIds]),
    ).toBe(30);

    const again = await ingest(archive);
    expect(again.status).toBe(0);
    expect(again.summary).toMatchObject({ files: 30, appended: 0, unchanged: 0, skipped: 30, eventsAppended: 0 });
    expect(await ingestionsOf(nctIds)).toBe(30);

    // --no-resume runs every entry through the pipeline again: each is unchanged.
    const full = await ingest(archive, '--no-resume');
    expect(full.summary).toMatchObject({ files: 30, appended: 0, unchanged: 30, skipped: 0, eventsAppended: 0 });
  });

  it('stops at a truncated archive with a clear error, keeps the batches read before the cut, and a rerun resumes', async () => {
    const nctIds = generatedNctIds(8, 30);
    const complete = await studyArchive(nctIds);
    const truncated = join(workspace.folder, 'cut-short.zip');
    writeFileSync(truncated, complete.subarray(0, Math.floor(complete.byteLength * 0.55)));

    const cut = await ingest(truncated, '--batch-size', '5');
    expect(cut.status).toBe(1);
    expect(cut.stderr).toMatch(
      /archive\.truncated: .*cut-short\.zip ends too early \(after the entry NCT8\d{7}\.json\)/,
    );
    expect(cut.stderr).toContain('download it again');
    const before = cut.summary.appended as number;
    // Whole batches only: the entries read before the cut that did not fill a batch were not ingested.
    expect(before).toBeGreaterThanOrEqual(5);
    expect(before).toBeLessThan(30);
    expect(before % 5).toBe(0);
    expect(await trackedAmong(nctIds)).toBe(before);
    expect(await ingestionsOf(nctIds)).toBe(before);

    const completeFile = join(workspace.folder, 'complete.zip');
    writeFileSync(completeFile, complete);
    const rerun = await ingest(completeFile, '--batch-size', '5');
    expect(rerun.status).toBe(0);
    expect(rerun.summary).toMatchObject({ files: 30, skipped: before, appended: 30 - before, failed: 0 });
    expect(await trackedAmong(nctIds)).toBe(30);
    expect(await ingestionsOf(nctIds)).toBe(30);
  });

  it('refuses a file that is not a ZIP archive, naming it, and ingests nothing', async () => {
    const notZip = join(workspace.folder, 'not-a-zip.zip');
    writeFileSync(notZip, 'this is a text file, not an archive\n'.repeat(20));
    const run = await ingest(notZip);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/archive\.unreadable: .*not-a-zip\.zip is not a ZIP archive/);
    expect(run.summary).toMatchObject({ files: 0, appended: 0 });
  });
});
