import { randomBytes } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import type { TestingModule } from '@nestjs/testing';
import type { QueryRunner } from 'typeorm';
import { Database, MIGRATIONS } from '@app/infrastructure';
import { sha256Hex } from '@app/registry-formats';
import { readFixture } from '../../../../test/support/fixtures.js';
import { studyVersion } from '../../../../test/support/study-versions.js';
import { createTrackingModule } from '../../../../test/support/tracking-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../../../test/support/test-environment.js';
import { IngestSnapshotsCommand } from './bulk-ingest/ingest-snapshots.command.js';
import { CompressStoredContentsCommand } from './compress-stored-contents/compress-stored-contents.command.js';
import { compressContent } from './content-compression.js';
import { ContentCompressor } from './content-compressor.js';
import type { Ingestion } from './ingestion.js';
import { SnapshotContents } from './snapshot-contents.js';
import { SnapshotStore } from './snapshot-store.js';

interface StoredRow {
  sha256: string;
  stored_bytes: number;
  byte_size: number;
  encoding: string;
  dictionary_sha256: string | null;
}

describe('raw snapshot contents, compressed', () => {
  let environment: TestEnvironment;
  let module: TestingModule;
  let database: Database;

  const stored = async (sha256: string): Promise<StoredRow> => {
    const [row] = await database.query<StoredRow>(
      `SELECT sha256, octet_length(content) AS stored_bytes, byte_size, encoding, dictionary_sha256
       FROM snapshot_contents WHERE sha256 = $1`,
      [sha256],
    );
    return { ...row!, dictionary_sha256: row!.dictionary_sha256?.trim() ?? null };
  };
  const keyframeOf = async (nctId: string, format = 'ctgov-api-v2-json') =>
    (
      await database.query<{ sha256: string }>(
        'SELECT sha256 FROM trial_content_keyframes WHERE nct_id = $1 AND format = $2',
        [nctId, format],
      )
    )[0]?.sha256.trim();
  /** Read by a store that has seen none of them, as another process (the worker, the api) reads them. */
  const readFresh = (sha256: string) => new SnapshotContents(database, module.get(ContentCompressor)).read(sha256);
  const ingest = async (contents: string[]): Promise<Ingestion[]> =>
    module
      .get(CommandBus)
      .execute(
        new IngestSnapshotsCommand(
          contents.map((content) => ({ content: Buffer.from(content), mediaType: null, source: 'contents-test' })),
        ),
      );

  beforeAll(async () => {
    environment = await createTestEnvironment();
    module = await createTrackingModule(environment);
    database = module.get(Database);
  });

  afterAll(async () => {
    await module?.close();
    await environment?.teardown();
  });

  it("keeps a trial's first version whole and each later one as what changed against it, and reads back every byte", async () => {
    const versions = Array.from({ length: 12 }, (_, i) => studyVersion(i, 'NCT00000301'));
    // Two backfills: the second's versions (enough to go to the compression threads) are compressed
    // against the keyframe the first one kept.
    const outcomes = [...(await ingest(versions.slice(0, 3))), ...(await ingest(versions.slice(3)))];
    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(12).fill('appended'));

    const rows = await Promise.all(versions.map((version) => stored(sha256Hex(Buffer.from(version)))));
    const first = rows[0]!;
    expect(first).toMatchObject({ encoding: 'zstd', dictionary_sha256: null, byte_size: versions[0]!.length });
    expect(first.stored_bytes).toBeLessThan(first.byte_size / 2);
    expect(await keyframeOf('NCT00000301')).toBe(first.sha256.trim());
    for (const row of rows.slice(1)) {
      expect(row.dictionary_sha256).toBe(first.sha256.trim());
      // Only the dates, status and enrollment differ: a small part of what the keyframe costs.
      expect(row.stored_bytes).toBeLessThan(first.stored_bytes / 5);
    }
    for (const version of versions) {
      const read = await readFresh(sha256Hex(Buffer.from(version)));
      expect(read!.content.equals(Buffer.from(version))).toBe(true);
    }
    // The api's way in: the same bytes.
    const served = await module.get(SnapshotStore).content(sha256Hex(Buffer.from(versions[11]!)));
    expect(served!.content.toString()).toBe(versions[11]);
  });

  it('starts a new keyframe when a version shares too little with the old one to be worth a delta', async () => {
    const first = studyVersion(0, 'NCT00000302');
    const study = JSON.parse(readFixture('ctgov-api-v2', 'NCT02210780.json'));
    study.protocolSection.identificationModule.nctId = 'NCT00000302';
    const unlike = JSON.stringify(study);
    const outcomes = await ingest([first, unlike]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['appended', 'appended']);

    expect((await stored(sha256Hex(Buffer.from(unlike)))).dictionary_sha256).toBeNull();
    expect(await keyframeOf('NCT00000302')).toBe(sha256Hex(Buffer.from(unlike)));
    expect((await readFresh(sha256Hex(Buffer.from(unlike))))!.content.toString()).toBe(unlike);
  });

  it("keeps a trial's keyframes per format, so a page between two API records starts no new one for the records", async () => {
    const contents = module.get(SnapshotContents);
    const page = Buffer.from(readFixture('registry-pages', '000_9a6c380331072caa.txt'));
    const [first, second] = [studyVersion(0, 'NCT00000305'), studyVersion(1, 'NCT00000305')].map((text) =>
      Buffer.from(text),
    );
    const keep = (content: Buffer, format: string) =>
      database.transaction((sql) =>
        contents.keep(sql, [{ sha256: sha256Hex(content), content, mediaType: null, nctIds: ['NCT00000305'], format }]),
      );
    await keep(first!, 'ctgov-api-v2-json');
    await keep(page, 'ctgov-classic-text');
    await keep(second!, 'ctgov-api-v2-json');

    expect(await keyframeOf('NCT00000305')).toBe(sha256Hex(first!));
    expect(await keyframeOf('NCT00000305', 'ctgov-classic-text')).toBe(sha256Hex(page));
    expect((await stored(sha256Hex(second!))).dictionary_sha256).toBe(sha256Hex(first!));
    expect((await stored(sha256Hex(page))).dictionary_sha256).toBeNull();
    for (const content of [first!, page, second!]) {
      expect((await readFresh(sha256Hex(content)))!.content.equals(content)).toBe(true);
    }
  });

  it('compresses a rejected input alone, keeps a content once, and reads a content stored before compression', async () => {
    const rejected = 'this is not a trial record, '.repeat(50);
    const [outcome] = await ingest([rejected]);
    expect(outcome!.status).toBe('rejected');
    const row = await stored(sha256Hex(Buffer.from(rejected)));
    expect(row).toMatchObject({ encoding: 'zstd', dictionary_sha256: null });
    expect(row.stored_bytes).toBeLessThan(rejected.length / 10);
    expect((await readFresh(row.sha256.trim()))!.content.toString()).toBe(rejected);

    await ingest([rejected]);
    const [{ count }] = await database.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM snapshot_contents WHERE sha256 = $1',
      [row.sha256.trim()],
    );
    expect(count).toBe(1);

    const old = Buffer.from('kept as received by an earlier version');
    await database.execute(
      `INSERT INTO snapshot_contents (sha256, content, media_type, byte_size) VALUES ($1, $2, 'text/plain', $3)`,
      [sha256Hex(old), old, old.byteLength],
    );
    expect(await readFresh(sha256Hex(old))).toEqual({ content: old, mediaType: 'text/plain' });
    expect(await readFresh('0'.repeat(64))).toBeNull();
  });

  it('reads a content compressed against a keyframe that was itself compressed against another (two writers raced)', async () => {
    const [a, b, c] = [
      studyVersion(0, 'NCT00000303'),
      studyVersion(1, 'NCT00000303'),
      studyVersion(2, 'NCT00000303'),
    ].map((text) => Buffer.from(text));
    const aAlone = { ...compressContent(a!, null), dictionary: null };
    const bOnA = { ...compressContent(b!, a!), dictionary: sha256Hex(a!) };
    const cOnB = { ...compressContent(c!, b!), dictionary: sha256Hex(b!) };
    expect([aAlone.againstKeyframe, bOnA.againstKeyframe, cOnB.againstKeyframe]).toEqual([false, true, true]);
    for (const [content, compressed] of [
      [a!, aAlone],
      [b!, bOnA],
      [c!, cOnB],
    ] as const) {
      await database.execute(
        `INSERT INTO snapshot_contents (sha256, content, byte_size, encoding, dictionary_sha256) VALUES ($1, $2, $3, 'zstd', $4)`,
        [sha256Hex(content), Buffer.from(compressed.bytes), content.byteLength, compressed.dictionary],
      );
    }
    expect((await readFresh(sha256Hex(c!)))!.content.equals(c!)).toBe(true);
  });

  it('refuses damaged bytes rather than serving something else', async () => {
    const content = Buffer.concat([Buffer.from(studyVersion(0, 'NCT00000304')), randomBytes(16)]);
    const damaged = Buffer.from(compressContent(content, null).bytes);
    damaged[damaged.length - 1]! ^= 0xff;
    await database.execute(
      `INSERT INTO snapshot_contents (sha256, content, byte_size, encoding) VALUES ($1, $2, $3, 'zstd')`,
      [sha256Hex(content), damaged, content.byteLength],
    );
    await expect(readFresh(sha256Hex(content))).rejects.toThrow(/checksum/);
  });

  it('compresses contents stored before compression, a batch at a time, and a second run finds none left', async () => {
    const versions = Array.from({ length: 6 }, (_, i) => Buffer.from(studyVersion(i, 'NCT00000306')));
    const rejected = Buffer.from('stored before compression, not a trial record, '.repeat(40));
    await ingest([...versions, rejected].map((content) => content.toString()));
    const sha256s = [...versions, rejected].map((content) => sha256Hex(content));
    // As an installation from before compression has them: whole, and no keyframes.
    await database.execute(`DELETE FROM trial_content_keyframes WHERE nct_id = 'NCT00000306'`);
    await database.execute(
      `UPDATE snapshot_contents c SET content = u.content, encoding = 'identity', dictionary_sha256 = NULL
       FROM unnest($1::char(64)[], $2::bytea[]) AS u(sha256, content) WHERE c.sha256 = u.sha256`,
      [sha256s, [...versions, rejected]],
    );
    const identityRows = async () =>
      (
        await database.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM snapshot_contents WHERE encoding = 'identity'`,
        )
      )[0]!.count;
    // These seven, and the one an earlier case stored as from before compression.
    expect(await identityRows()).toBe(8);

    // A run stopped after its first batch keeps that batch.
    const stopped = module.get(CommandBus).execute(
      new CompressStoredContentsCommand(3, () => {
        throw new Error('stopped');
      }),
    );
    await expect(stopped).rejects.toThrow('stopped');
    expect(await identityRows()).toBe(5);

    const batches: number[] = [];
    const done = await module
      .get(CommandBus)
      .execute(new CompressStoredContentsCommand(3, (sofar) => batches.push(sofar.contents)));
    expect(await identityRows()).toBe(0);
    expect(done.contents).toBe(5);
    expect(batches).toEqual(Array.from({ length: batches.length }, (_, i) => Math.min(3 * (i + 1), done.contents)));
    expect(done.bytesAfter).toBeLessThan(done.bytesBefore / 3);

    const rows = await Promise.all(sha256s.map(stored));
    const keyframe = await keyframeOf('NCT00000306');
    expect(sha256s.slice(0, 6)).toContain(keyframe);
    expect(rows.slice(0, 6).filter((row) => row.dictionary_sha256 === keyframe)).toHaveLength(5);
    expect(rows[6]!.dictionary_sha256).toBeNull();
    for (const [index, content] of [...versions, rejected].entries()) {
      expect((await readFresh(sha256s[index]!))!.content.equals(content)).toBe(true);
    }
    expect((await module.get(CommandBus).execute(new CompressStoredContentsCommand())).contents).toBe(0);
  });

  it('cannot be reverted once a content is stored compressed, and reverts while none is', async () => {
    const migration = new (MIGRATIONS.find((type) => type.name === 'CompressedContents1764910000000')!)();
    const runner = { query: (sql: string) => database.query(sql) } as unknown as QueryRunner;
    await expect(migration.down(runner)).rejects.toThrow(/snapshot contents are stored compressed/);
    expect(await keyframeOf('NCT00000301')).toBeDefined();

    await database.execute('TRUNCATE snapshot_contents, trial_content_keyframes CASCADE');
    await migration.down(runner);
    const columns = async () =>
      (
        await database.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_name = 'snapshot_contents' ORDER BY column_name`,
        )
      ).map((column) => column.column_name);
    expect(await columns()).not.toContain('encoding');
    await migration.up(runner);
    expect(await columns()).toEqual(expect.arrayContaining(['encoding', 'dictionary_sha256']));
  });
});
