import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Response } from 'express';
import { stringify } from 'csv-stringify';

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
}

/** A spreadsheet reads a cell starting with one of these as a formula; a leading quote keeps it text. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell as written: a formula-like text kept as text, and a yes or no as `true` or `false`, as the JSON
 * says it (the CSV writer's own `1` and empty cell would read as a count and as unknown).
 */
const cell = (value: string | number | boolean | null | undefined): string | number | null | undefined =>
  typeof value === 'boolean'
    ? String(value)
    : typeof value === 'string' && FORMULA_START.test(value)
      ? `'${value}`
      : value;

const gone = (output: Writable): boolean => output.destroyed || output.writableEnded;

/**
 * Writes pages of rows as CSV as they come, waiting while the reader is slow, so that an export of
 * millions of rows holds one page in memory. Stops reading when the reader goes away.
 */
export const writeCsv = async <Row>(
  output: Writable,
  columns: readonly CsvColumn<Row>[],
  pages: AsyncIterable<readonly Row[]>,
): Promise<void> => {
  const stringifier = stringify({ header: true, columns: columns.map((column) => column.header) });
  stringifier.pipe(output, { end: output !== process.stdout });
  try {
    reading: for await (const page of pages) {
      for (const row of page) {
        if (gone(output)) break reading;
        if (!stringifier.write(columns.map((column) => cell(column.value(row))))) await once(stringifier, 'drain');
      }
    }
  } catch (error) {
    // An export that failed part way must not end as a complete one would: the output is left unended.
    stringifier.unpipe(output);
    stringifier.destroy();
    throw error;
  }
  stringifier.end();
  await once(stringifier, 'end').catch(() => undefined);
};

/** Writes pages of rows as JSON Lines (one JSON document per line), with the same back-pressure. */
export const writeJsonLines = async <Row>(output: Writable, pages: AsyncIterable<readonly Row[]>): Promise<void> => {
  for await (const page of pages) {
    for (const row of page) {
      if (gone(output)) return;
      if (!output.write(`${JSON.stringify(row)}\n`)) await once(output, 'drain');
    }
  }
};

/**
 * The pages, the first one read before this returns: an error there (a filter the store refuses, the
 * database gone) is thrown while the response can still say so with its status.
 */
const firstPageRead = async <Row>(pages: AsyncIterable<readonly Row[]>): Promise<AsyncIterable<readonly Row[]>> => {
  const iterator = pages[Symbol.asyncIterator]();
  const first = await iterator.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })();
};

const downloadHeaders = (response: Response, contentType: string, filename: string): void => {
  response.status(200);
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  response.setHeader('X-Content-Type-Options', 'nosniff');
};

/**
 * Answers an HTTP request with a CSV download written page by page. A failure before the first page
 * is an error response; one after it breaks the connection off (the exception filter), so the client
 * sees an incomplete download, never a short file that looks whole (streamed-exports.int-spec.ts).
 */
export const streamCsv = async <Row>(
  response: Response,
  filename: string,
  columns: readonly CsvColumn<Row>[],
  pages: AsyncIterable<readonly Row[]>,
): Promise<void> => {
  const rows = await firstPageRead(pages);
  downloadHeaders(response, 'text/csv; charset=utf-8', filename);
  await writeCsv(response, columns, rows);
};

/** Answers an HTTP request with a JSON Lines download written page by page, failing as `streamCsv` does. */
export const streamJsonLines = async <Row>(
  response: Response,
  filename: string,
  pages: AsyncIterable<readonly Row[]>,
): Promise<void> => {
  const rows = await firstPageRead(pages);
  downloadHeaders(response, 'application/x-ndjson; charset=utf-8', filename);
  await writeJsonLines(response, rows);
  response.end();
};

/** Every page of a keyset-paged query, fetched one after the other. */
export async function* allPages<Page extends { nextCursor: string | null }, Row>(
  fetch: (cursor: string | null) => Promise<Page>,
  rowsOf: (page: Page) => readonly Row[],
): AsyncGenerator<readonly Row[]> {
  let cursor: string | null = null;
  do {
    const page: Page = await fetch(cursor);
    yield rowsOf(page);
    cursor = page.nextCursor;
  } while (cursor !== null);
}
