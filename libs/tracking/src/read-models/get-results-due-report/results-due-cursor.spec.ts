import { parseResultsDueCursor, resultsDueCursorOf } from './results-due-cursor.js';

describe('results-due cursor', () => {
  it('reads back the cursor a page gave', () => {
    const cursor = resultsDueCursorOf({ dueDate: '2024-02-29', nctId: 'NCT00000001' });
    expect(cursor).toBe('2024-02-29~NCT00000001');
    expect(parseResultsDueCursor(cursor)).toEqual({ dueDate: '2024-02-29', nctId: 'NCT00000001' });
  });

  it('refuses a cursor no page gives: a day the calendar lacks, another shape', () => {
    for (const cursor of [
      '2024-02-30~NCT00000001',
      '2023-02-29~NCT00000001',
      '2024-13-01~NCT00000001',
      '2024-01-01',
      '',
    ]) {
      expect({ cursor, parsed: parseResultsDueCursor(cursor) }).toEqual({ cursor, parsed: null });
    }
  });
});
