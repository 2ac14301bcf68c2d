import { allows, findApiKey, parseApiKeys } from './api-keys.js';

describe('API keys', () => {
  it('reads scope:key and name:scope:key entries, keeping only hashes', () => {
    const { keys, problems } = parseApiKeys('admin:0123456789abcdef-admin, ci:read:0123456789abcdef-read');
    expect(problems).toEqual([]);
    expect(keys.map((key) => [key.name, key.scope])).toEqual([
      ['key-1', 'admin'],
      ['ci', 'read'],
    ]);
    expect(JSON.stringify(keys)).not.toContain('0123456789abcdef');
    expect(findApiKey(keys, '0123456789abcdef-read')?.name).toBe('ci');
    expect(findApiKey(keys, 'guess')).toBeNull();
  });

  it('refuses unknown scopes and short keys', () => {
    expect(parseApiKeys('owner:0123456789abcdef,read:short').problems).toEqual([
      'API_KEYS entry 1: the scope must be read or admin',
      'API_KEYS entry 2: a key needs at least 16 characters',
    ]);
  });

  it('lets admin keys do everything and read keys only read', () => {
    const [admin, reader] = parseApiKeys('admin:0123456789abcdef-admin,read:0123456789abcdef-read').keys;
    expect(allows(admin!, 'admin')).toBe(true);
    expect(allows(reader!, 'read')).toBe(true);
    expect(allows(reader!, 'admin')).toBe(false);
  });
});
