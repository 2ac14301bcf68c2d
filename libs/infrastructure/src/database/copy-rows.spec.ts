import { text } from 'node:stream/consumers';
import { copyField, copyLine, copyStatement, copyText } from './copy-rows.js';

describe('COPY text format', () => {
  it('escapes the backslash, the tab and the line ends, and writes NULL as \\N', () => {
    expect(copyField('plain {"a": 1}')).toBe('plain {"a": 1}');
    expect(copyField('{"q":"say \\"hi\\"\\n"}')).toBe('{"q":"say \\\\"hi\\\\"\\\\n"}');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('')).toBe('');
    expect(copyField(null)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyLine(['x', null, 'y\tz'])).toBe('x\t\\N\ty\\tz\n');
  });

  it('streams every row, in order, in chunks', async () => {
    const rows = Array.from({ length: 3_000 }, (_, index) => [String(index), 'x'.repeat(100)]);
    expect(await text(copyText(rows))).toBe(rows.map(copyLine).join(''));
    expect(await text(copyText([]))).toBe('');
  });

  it('names the table and columns', () => {
    expect(copyStatement({ into: 'events', columns: ['a', 'b'] })).toBe('COPY events (a, b) FROM STDIN');
  });
});
