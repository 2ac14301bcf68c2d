import { Injectable } from '@nestjs/common';
import { Database, insertRows, type Sql } from '@app/infrastructure';
import { decompressContent } from './content-compression.js';
import { ContentCompressor } from './content-compressor.js';

/** A raw content to keep: its bytes, and the trials it showed (none when it was rejected). */
export interface ContentToKeep {
  sha256: string;
  content: Buffer;
  mediaType: string | null;
  nctIds: readonly string[];
  /** The format its trials were read in: a trial's keyframes are kept per format (a page and an API record share little). */
  format: string | null;
}

interface PreparedContent {
  sha256: string;
  compressed: Buffer;
  mediaType: string | null;
  byteSize: number;
  dictionarySha256: string | null;
}

/** Contents compressed and ready to write: their rows, and the trials whose keyframe they become. */
export interface PreparedContents {
  rows: PreparedContent[];
  newKeyframes: Map<string, Series & { sha256: string }>;
}

/** A trial's contents in one format: the contents compressed against one keyframe. */
interface Series {
  nctId: string;
  format: string;
}

const seriesKey = ({ nctId, format }: Series): string => `${nctId} ${format}`;
const seriesOf = (content: ContentToKeep): Series | null =>
  content.nctIds.length === 1 ? { nctId: content.nctIds[0]!, format: content.format ?? '' } : null;

interface StoredRow {
  sha256: string;
  content: Buffer;
  media_type: string | null;
  byte_size: number;
  encoding: 'identity' | 'zstd';
  dictionary_sha256: string | null;
}

/** Keyframes' contents kept in memory, so the next version of a trial needs no read of its keyframe. */
const KEYFRAME_CACHE_BYTES = 16 * 1024 * 1024;
/** How many keyframes deep a content may be compressed (one; more only if two writers raced on a keyframe). */
const MAX_DICTIONARY_DEPTH = 8;

/**
 * The raw contents as received, addressed by SHA-256 and kept once each, compressed with zstd: a content
 * of one trial against that trial's keyframe in its format, so a trial's later versions cost about what
 * changed.
 */
@Injectable()
export class SnapshotContents {
  private readonly keyframes = new Map<string, Buffer>();
  private keyframeBytes = 0;

  constructor(
    private readonly database: Database,
    private readonly compressor: ContentCompressor,
  ) {}

  /** Keeps each content not kept yet, in the caller's transaction. */
  async keep(sql: Sql, contents: readonly ContentToKeep[]): Promise<void> {
    await this.store(sql, await this.prepare(contents, sql));
  }

  /**
   * Compresses the contents not kept yet, against keyframes already committed (or read through `sql`)
   * and those of the contents before them. Outside any transaction the bulk path prepares a batch while
   * it appends the batch's events: any kept content compressed alone can serve as a dictionary, and
   * stays kept, so what was read needs no lock.
   */
  async prepare(
    contents: readonly ContentToKeep[],
    sql: Sql = this.database,
    { keptToo = false }: { keptToo?: boolean } = {},
  ): Promise<PreparedContents> {
    const distinct = [...new Map(contents.map((content) => [content.sha256, content])).values()];
    if (distinct.length === 0) return { rows: [], newKeyframes: new Map() };
    const series = new Map(
      distinct.flatMap((content) => {
        const of = seriesOf(content);
        return of ? [[seriesKey(of), of] as const] : [];
      }),
    );
    const rows = await sql.query<{ kind: 'kept' | 'keyframe'; sha256: string; nct_id: string; format: string }>(
      `SELECT 'kept' AS kind, sha256, NULL AS nct_id, NULL AS format FROM snapshot_contents
       WHERE sha256 = ANY($1::char(64)[])
       UNION ALL
       SELECT 'keyframe', sha256, nct_id, format FROM trial_content_keyframes
       WHERE (nct_id, format) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [
        distinct.map((content) => content.sha256),
        [...series.values()].map((of) => of.nctId),
        [...series.values()].map((of) => of.format),
      ],
    );
    const kept = new Set(rows.filter((row) => row.kind === 'kept').map((row) => row.sha256.trim()));
    const toKeep = keptToo ? distinct : distinct.filter((content) => !kept.has(content.sha256));
    const keyframeOf = new Map(
      rows
        .filter((row) => row.kind === 'keyframe')
        .map((row) => [seriesKey({ nctId: row.nct_id, format: row.format }), row.sha256.trim()]),
    );
    const keyOf = (content: ContentToKeep) => {
      const of = seriesOf(content);
      const key = of ? seriesKey(of) : null;
      // A keyframe (a content stored before, compressed again) is compressed alone, never against itself.
      return key !== null && keyframeOf.get(key) !== content.sha256 ? key : null;
    };
    const keyframeContents = await this.keyframeContents(sql, [
      ...new Set(toKeep.map((content) => keyframeOf.get(keyOf(content) ?? '')).filter((sha) => sha !== undefined)),
    ]);

    // Each series' contents in order, each against the keyframe before it; a content of no series alone.
    const bySeries = new Map<string | ContentToKeep, ContentToKeep[]>();
    for (const content of toKeep) {
      const key = keyOf(content) ?? content;
      const seriesContents = bySeries.get(key);
      if (seriesContents) seriesContents.push(content);
      else bySeries.set(key, [content]);
    }
    const trials = [...bySeries].map(([key, seriesContents]) => ({
      series: typeof key === 'string' ? series.get(key)! : null,
      keyframeSha256: typeof key === 'string' ? (keyframeOf.get(key) ?? null) : null,
      contents: seriesContents,
    }));
    const compressed = await this.compressor.compress(
      trials.map(({ keyframeSha256, contents: trialContents }) => ({
        keyframe: keyframeSha256 ? keyframeContents.get(keyframeSha256)! : null,
        contents: trialContents.map((content) => content.content),
      })),
    );
    const prepared: PreparedContent[] = [];
    const newKeyframes: PreparedContents['newKeyframes'] = new Map();
    trials.forEach(({ series: of, keyframeSha256, contents: trialContents }, index) => {
      let keyframe = keyframeSha256;
      trialContents.forEach((content, position) => {
        const { bytes, againstKeyframe } = compressed[index]![position]!;
        prepared.push({
          sha256: content.sha256,
          compressed: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          mediaType: content.mediaType,
          byteSize: content.content.byteLength,
          dictionarySha256: againstKeyframe ? keyframe : null,
        });
        if (!againstKeyframe && of) {
          keyframe = content.sha256;
          newKeyframes.set(seriesKey(of), { ...of, sha256: content.sha256 });
          this.remember(content.sha256, content.content);
        }
      });
    });
    return { rows: prepared, newKeyframes };
  }

  /** Writes prepared contents, and the trials' new keyframes, in the caller's transaction. */
  async store(sql: Sql, prepared: PreparedContents): Promise<void> {
    if (prepared.rows.length === 0) return;
    await insertRows(
      sql,
      {
        into: 'snapshot_contents',
        columns: ['sha256', 'content', 'media_type', 'byte_size', 'encoding', 'dictionary_sha256'],
        types: ['char(64)', 'bytea', 'text', 'int', 'text', 'char(64)'],
        suffix: 'ON CONFLICT (sha256) DO NOTHING',
      },
      prepared.rows.map((row) => [
        row.sha256,
        row.compressed,
        row.mediaType,
        row.byteSize,
        'zstd',
        row.dictionarySha256,
      ]),
    );
    await this.upsertKeyframes(sql, prepared.newKeyframes);
  }

  /**
   * Compresses up to `limit` contents stored as received (before contents were compressed), those after
   * `after` in SHA-256 order, in one transaction; each content of one trial against its keyframe, as new
   * ones are. The last SHA-256 seen, for the next call, or null when none was left.
   */
  async compressStored(
    after: string,
    limit: number,
  ): Promise<{ last: string; count: number; bytesBefore: number; bytesAfter: number } | null> {
    return this.database.transaction(async (sql) => {
      const stored = await sql.query<{
        sha256: string;
        content: Buffer;
        media_type: string | null;
        nct_ids: string[] | null;
        format: string | null;
      }>(
        `SELECT c.sha256, c.content, c.media_type, i.nct_ids, i.format FROM snapshot_contents c
         LEFT JOIN LATERAL (
           SELECT nct_ids, format FROM ingestions
           WHERE content_sha256 = c.sha256 AND format IS NOT NULL ORDER BY received_at LIMIT 1
         ) i ON true
         WHERE c.sha256 > $1 AND c.encoding = 'identity'
         ORDER BY c.sha256 LIMIT $2
         FOR UPDATE OF c`,
        [after, limit],
      );
      if (stored.length === 0) return null;
      const prepared = await this.prepare(
        stored.map((row) => ({
          sha256: row.sha256.trim(),
          content: row.content,
          mediaType: row.media_type,
          nctIds: row.nct_ids ?? [],
          format: row.format,
        })),
        sql,
        { keptToo: true },
      );
      await sql.execute(
        `UPDATE snapshot_contents c SET content = u.content, encoding = 'zstd', dictionary_sha256 = u.dictionary_sha256
         FROM unnest($1::char(64)[], $2::bytea[], $3::char(64)[]) AS u(sha256, content, dictionary_sha256)
         WHERE c.sha256 = u.sha256`,
        [
          prepared.rows.map((row) => row.sha256),
          prepared.rows.map((row) => row.compressed),
          prepared.rows.map((row) => row.dictionarySha256),
        ],
      );
      await this.upsertKeyframes(sql, prepared.newKeyframes);
      return {
        last: stored.at(-1)!.sha256.trim(),
        count: stored.length,
        bytesBefore: stored.reduce((sum, row) => sum + row.content.byteLength, 0),
        bytesAfter: prepared.rows.reduce((sum, row) => sum + row.compressed.byteLength, 0),
      };
    });
  }

  private async upsertKeyframes(sql: Sql, newKeyframes: PreparedContents['newKeyframes']): Promise<void> {
    if (newKeyframes.size > 0) {
      const keyframes = [...newKeyframes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, k]) => k);
      // Only a content compressed alone is a keyframe: a writer that raced this one may have kept the same
      // content first, compressed against another keyframe.
      await sql.execute(
        `INSERT INTO trial_content_keyframes (nct_id, format, sha256)
         SELECT k.nct_id, k.format, k.sha256 FROM unnest($1::text[], $2::text[], $3::char(64)[]) AS k(nct_id, format, sha256)
         JOIN snapshot_contents c ON c.sha256 = k.sha256 AND c.dictionary_sha256 IS NULL
         ON CONFLICT (nct_id, format) DO UPDATE SET sha256 = EXCLUDED.sha256`,
        [keyframes.map((k) => k.nctId), keyframes.map((k) => k.format), keyframes.map((k) => k.sha256)],
      );
    }
  }

  /** A content as received, or null when none has that SHA-256. */
  async read(sha256: string, sql: Sql = this.database): Promise<{ content: Buffer; mediaType: string | null } | null> {
    const rows = await sql.query<StoredRow>(
      `SELECT sha256, content, media_type, byte_size, encoding, dictionary_sha256 FROM snapshot_contents
       WHERE sha256 = $1 OR sha256 = (SELECT dictionary_sha256 FROM snapshot_contents WHERE sha256 = $1)`,
      [sha256],
    );
    const row = rows.find((candidate) => candidate.sha256.trim() === sha256);
    if (!row) return null;
    const dictionaryRow = rows.find((candidate) => candidate !== row);
    return { content: await this.decode(sql, row, dictionaryRow, 0), mediaType: row.media_type };
  }

  private async decode(sql: Sql, row: StoredRow, dictionaryRow: StoredRow | undefined, depth: number): Promise<Buffer> {
    if (row.encoding === 'identity') return row.content;
    const dictionarySha256 = row.dictionary_sha256?.trim() ?? null;
    if (dictionarySha256 === null) return decompressContent(row.content, null, row.byte_size);
    if (depth >= MAX_DICTIONARY_DEPTH) throw new Error(`Snapshot content ${row.sha256} is compressed too deep`);
    const dictionary =
      this.keyframes.get(dictionarySha256) ??
      (dictionaryRow
        ? await this.decode(sql, dictionaryRow, undefined, depth + 1)
        : await this.decodeStored(sql, dictionarySha256, depth + 1));
    return decompressContent(row.content, dictionary, row.byte_size);
  }

  private async decodeStored(sql: Sql, sha256: string, depth: number): Promise<Buffer> {
    const [row] = await sql.query<StoredRow>(
      `SELECT sha256, content, media_type, byte_size, encoding, dictionary_sha256 FROM snapshot_contents WHERE sha256 = $1`,
      [sha256],
    );
    if (!row) throw new Error(`Snapshot content ${sha256} is missing`);
    return this.decode(sql, row, undefined, depth);
  }

  /** The keyframes' contents as received: from memory, the rest read in one statement. */
  private async keyframeContents(sql: Sql, sha256s: string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const sha256 of sha256s) {
      const cached = this.keyframes.get(sha256);
      if (cached) {
        this.keyframes.delete(sha256);
        this.keyframes.set(sha256, cached);
        found.set(sha256, cached);
      } else missing.push(sha256);
    }
    if (missing.length > 0) {
      const rows = await sql.query<StoredRow>(
        `SELECT sha256, content, media_type, byte_size, encoding, dictionary_sha256 FROM snapshot_contents
         WHERE sha256 = ANY($1::char(64)[])`,
        [missing],
      );
      for (const row of rows) {
        const content = await this.decode(sql, row, undefined, 0);
        found.set(row.sha256.trim(), content);
        this.remember(row.sha256.trim(), content);
      }
    }
    return found;
  }

  private remember(sha256: string, content: Buffer): void {
    if (this.keyframes.has(sha256)) return;
    this.keyframes.set(sha256, content);
    this.keyframeBytes += content.byteLength;
    for (const [oldest, bytes] of this.keyframes) {
      if (this.keyframeBytes <= KEYFRAME_CACHE_BYTES) break;
      this.keyframes.delete(oldest);
      this.keyframeBytes -= bytes.byteLength;
    }
  }
}
