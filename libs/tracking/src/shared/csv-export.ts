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

const cell = (value: string | number | boolean | null | undefined): string | number | boolean | null | undefined =>
  typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;

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
    for await (const page of pages) {
      for (const row of page) {
        if (gone(output)) return;
        if (!stringifier.write(columns.map((column) => cell(column.value(row))))) await once(stringifier, 'drain');
      }
    }
  } finally {
    stringifier.end();
    await once(stringifier, 'end').catch(() => undefined);
  }
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

/** Answers an HTTP request with a CSV download written page by page. */
export const streamCsv = async <Row>(
  response: Response,
  filename: string,
  columns: readonly CsvColumn<Row>[],
  pages: AsyncIterable<readonly Row[]>,
): Promise<void> => {
  response.status(200);
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  await writeCsv(response, columns, pages);
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
