import { PassThrough, Writable } from 'node:stream';
import { writeCsv } from './csv-export.js';

const columns = [{ header: 'value', value: (row: { value: string | number }) => row.value }];

async function* pagesOf<Row>(...pages: Row[][]): AsyncIterable<Row[]> {
  for (const page of pages) yield page;
}

describe('writeCsv', () => {
  it("writes a cell a spreadsheet would run as a formula (=, +, -, @, tab, return) with a leading '", async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const cells = ['=HYPERLINK("x")', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'plain', 'a=b', -1];
    await writeCsv(output, columns, pagesOf(cells.map((value) => ({ value }))));
    expect(Buffer.concat(chunks).toString('utf8').split('\n').slice(1, -1)).toEqual([
      `"'=HYPERLINK(""x"")"`,
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
      'plain',
      'a=b',
      '-1',
    ]);
  });

  it('writes yes and no as true and false, not as 1 and an empty cell, and nothing as an empty cell', async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const flags = [{ header: 'current', value: (row: { current: boolean | null }) => row.current }];
    await writeCsv(output, flags, pagesOf([{ current: true }, { current: false }, { current: null }]));
    expect(Buffer.concat(chunks).toString('utf8')).toBe('current\ntrue\nfalse\n\n');
  });

  it('stops reading pages while the reader takes nothing, however many follow', async () => {
    // A reader that takes nothing: every write stays buffered.
    const stalled = new Writable({ highWaterMark: 1024, write: () => undefined });
    let pagesRead = 0;
    async function* endless(): AsyncIterable<{ value: string }[]> {
      // 1,000 pages of 100 rows: 10 MB of CSV.
      while (pagesRead < 1000) {
        pagesRead += 1;
        yield Array.from({ length: 100 }, () => ({ value: 'x'.repeat(100) }));
      }
    }
    void writeCsv(stalled, columns, endless()).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const readWhileStalled = pagesRead;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pagesRead).toBe(readWhileStalled);
    // The streams' buffers hold a few pages, never the export.
    expect(readWhileStalled).toBeLessThanOrEqual(10);
    stalled.destroy();
  });
});
