import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Raw contents compressed by trialwatch with zstd instead of by PostgreSQL's TOAST. A content of one
 * trial is compressed against that trial's keyframe in its format (an earlier content of the same
 * trial and format, compressed alone) as its dictionary, so a new version costs about what changed in
 * it. Rows written before keep `encoding = 'identity'`; TOAST no longer tries to compress new ones
 * (they are compressed already).
 */
export class CompressedContents1764910000000 implements MigrationInterface {
  name = 'CompressedContents1764910000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE snapshot_contents
        ADD COLUMN encoding text NOT NULL DEFAULT 'identity' CHECK (encoding IN ('identity', 'zstd')),
        ADD COLUMN dictionary_sha256 char(64) REFERENCES snapshot_contents (sha256),
        ADD CONSTRAINT snapshot_contents_dictionary_compressed CHECK (dictionary_sha256 IS NULL OR encoding = 'zstd'),
        ALTER COLUMN content SET STORAGE EXTERNAL`);
    await runner.query(`
      CREATE TABLE trial_content_keyframes (
        nct_id text NOT NULL,
        format text NOT NULL,
        sha256 char(64) NOT NULL REFERENCES snapshot_contents (sha256),
        PRIMARY KEY (nct_id, format)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const [{ count }] = await runner.query(
      `SELECT count(*)::int AS count FROM snapshot_contents WHERE encoding <> 'identity'`,
    );
    if (count > 0) {
      // The code before this migration reads every content as stored: reverting would serve them compressed.
      throw new Error(`Cannot revert CompressedContents: ${count} snapshot contents are stored compressed`);
    }
    await runner.query(`DROP TABLE trial_content_keyframes`);
    await runner.query(`
      ALTER TABLE snapshot_contents
        DROP COLUMN dictionary_sha256,
        DROP COLUMN encoding,
        ALTER COLUMN content SET STORAGE EXTENDED`);
  }
}
