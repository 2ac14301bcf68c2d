import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, type SnapshotFormat } from '@app/domain';
import { ConcurrencyError, Database, insertRows, type Sql } from '@app/infrastructure';
import { sha256Hex } from '@app/registry-formats';
import type { SnapshotInput } from './accept-snapshot/accept-snapshot.command.js';
import type { Ingestion, IngestionError, IngestionStatus, TrialOutcome } from './ingestion.js';
import { type PreparedContents, SnapshotContents } from './snapshot-contents.js';

export class IngestionNotFoundError extends DomainError {
  readonly code = 'ingestion.not-found';
  readonly kind = 'not-found' as const;
  constructor(id: string) {
    super(`No ingestion with id ${id}`, { id });
  }
}

interface IngestionRow {
  id: string;
  content_sha256: string;
  source: string;
  requested_format: SnapshotFormat | null;
  format: string | null;
  observed_at: Date | null;
  effective_at: Date | null;
  received_at: Date;
  status: IngestionStatus;
  nct_ids: string[];
  results: TrialOutcome[];
  error: IngestionError | null;
  attempts: number;
  completed_at: Date | null;
  correlation_id: string | null;
  media_type: string | null;
}

const toIngestion = (row: IngestionRow): Ingestion => ({
  id: row.id,
  contentSha256: row.content_sha256.trim(),
  source: row.source,
  requestedFormat: row.requested_format,
  format: row.format,
  observedAt: row.observed_at?.toISOString() ?? null,
  effectiveAt: row.effective_at?.toISOString() ?? null,
  receivedAt: row.received_at.toISOString(),
  status: row.status,
  nctIds: row.nct_ids,
  results: row.results,
  error: row.error,
  attempts: row.attempts,
  completedAt: row.completed_at?.toISOString() ?? null,
  correlationId: row.correlation_id,
  contentType: row.media_type || null,
});

/** What PostgreSQL's JSON cannot hold: a NUL, and half of a UTF-16 surrogate pair. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * An error as the ingestion log keeps it. Its message may quote the input (an nctId that is not one),
 * and what PostgreSQL's JSON cannot hold is kept as U+FFFD, so the rejected input is still logged.
 */
const errorJson = (error: IngestionError): string =>
  JSON.stringify(error, (_key, value: unknown) =>
    typeof value === 'string' ? value.replace(UNSTORABLE, '\uFFFD') : value,
  );

export interface NewIngestion {
  id: string;
  content: Buffer;
  contentSha256: string;
  mediaType: string | null;
  source: string;
  requestedFormat: SnapshotFormat | null;
  observedAt: string | null;
  effectiveAt: string | null;
  receivedAt: string;
  correlationId: string | null;
}

/** The media type an ingestion is logged with: `''` when it was posted with none (NULL is a row logged before it was kept). */
const mediaTypeColumn = (ingestion: NewIngestion): string => ingestion.mediaType ?? '';

/** The ingestion log's record of an input as received, under a new id. */
export const newIngestion = (input: SnapshotInput, receivedAt: string): NewIngestion => ({
  id: randomUUID(),
  content: input.content,
  contentSha256: sha256Hex(input.content),
  mediaType: input.mediaType,
  source: input.source,
  requestedFormat: input.format ?? null,
  observedAt: input.observedAt ?? null,
  effectiveAt: input.effectiveAt ?? null,
  receivedAt,
  correlationId: input.correlationId ?? null,
});

export interface IngestionCompletion {
  status: Exclude<IngestionStatus, 'queued'>;
  format?: string | null;
  nctIds?: string[];
  results?: TrialOutcome[];
  error?: IngestionError | null;
  completedAt: string;
}

/** Raw snapshot contents (kept by `SnapshotContents`) and the log of every ingestion. */
@Injectable()
export class SnapshotStore {
  constructor(
    private readonly database: Database,
    private readonly contents: SnapshotContents,
  ) {}

  /**
   * Keeps the raw content and logs the ingestion, in the caller's transaction: finished (`completion`),
   * or queued with the trials and format its content showed.
   */
  async record(
    sql: Sql,
    ingestion: NewIngestion,
    completion?: IngestionCompletion,
    queued?: { nctIds: string[]; format: string },
  ): Promise<void> {
    await this.contents.keep(sql, [
      {
        sha256: ingestion.contentSha256,
        content: ingestion.content,
        mediaType: ingestion.mediaType,
        nctIds: completion?.nctIds ?? queued?.nctIds ?? [],
        format: completion?.format ?? queued?.format ?? null,
      },
    ]);
    await sql.execute(
      `INSERT INTO ingestions (id, content_sha256, source, requested_format, observed_at, received_at, status, format,
         nct_ids, results, error, completed_at, correlation_id, effective_at, media_type)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        ingestion.id,
        ingestion.contentSha256,
        ingestion.source,
        ingestion.requestedFormat,
        ingestion.observedAt,
        ingestion.receivedAt,
        completion?.status ?? 'queued',
        completion?.format ?? queued?.format ?? null,
        completion?.nctIds ?? queued?.nctIds ?? [],
        JSON.stringify(completion?.results ?? []),
        completion?.error ? errorJson(completion.error) : null,
        completion?.completedAt ?? null,
        ingestion.correlationId,
        ingestion.effectiveAt,
        mediaTypeColumn(ingestion),
      ],
    );
  }

  /** Compresses the raw contents of a batch ahead of its transaction (see `recordMany`). */
  prepareContents(
    entries: readonly { ingestion: NewIngestion; nctIds: readonly string[]; format: string | null }[],
  ): Promise<PreparedContents> {
    return this.contents.prepare(
      entries.map(({ ingestion, nctIds, format }) => ({
        sha256: ingestion.contentSha256,
        content: ingestion.content,
        mediaType: ingestion.mediaType,
        nctIds,
        format,
      })),
    );
  }

  /** Keeps a batch's prepared contents and logs its finished ingestions in a few statements (the bulk path). */
  async recordMany(
    sql: Sql,
    entries: { ingestion: NewIngestion; completion: IngestionCompletion }[],
    contents: PreparedContents,
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.contents.store(sql, contents);
    await insertRows(
      sql,
      {
        into: 'ingestions',
        columns: [
          'id',
          'content_sha256',
          'source',
          'requested_format',
          'observed_at',
          'received_at',
          'status',
          'format',
          'nct_ids',
          'results',
          'error',
          'completed_at',
          'correlation_id',
          'effective_at',
          'attempts',
          'media_type',
        ],
        types: [
          'uuid',
          'char(64)',
          'text',
          'text',
          'timestamptz',
          'timestamptz',
          'text',
          'text',
          'text[]',
          'jsonb',
          'jsonb',
          'timestamptz',
          'uuid',
          'timestamptz',
          'int',
          'text',
        ],
      },
      entries.map(({ ingestion, completion }) => [
        ingestion.id,
        ingestion.contentSha256,
        ingestion.source,
        ingestion.requestedFormat,
        ingestion.observedAt,
        ingestion.receivedAt,
        completion.status,
        completion.format ?? null,
        completion.nctIds ?? [],
        JSON.stringify(completion.results ?? []),
        completion.error ? errorJson(completion.error) : null,
        completion.completedAt,
        ingestion.correlationId,
        ingestion.effectiveAt,
        1,
        mediaTypeColumn(ingestion),
      ]),
    );
  }

  async findMany(ids: string[]): Promise<Ingestion[]> {
    const rows = await this.database.query<IngestionRow>(`SELECT * FROM ingestions WHERE id = ANY($1::uuid[])`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, toIngestion(row)]));
    return ids.map((id) => byId.get(id)!);
  }

  async complete(sql: Sql, id: string, completion: IngestionCompletion): Promise<void> {
    await sql.execute(
      `UPDATE ingestions SET status = $2, format = $3, nct_ids = $4, results = $5, error = $6, completed_at = $7
       WHERE id = $1`,
      [
        id,
        completion.status,
        completion.format ?? null,
        completion.nctIds ?? [],
        JSON.stringify(completion.results ?? []),
        completion.error ? errorJson(completion.error) : null,
        completion.completedAt,
      ],
    );
  }

  /**
   * Counts a processing attempt before it starts, so an attempt that never ends (the worker killed, a
   * snapshot that crashes it) is counted too. The new count, or null when the ingestion is no longer queued.
   */
  async countAttempt(id: string): Promise<number | null> {
    const [row] = await this.database.query<{ attempts: number }>(
      `UPDATE ingestions SET attempts = attempts + 1 WHERE id = $1 AND status = 'queued' RETURNING attempts`,
      [id],
    );
    return row?.attempts ?? null;
  }

  /** Keeps the error of an attempt that will be retried, for GET /ingestions/:id to show. */
  async recordAttemptError(id: string, error: IngestionError): Promise<void> {
    await this.database.execute(`UPDATE ingestions SET error = $2 WHERE id = $1 AND status = 'queued'`, [
      id,
      errorJson(error),
    ]);
  }

  /** Ends a queued ingestion as `failed`, its attempts used up. False when it was no longer queued. */
  async fail(id: string, attempts: number, error: IngestionError, failedAt: string): Promise<boolean> {
    const rows = await this.database.query<{ id: string }>(
      `UPDATE ingestions SET status = 'failed', attempts = $2, error = $3, completed_at = $4
       WHERE id = $1 AND status = 'queued' RETURNING id`,
      [id, attempts, errorJson(error), failedAt],
    );
    return rows.length > 0;
  }

  /** A failed ingestion queued again with its attempts reset, as it was then; null when it is not failed. */
  async requeueFailed(id: string): Promise<Ingestion | null> {
    const [row] = await this.database.query<IngestionRow>(
      `UPDATE ingestions SET status = 'queued', attempts = 0, error = NULL, completed_at = NULL
       WHERE id = $1 AND status = 'failed' RETURNING *`,
      [id],
    );
    return row ? toIngestion(row) : null;
  }

  /** Ingestions of one status, newest received first, after the keyset position `after`; one more than `limit`. */
  async list(status: IngestionStatus, after: { receivedAt: string; id: string } | null, limit: number) {
    const rows = await this.database.query<IngestionRow>(
      `SELECT * FROM ingestions
       WHERE status = $1 AND ($2::timestamptz IS NULL OR (received_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY received_at DESC, id DESC LIMIT $4`,
      [status, after?.receivedAt ?? null, after?.id ?? null, limit + 1],
    );
    return rows.map(toIngestion);
  }

  async countByStatus(status: IngestionStatus): Promise<number> {
    const [row] = await this.database.query<{ count: string }>(
      `SELECT count(*) AS count FROM ingestions WHERE status = $1`,
      [status],
    );
    return Number(row?.count ?? 0);
  }

  /** Which of these contents were already ingested to an end that ingesting them again would only repeat. */
  async ingestedContents(sha256s: readonly string[]): Promise<Set<string>> {
    if (sha256s.length === 0) return new Set();
    const rows = await this.database.query<{ sha256: string }>(
      `SELECT DISTINCT content_sha256 AS sha256 FROM ingestions
       WHERE content_sha256 = ANY($1::char(64)[]) AND status IN ('appended', 'learned', 'unchanged', 'stale')`,
      [sha256s],
    );
    return new Set(rows.map((row) => row.sha256.trim()));
  }

  async find(id: string, sql: Sql = this.database): Promise<Ingestion | null> {
    const [row] = await sql.query<IngestionRow>(`SELECT * FROM ingestions WHERE id = $1`, [id]);
    return row ? toIngestion(row) : null;
  }

  async get(id: string): Promise<Ingestion> {
    const ingestion = await this.find(id);
    if (!ingestion) throw new IngestionNotFoundError(id);
    return ingestion;
  }

  /** A content as received, with the media type it was first posted with. */
  async content(sha256: string): Promise<{ content: Buffer; mediaType: string | null } | null> {
    return this.contents.read(sha256);
  }

  /**
   * The content an ingestion was posted with, and the media type of that post (whose charset it is read
   * in): the same bytes posted again as another charset are not read in the first post's. An ingestion
   * logged before each kept its own is read with its content's, as it was then.
   */
  async postedContent(
    ingestion: Pick<Ingestion, 'id' | 'contentSha256'>,
  ): Promise<{ content: Buffer; mediaType: string | null }> {
    const [[row], stored] = await Promise.all([
      this.database.query<{ media_type: string | null }>(`SELECT media_type FROM ingestions WHERE id = $1`, [
        ingestion.id,
      ]),
      this.contents.read(ingestion.contentSha256),
    ]);
    if (!stored) throw new Error(`Snapshot content ${ingestion.contentSha256} is missing`);
    return { content: stored.content, mediaType: row?.media_type ?? stored.mediaType };
  }

  /** Ingestions still queued after `olderThanMs`: their wake-up was lost (Redis flushed, process died). */
  async queuedBefore(cutoff: string, limit: number): Promise<string[]> {
    const rows = await this.database.query<{ id: string }>(
      `SELECT id FROM ingestions WHERE status = 'queued' AND received_at < $1 ORDER BY received_at LIMIT $2`,
      [cutoff, limit],
    );
    return rows.map((row) => row.id);
  }

  /** When each trial was last observed through an undated snapshot (absent: never). */
  async observationMarks(nctIds: readonly string[], sql: Sql = this.database): Promise<Map<string, Date>> {
    const rows = await sql.query<{ nct_id: string; observed_at: Date | null }>(
      `SELECT nct_id, observed_at FROM trial_observations WHERE nct_id = ANY($1::text[])`,
      [[...nctIds]],
    );
    return new Map(rows.filter((row) => row.observed_at !== null).map((row) => [row.nct_id, row.observed_at!]));
  }

  /**
   * Locks these trials' observation marks until `sql`'s transaction ends and checks that they are
   * still those read before deciding; another ingestion that moved one is a conflict to retry.
   */
  async lockObservationMarks(sql: Sql, read: ReadonlyMap<string, Date>, nctIds: readonly string[]): Promise<void> {
    const ids = [...new Set(nctIds)].sort();
    await sql.execute(
      `INSERT INTO trial_observations (nct_id, observed_at) SELECT unnest($1::text[]), NULL ON CONFLICT DO NOTHING`,
      [ids],
    );
    const rows = await sql.query<{ nct_id: string; observed_at: Date | null }>(
      `SELECT nct_id, observed_at FROM trial_observations WHERE nct_id = ANY($1::text[]) ORDER BY nct_id FOR UPDATE`,
      [ids],
    );
    const moved = rows.filter(
      (row) => (row.observed_at?.getTime() ?? null) !== (read.get(row.nct_id)?.getTime() ?? null),
    );
    if (moved.length > 0) {
      throw new ConcurrencyError(
        moved.map((row) => ({ streamId: `trial-${row.nct_id}`, expected: 'its observation mark' })),
      );
    }
  }

  /** Moves observation marks forward (never back). */
  async raiseObservationMarks(sql: Sql, marks: ReadonlyMap<string, string>): Promise<void> {
    if (marks.size === 0) return;
    await sql.execute(
      `UPDATE trial_observations o SET observed_at = GREATEST(o.observed_at, m.observed_at)
       FROM unnest($1::text[], $2::timestamptz[]) AS m(nct_id, observed_at) WHERE o.nct_id = m.nct_id`,
      [[...marks.keys()], [...marks.values()]],
    );
  }
}
