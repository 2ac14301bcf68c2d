import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The media type each ingestion was posted with (its `Content-Type`, whose charset it is read in), kept
 * on the ingestion: a content is kept once, with its first post's, and the same bytes posted again as
 * another charset are read in that one. `''`: posted with none. Rows logged before this (and any an
 * older version logs while both run) keep NULL, and are read with their content's, as they were then.
 */
export class IngestionMediaTypes1765030000000 implements MigrationInterface {
  name = 'IngestionMediaTypes1765030000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ingestions ADD COLUMN media_type text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ingestions DROP COLUMN media_type`);
  }
}
