import { decodeCursor, encodeCursor } from './cursor.js';

describe('change-feed cursors', () => {
  it('reads back what it wrote, at the largest transaction id and position PostgreSQL holds', () => {
    const largest = { transactionId: '18446744073709551615', globalPosition: '9223372036854775807' };
    expect(decodeCursor(encodeCursor(largest))).toEqual(largest);
    expect(decodeCursor(' 12.34 ')).toEqual({ transactionId: '12', globalPosition: '34' });
  });

  it.each([
    'yesterday',
    '12',
    '12.',
    '.34',
    '-1.2',
    '1.2.3',
    '18446744073709551616.1',
    '1.9223372036854775808',
    '1.99999999999999999999',
  ])('refuses %s as a request error naming the cursor, never as a query PostgreSQL cannot run', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(
      expect.objectContaining({
        code: 'request.invalid-cursor',
        message: expect.stringContaining(`"${cursor}" is not a change-feed cursor`),
      }),
    );
  });
});
