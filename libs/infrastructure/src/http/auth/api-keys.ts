import { createHash, timingSafeEqual } from 'node:crypto';

export type ApiKeyScope = 'read' | 'admin';

export interface ApiKey {
  /** A label for logs and rate limits; never the key itself. */
  name: string;
  scope: ApiKeyScope;
  sha256: Buffer;
}

const hash = (key: string): Buffer => createHash('sha256').update(key).digest();

const isScope = (part: string | undefined): part is ApiKeyScope => part === 'read' || part === 'admin';

const SCOPE_WORDS: Record<ApiKeyScope, string> = { read: 'a read key', admin: 'an admin key' };

/**
 * `API_KEYS`: comma-separated `scope:key` or `name:scope:key` entries, e.g. `admin:…,ci:read:…`. A key
 * may hold `:` after a name (`ci:read:ab:cd…`). An entry whose first two parts are both scopes, and
 * differ (`read:admin:…`), is refused: it could be a read key starting "admin:" as well as an admin key
 * named "read". (`admin:admin:…` is an admin key named admin either way.)
 * Only hashes are kept; keys are compared in constant time.
 */
export const parseApiKeys = (raw: string): { keys: ApiKey[]; problems: string[] } => {
  const problems: string[] = [];
  const keys = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .flatMap((entry, index): ApiKey[] => {
      const parts = entry.split(':');
      const [first, second] = parts;
      if (parts.length >= 3 && isScope(first) && isScope(second) && first !== second) {
        problems.push(
          `API_KEYS entry ${index + 1} could be read two ways, as ${SCOPE_WORDS[first]} whose key starts "${second}:" ` +
            `or as ${SCOPE_WORDS[second]} named "${first}": write it name:scope:key with a name that is neither read ` +
            `nor admin (e.g. ci:${first}:<key>)`,
        );
        return [];
      }
      const named = parts.length === 3 || (parts.length > 3 && !isScope(first) && isScope(second));
      const [name, scope, key] = named
        ? [first, second, parts.slice(2).join(':')]
        : [`key-${index + 1}`, first, parts.slice(1).join(':')];
      if (!isScope(scope)) {
        problems.push(`API_KEYS entry ${index + 1}: the scope must be read or admin`);
        return [];
      }
      if (!key || key.length < 16) {
        problems.push(`API_KEYS entry ${index + 1}: a key needs at least 16 characters`);
        return [];
      }
      return [{ name: name!, scope, sha256: hash(key) }];
    });
  return { keys, problems };
};

export const findApiKey = (keys: readonly ApiKey[], presented: string): ApiKey | null => {
  const digest = hash(presented);
  return keys.find((key) => timingSafeEqual(key.sha256, digest)) ?? null;
};

export const allows = (key: ApiKey, needed: ApiKeyScope): boolean => key.scope === 'admin' || needed === 'read';
