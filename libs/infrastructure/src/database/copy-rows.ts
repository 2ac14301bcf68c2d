import { Readable } from 'node:stream';

/** A value as `COPY`'s text format reads it into its column's type; null is SQL NULL. */
export type CopyValue = string | null;

export interface CopyStatement {
  /** A table name. */
  into: string;
  columns: readonly string[];
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * One value in `COPY`'s text format: a backslash, a tab (the delimiter) and the line ends are the
 * characters that need escaping; `\N` is NULL.
 */
export const copyField = (value: CopyValue): string =>
  value === null ? '\\N' : SPECIAL.test(value) ? value.replace(SPECIALS, (character) => ESCAPES[character]!) : value;

export const copyLine = (row: readonly CopyValue[]): string => `${row.map(copyField).join('\t')}\n`;

const CHUNK_CHARACTERS = 64 * 1024;

/** The rows as `COPY ... FROM STDIN` text, in chunks of about 64 KB (fewer writes than a chunk per row). */
export const copyText = (rows: Iterable<readonly CopyValue[]>): Readable =>
  Readable.from(
    (function* chunks() {
      let chunk = '';
      for (const row of rows) {
        chunk += copyLine(row);
        if (chunk.length >= CHUNK_CHARACTERS) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk.length > 0) yield chunk;
    })(),
    { objectMode: false },
  );

export const copyStatement = ({ into, columns }: CopyStatement): string =>
  `COPY ${into} (${columns.join(', ')}) FROM STDIN`;
