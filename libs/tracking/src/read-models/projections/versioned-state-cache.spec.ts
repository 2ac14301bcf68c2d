import { VersionedStateCache } from './versioned-state-cache.js';

describe('versioned state cache', () => {
  it('answers only for the version it was given', () => {
    const cache = new VersionedStateCache<string>(10);
    cache.set('a', 4, 'state at 4');
    expect(cache.get('a', 4)).toEqual({ state: 'state at 4' });
    expect(cache.get('a', 3)).toBeUndefined();
    expect(cache.get('a', 5)).toBeUndefined();
    cache.set('a', 5, 'state at 5');
    expect(cache.get('a', 4)).toBeUndefined();
  });

  it('keeps a null state apart from no entry', () => {
    const cache = new VersionedStateCache<string | null>(10);
    cache.set('a', 1, null);
    expect([cache.get('a', 1), cache.get('b', 1)]).toEqual([{ state: null }, undefined]);
  });

  it('moves an entry on to a later version only from the version it holds', () => {
    const cache = new VersionedStateCache<string>(10);
    cache.set('a', 4, 'state');
    cache.advance('a', 3, 9);
    expect(cache.get('a', 9)).toBeUndefined();
    cache.advance('a', 4, 6);
    expect([cache.get('a', 4), cache.get('a', 6)]).toEqual([undefined, { state: 'state' }]);
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new VersionedStateCache<string>(2);
    cache.set('a', 1, 'a');
    cache.set('b', 1, 'b');
    cache.get('a', 1);
    cache.set('c', 1, 'c');
    expect(cache.size).toBe(2);
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toEqual({ state: 'a' });
  });

  it('keeps nothing at capacity 0', () => {
    const cache = new VersionedStateCache<string>(0);
    cache.set('a', 1, 'a');
    expect([cache.size, cache.get('a', 1)]).toEqual([0, undefined]);
  });
});
