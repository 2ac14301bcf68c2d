import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { runCli } from './support/app-processes.js';
import { studyVersion } from './support/study-versions.js';
import { useMigratedWorkspace } from './support/migrated-workspace.js';

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** `trialwatch contents compress`: an installation's contents stored before compression, compressed in place. */
describe('compressing the raw contents stored before compression', () => {
  const workspace = useMigratedWorkspace('contents');

  it('compresses them in batches, keeps every byte, and refuses a batch size it cannot use', async () => {
    const versions = Array.from({ length: 5 }, (_, i) => Buffer.from(studyVersion(i, 'NCT00000501')));
    const files = versions.map((content, i) => {
      const file = join(workspace.folder, `v${i}.json`);
      writeFileSync(file, content);
      return file;
    });
    expect((await runCli(['ingest', ...files], workspace.environment.env)).status).toBe(0);
    // As an installation from before compression has them: whole, and no keyframes.
    await workspace.probe.rows(`DELETE FROM trial_content_keyframes`);
    await workspace.probe.rows(
      `UPDATE snapshot_contents c SET content = u.content, encoding = 'identity', dictionary_sha256 = NULL
       FROM unnest($1::char(64)[], $2::bytea[]) AS u(sha256, content) WHERE c.sha256 = u.sha256`,
      [versions.map(sha256), versions],
    );

    const refused = await runCli(['contents', 'compress', '--batch-size', '0'], workspace.environment.env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--batch-size must be a whole number from 1 to 10000, got "0"/);
    expect(await workspace.probe.count(`SELECT count(*) FROM snapshot_contents WHERE encoding = 'identity'`)).toBe(5);

    const run = await runCli(['contents', 'compress', '--batch-size', '2'], workspace.environment.env);
    expect(run.status).toBe(0);
    expect(run.stderr.match(/compressed \d+ contents/g)).toEqual([
      'compressed 2 contents',
      'compressed 4 contents',
      'compressed 5 contents',
    ]);
    expect(run.stdout).toMatch(/^compressed 5 contents: [\d.]+ MB as stored, [\d.]+ MB compressed\n/);
    expect(await workspace.probe.count(`SELECT count(*) FROM snapshot_contents WHERE encoding = 'identity'`)).toBe(0);
    expect(
      await workspace.probe.count(`SELECT count(*) FROM snapshot_contents WHERE dictionary_sha256 IS NOT NULL`),
    ).toBe(4);

    const again = await runCli(['contents', 'compress'], workspace.environment.env);
    expect(again.stdout).toBe('compressed 0 contents: 0.0 MB as stored, 0.0 MB compressed\n');
  });
});
