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

  it('refuses an entry that could be a key of either scope, naming it without its key and how to write it', () => {
    const { keys, problems } = parseApiKeys(
      'ci:read:0123456789abcdef-read, read:admin:0123456789abcdef-x, admin:read:0123456789abcdef-y:z',
    );
    // A read key "admin:0123…" or an admin key named "read"; an admin key "read:0123…" or a read key named "admin".
    expect(keys.map((key) => key.name)).toEqual(['ci']);
    expect(problems).toEqual([
      'API_KEYS entry 2 could be read two ways, as a read key whose key starts "admin:" or as an admin key named "read": ' +
        'write it name:scope:key with a name that is neither read nor admin (e.g. ci:read:<key>)',
      'API_KEYS entry 3 could be read two ways, as an admin key whose key starts "read:" or as a read key named "admin": ' +
        'write it name:scope:key with a name that is neither read nor admin (e.g. ci:admin:<key>)',
    ]);
    expect(problems.join()).not.toContain('0123456789abcdef');
  });

  it('reads a key holding ":" after a name, and a key named after its own scope as before', () => {
    const { keys, problems } = parseApiKeys(
      'ci:read:admin:0123456789abcdef, ops:admin:read:0123456789abcdef, admin:admin:0123456789abcdef-a, read:read:0123456789abcdef-r',
    );
    expect(problems).toEqual([]);
    expect(keys.map((key) => [key.name, key.scope])).toEqual([
      ['ci', 'read'],
      ['ops', 'admin'],
      ['admin', 'admin'],
      ['read', 'read'],
    ]);
    expect(findApiKey(keys, 'admin:0123456789abcdef')?.name).toBe('ci');
    expect(findApiKey(keys, 'read:0123456789abcdef')?.name).toBe('ops');
    expect(findApiKey(keys, '0123456789abcdef-a')?.name).toBe('admin');
    expect(findApiKey(keys, '0123456789abcdef-r')?.name).toBe('read');
  });

  it('lets admin keys do everything and read keys only read', () => {
    const [admin, reader] = parseApiKeys('admin:0123456789abcdef-admin,read:0123456789abcdef-read').keys;
    expect(allows(admin!, 'admin')).toBe(true);
    expect(allows(reader!, 'read')).toBe(true);
    expect(allows(reader!, 'admin')).toBe(false);
  });
});
